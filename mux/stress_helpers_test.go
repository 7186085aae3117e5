package mux

// Helpers of the stress and multiplexing tests (stress_test.go): the two real transports,
// a client/server pair on one connection, the four-method service of the cockroachdb/drpc
// stress suite, and deadlock guards.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/muxsim/muxsim/sim"
)

type i64 = wrapperspb.Int64Value

// The service of the stress suite (reference/drpc.md §5.1).
const (
	method1 = "/stress.Service/Method1" // unary: "echo:" + the request
	method2 = "/stress.Service/Method2" // client stream: the sum of the requests
	method3 = "/stress.Service/Method3" // server stream: the request, method3Copies times over
	method4 = "/stress.Service/Method4" // bidi: every request echoed; a negative one fails the call
)

// method3Copies is how many responses Method3 sends.
const method3Copies = 3

// stressRouter serves Method1..Method4.
func stressRouter() *Router {
	r := NewRouter()
	Unary(r, method1, func(ctx context.Context, in *str) (*str, error) {
		return wrapperspb.String("echo:" + in.Value), nil
	})
	ClientStream(r, method2, func(ctx context.Context, recv func() (*i64, error)) (*i64, error) {
		var sum int64
		for {
			m, err := recv()
			if err == io.EOF {
				return wrapperspb.Int64(sum), nil
			}
			if err != nil {
				return nil, err
			}
			sum += m.Value
		}
	})
	ServerStream(r, method3, func(ctx context.Context, in *str, send func(*str) error) error {
		for range method3Copies {
			if err := send(wrapperspb.String(in.Value)); err != nil {
				return err
			}
		}
		return nil
	})
	Bidi(r, method4, bidiEcho)
	return r
}

// bidiEcho echoes every request until the client closes its side. A negative request
// ends the call with InvalidArgument: that is how ErrorIsolation fails one stream.
func bidiEcho(ctx context.Context, recv func() (*i64, error), send func(*i64) error) error {
	for {
		m, err := recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if m.Value < 0 {
			return Errorf(InvalidArgument, "negative value %d", m.Value)
		}
		if err := send(m); err != nil {
			return err
		}
	}
}

// realTransport makes the two ends of one real connection.
type realTransport struct {
	name  string
	conns func(t *testing.T) (cli, srv net.Conn)
}

var realTransports = []realTransport{{"pipe", pipeConns}, {"tcp", tcpConns}}

func pipeConns(t *testing.T) (net.Conn, net.Conn) { return net.Pipe() }

// tcpConns returns both ends of one TCP loopback connection; the listener is closed.
func tcpConns(t *testing.T) (net.Conn, net.Conn) {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	type accepted struct {
		c   net.Conn
		err error
	}
	ch := make(chan accepted, 1)
	go func() {
		c, err := lis.Accept()
		ch <- accepted{c, err}
	}()
	cli, err := net.Dial("tcp", lis.Addr().String())
	if err != nil {
		_ = lis.Close() // unblocks Accept
	}
	// Dial can return before Accept has taken the connection off the backlog: close
	// the listener only once it has.
	a := <-ch
	_ = lis.Close()
	if err != nil || a.err != nil {
		if cli != nil {
			_ = cli.Close()
		}
		if a.c != nil {
			_ = a.c.Close()
		}
		t.Fatalf("tcp loopback: dial: %v, accept: %v", err, a.err)
	}
	return cli, a.c
}

// forEachTransport runs test as the subtests "pipe" and "tcp", each with its own
// deadline (realTest) and checked for leaked goroutines on its own.
func forEachTransport(t *testing.T, test func(t *testing.T, tr realTransport)) {
	for _, tr := range realTransports {
		t.Run(tr.name, func(t *testing.T) {
			defer verifyNone(t)
			realTest(t, func(t *testing.T) { test(t, tr) })
		})
	}
}

// harness is a client and a server (ServeOne in its own goroutine) on one connection.
type harness struct {
	client *Client
	raw    net.Conn // the client's end of the transport, for closing it under the client
	served chan error

	closeOnce sync.Once
	closeErr  error
}

