package mux

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/simnet"
)

// The RPCs of panicRouter, besides echoRouter's.
const (
	panicRPC  = "/panic/Unary"  // panics with the request's value
	assertRPC = "/panic/Assert" // fails the run's assertion through the runtime
)

// panicRouter is echoRouter plus panicRPC and, on rt, assertRPC.
func panicRouter(rt *sim.Runtime) *Router {
	r := echoRouter()
	Unary(r, panicRPC, func(ctx context.Context, in *str) (*str, error) {
		panic(in.Value)
	})
	Unary(r, assertRPC, func(ctx context.Context, in *str) (*str, error) {
		rt.Fail("handler assertion")
		return in, nil
	})
	return r
}

// panicLog records the reports of Options.OnHandlerPanic.
type panicLog struct {
	reports []string // "rpc value"
	stackOK bool     // every stack showed the panicking handler
}

func (l *panicLog) hook(rpc string, value any, stack []byte) {
	l.reports = append(l.reports, fmt.Sprint(rpc, " ", value))
	l.stackOK = (len(l.reports) == 1 || l.stackOK) && bytes.Contains(stack, []byte("panicRouter"))
}

// panicPair connects a client to a server of panicRouter(rt) with opts over cli/srv; it
// returns the client and a function that closes both and waits for the server.
func panicPair(rt *sim.Runtime, cli, srv net.Conn, opts Options) (*Client, func()) {
	opts.Runtime = rt
	server := NewServer(panicRouter(rt), opts)
	g := rt.NewGroup("server")
	g.Go("serve", func() { _ = server.ServeOne(context.Background(), srv) })
	c := NewClient(cli, Options{Runtime: rt})
	return c, func() { c.Close(); g.Wait() }
}

// panicCalls is the workload of the recovery tests: a bidi stream opened before a call
// whose handler panics, the panicking call, then the stream carried on and a second call
// on the same connection. The panicking call must fail with Internal naming the panic
// value; everything else must succeed.
func panicCalls(c *Client) error {
	ctx := context.Background()
	var out str
	s, err := c.NewStream(ctx, "/echo/Bidi")
	if err != nil {
		return fmt.Errorf("bidi: %w", err)
	}
	if err := s.Send(wrapperspb.String("before")); err != nil {
		return fmt.Errorf("bidi send: %w", err)
	}
	if err := s.Recv(&out); err != nil || out.Value != "before" {
		return fmt.Errorf("bidi recv: %q, %v", out.Value, err)
	}
	err = c.Invoke(ctx, panicRPC, wrapperspb.String("boom"), &out)
	var e *Error
	if !errors.As(err, &e) || e.Code != Internal || e.Msg != "handler panicked: boom" {
		return fmt.Errorf("panicking call: %v, want Internal \"handler panicked: boom\"", err)
	}
	if err := s.Send(wrapperspb.String("after")); err != nil {
		return fmt.Errorf("bidi send after the panic: %w", err)
	}
	if err := s.Recv(&out); err != nil || out.Value != "after" {
		return fmt.Errorf("bidi recv after the panic: %q, %v", out.Value, err)
	}
	if err := s.CloseSend(); err != nil {
		return fmt.Errorf("bidi CloseSend: %w", err)
	}
	if err := s.Recv(&out); err == nil {
		return fmt.Errorf("bidi end: a message %q, want io.EOF", out.Value)
	}
	if err := c.Invoke(ctx, "/echo/Unary", wrapperspb.String("again"), &out); err != nil || out.Value != "echo:again" {
		return fmt.Errorf("call after the panic: %q, %v", out.Value, err)
	}
	return nil
}

// checkPanicLog checks that the hook saw the one panic, with a stack through the handler.
func checkPanicLog(l *panicLog) error {
	if len(l.reports) != 1 || l.reports[0] != panicRPC+" boom" {
		return fmt.Errorf("OnHandlerPanic saw %q, want [%q]", l.reports, panicRPC+" boom")
	}
	if !l.stackOK {
		return fmt.Errorf("OnHandlerPanic's stack does not show the handler")
	}
	return nil
}

// TestHandlerPanicReal checks recovery under the real runtime, over net.Pipe: a
// panicking handler fails only its call with Internal, the hook sees it with its stack,
// and the connection serves a live stream and a new call afterwards.
func TestHandlerPanicReal(t *testing.T) { realTest(t, testHandlerPanicReal) }

func testHandlerPanicReal(t *testing.T) {
	var log panicLog
	cli, srv := net.Pipe()
	c, done := panicPair(sim.Real(), cli, srv, Options{OnHandlerPanic: log.hook})
	err := panicCalls(c)
	done() // the hook's writes happen before the server's tasks end
	if err != nil {
		t.Fatal(err)
	}
	if err := checkPanicLog(&log); err != nil {
		t.Fatal(err)
	}
}