// startPair connects a client to a server of h over a fresh connection of tr. The caller
// defers shutdown.
func startPair(t *testing.T, tr realTransport, h Handler) *harness {
	t.Helper()
	cli, srv := tr.conns(t)
	sv := NewServer(h, Options{})
	hr := &harness{raw: cli, served: make(chan error, 1)}
	go func() { hr.served <- sv.ServeOne(context.Background(), srv) }()
	hr.client = NewClient(cli, Options{})
	return hr
}

// close closes the client once; any number of goroutines may call it.
func (h *harness) close() error {
	h.closeOnce.Do(func() { h.closeErr = h.client.Close() })
	return h.closeErr
}

// shutdown closes the client, if the test has not, and waits for ServeOne to return, so
// that no goroutine of the pair outlives the test.
func (h *harness) shutdown(t *testing.T) {
	t.Helper()
	var err error
	await(t, "client Close", goDone(func() { err = h.close() }))
	if err != nil {
		t.Errorf("client Close: %v", err)
	}
	var served error
	await(t, "ServeOne", goDone(func() { served = <-h.served }))
	// A client that goes away mid-write can reset the connection (TCP); what a
	// well-behaved client must never cause is a protocol error.
	if served != nil && (ProtocolError.Has(served) || !errors.Is(served, syscall.ECONNRESET)) {
		t.Errorf("ServeOne: %v", served)
	}
}

// guardTimeout bounds every wait that only a deadlock could make endless. It is a
// deadlock guard, not a timing assertion: generous enough that a loaded CI machine under
// -race never trips it. It is twice realTest's deadline, which fires first, with the
// connections' state, and leaves the test's goroutines blocked: a guard that failed the
// test first would run the test's deferred shutdown and wake them, and one that called
// t.Errorf after its test ended would panic the test binary.
const guardTimeout = 2 * sim.DefaultRealTimeout

// await fails the test, with every goroutine's stack, if done is not closed within
// guardTimeout.
func await(t *testing.T, what string, done <-chan struct{}) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(guardTimeout):
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		t.Fatalf("%s did not finish within %v (deadlock?); goroutines:\n%s", what, guardTimeout, buf)
	}
}

// awaitGroup is await for a WaitGroup.
func awaitGroup(t *testing.T, what string, wg *sync.WaitGroup) {
	t.Helper()
	await(t, what, goDone(wg.Wait))
}

// goDone runs fn in a goroutine and returns a channel closed when it returns.
func goDone(fn func()) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	return done
}

var stressSeed = flag.Uint64("stress.seed", 0, "seed of the randomized stress tests (0: pick one and log it)")

// testSeed returns the seed of a randomized test and logs it with the command that
// replays the run. Call it from the top-level test, so that both transports share it.
func testSeed(t *testing.T) uint64 {
	t.Helper()
	seed := *stressSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (replay: go test ./mux -run '^%s$' -stress.seed=%d)", seed, t.Name(), seed)
	return seed
}

// echoValue sends v on a Method4 stream and checks that v comes back.
func echoValue(s *Stream, v int64) error {
	if err := s.Send(wrapperspb.Int64(v)); err != nil {
		return fmt.Errorf("stream %d: send %d: %w", s.ID(), v, err)
	}
	var out i64
	if err := s.Recv(&out); err != nil {
		return fmt.Errorf("stream %d: recv echo of %d: %w", s.ID(), v, err)
	}
	if out.Value != v {
		return fmt.Errorf("stream %d: sent %d, echo is %d", s.ID(), v, out.Value)
	}
	return nil
}

// finishStream closes the sending half of s and checks that the stream then ends with io.EOF.
func finishStream(s *Stream) error {
	if err := s.CloseSend(); err != nil {
		return fmt.Errorf("stream %d: CloseSend: %w", s.ID(), err)
	}
	var out i64
	if err := s.Recv(&out); err != io.EOF {
		return fmt.Errorf("stream %d: Recv after CloseSend = (%d, %v), want io.EOF", s.ID(), out.Value, err)
	}
	return nil
}