// TestHandlerPanicSimulated is TestHandlerPanicReal under the scheduler, seeds 1-50 over
// a fault-free simulated connection that splits and delays: every verdict ok (the panic
// no longer fails the run) and, for the first seeds run twice, the same trace hash, so
// the stack the hook gets does not reach the trace.
func TestHandlerPanicSimulated(t *testing.T) {
	run := func(seed uint64) (*sim.Verdict, error) {
		var o sim.Options
		o.Seed = seed
		var err error
		v := sim.Run(o, func(rt *sim.Runtime) {
			var log panicLog
			cli, srv := simnet.Pipe(rt, "c", simnet.RandomPlan(rt.Rand("plan"), simnet.Profile{NoFailures: true}))
			c, done := panicPair(rt, cli, srv, Options{OnHandlerPanic: log.hook})
			err = panicCalls(c)
			done()
			if err == nil {
				err = checkPanicLog(&log)
			}
		})
		return v, err
	}
	for seed := uint64(1); seed <= 50; seed++ {
		v, err := run(seed)
		if !v.OK() || err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, v.Report())
		}
		if seed <= 5 {
			if again, _ := run(seed); again.Hash != v.Hash {
				t.Fatalf("seed %d: hash %016x then %016x", seed, v.Hash, again.Hash)
			}
		}
	}
}

// TestHandlerPanicCrash checks CrashOnHandlerPanic under simulation: the handler's panic
// is not recovered, so the run fails with a panic verdict carrying the panic value, and
// the hook is not called.
func TestHandlerPanicCrash(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		var o sim.Options
		o.Seed = seed
		var log panicLog
		v := sim.Run(o, func(rt *sim.Runtime) {
			cli, srv := simnet.Pipe(rt, "c", simnet.Plan{})
			c, done := panicPair(rt, cli, srv, Options{OnHandlerPanic: log.hook, CrashOnHandlerPanic: true})
			defer done()
			var out str
			_ = c.Invoke(context.Background(), panicRPC, wrapperspb.String("boom"), &out)
		})
		if v.OK() || v.Failure.Kind != scheduler.FailPanic || v.Failure.Panic != "boom" {
			t.Fatalf("seed %d: verdict %v, want a panic with value \"boom\"\n%s", seed, v.Failure, v.Report())
		}
		if len(log.reports) != 0 {
			t.Fatalf("seed %d: OnHandlerPanic saw %q with CrashOnHandlerPanic set", seed, log.reports)
		}
	}
}

// TestHandlerPanicCrashReal checks CrashOnHandlerPanic under the real runtime, on the
// server's call of its handler: the panic comes out of it with its own value.
func TestHandlerPanicCrashReal(t *testing.T) {
	h := HandlerFunc(func(s *Stream, rpc string) error { panic("boom " + rpc) })
	for _, crash := range []bool{false, true} {
		sv := NewServer(h, Options{CrashOnHandlerPanic: crash})
		var err error
		p := func() (p any) {
			defer func() { p = recover() }()
			err = sv.call(&Stream{rpc: "/x"})
			return nil
		}()
		switch {
		case crash && (p != "boom /x" || err != nil):
			t.Errorf("crash: panic %v, error %v; want the panic \"boom /x\"", p, err)
		case !crash && (p != nil || CodeOf(err) != Internal || err.Error() != "internal: handler panicked: boom /x"):
			t.Errorf("recover: panic %v, error %v; want Internal \"handler panicked: boom /x\"", p, err)
		}
	}
}

// TestHandlerAssertionNotRecovered checks that recovery leaves the simulator's own
// unwinding alone: a handler whose assertion fails ends the run with an assert verdict,
// as without recovery, and the hook sees no panic.
func TestHandlerAssertionNotRecovered(t *testing.T) {
	var log panicLog
	v := sim.Run(sim.Options{Seed: 1}, func(rt *sim.Runtime) {
		cli, srv := simnet.Pipe(rt, "c", simnet.Plan{})
		c, done := panicPair(rt, cli, srv, Options{OnHandlerPanic: log.hook})
		defer done()
		var out str
		_ = c.Invoke(context.Background(), assertRPC, wrapperspb.String("x"), &out)
	})
	if v.OK() || v.Failure.Kind != scheduler.FailAssert || len(log.reports) != 0 {
		t.Fatalf("verdict %v, hook %q; want an assert failure and no hook call\n%s", v.Failure, log.reports, v.Report())
	}
}
