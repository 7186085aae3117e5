package mux

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/muxsim/muxsim/mux/wire"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/simnet"
)

// TestLimitsAreStreamScoped checks each limit's error and that the connection survives
// it: an invoke beyond MaxStreams, metadata over MetadataMax, a message over PacketMax.
func TestLimitsAreStreamScoped(t *testing.T) { realTest(t, testLimitsAreStreamScoped) }

func testLimitsAreStreamScoped(t *testing.T) {
	rt := sim.Real()
	cli, srv := net.Pipe()
	opts := Options{MaxStreams: 2, MetadataMax: 100, PacketMax: 1 << 16}
	release := rt.NewEvent("release")
	inside := make(chan struct{}, 2)
	r := echoRouter()
	Unary(r, "/hold", func(ctx context.Context, in *str) (*str, error) {
		inside <- struct{}{}
		_ = rt.Wait(ctx, release)
		return in, nil
	})
	server := NewServer(r, opts)
	done := make(chan struct{})
	go func() { defer close(done); _ = server.ServeOne(context.Background(), srv) }()
	c := NewClient(cli, opts)
	defer func() { c.Close(); <-done }()

	// Two calls hold the server's two stream slots; a third is refused, not queued.
	held := make(chan error, 2)
	for range 2 {
		go func() {
			var out str
			held <- c.Invoke(context.Background(), "/hold", wrapperspb.String("x"), &out)
		}()
	}
	<-inside
	<-inside
	var out str
	refused := c.Invoke(context.Background(), "/echo/Unary", wrapperspb.String("y"), &out)
	if CodeOf(refused) != ResourceExhausted || !strings.Contains(refused.Error(), "too many concurrent streams") {
		t.Fatalf("third concurrent call: %v", refused)
	}
	release.Fire()
	for range 2 {
		if err := <-held; err != nil {
			t.Fatalf("held call: %v", err)
		}
	}
	ctx := WithMetadata(context.Background(), "k", strings.Repeat("v", 200))
	if err := c.Invoke(ctx, "/echo/Unary", wrapperspb.String("z"), &out); CodeOf(err) != ResourceExhausted {
		t.Fatalf("oversized metadata: %v", err)
	}
	if err := c.Invoke(context.Background(), "/echo/Unary", wrapperspb.String(strings.Repeat("x", 1<<17)), &out); CodeOf(err) != ResourceExhausted {
		t.Fatalf("a message over the packet limit: %v, want ResourceExhausted", err)
	}
	if err := c.Invoke(context.Background(), "/echo/Unary", wrapperspb.String("after"), &out); err != nil || out.Value != "echo:after" {
		t.Fatalf("the connection did not survive the limits: %q %v", out.Value, err)
	}
}

// TestOverLimitMessageIsRefused checks what a client hears when it sends a message over
// the server's PacketMax: not a Cancel (which a stock DRPC client reports as "context
// canceled" or a bare "EOF"), but the server's reason, an Error frame with ResourceExhausted and
// a message naming the limit; and the connection serves the next call. Method: unary
// and bidi calls over net.Pipe with the server's PacketMax well under the message, the
// client's at the default.
func TestOverLimitMessageIsRefused(t *testing.T) { realTest(t, testOverLimitMessageIsRefused) }

func testOverLimitMessageIsRefused(t *testing.T) {
	cli, srv := net.Pipe()
	server := NewServer(echoRouter(), Options{PacketMax: 1 << 12})
	done := make(chan struct{})
	go func() { defer close(done); _ = server.ServeOne(context.Background(), srv) }()
	c := NewClient(cli, Options{})
	defer func() { c.Close(); <-done }()

	refused := func(what string, err error) {
		t.Helper()
		var e *Error
		if !errors.As(err, &e) || e.Code != ResourceExhausted || !strings.Contains(e.Msg, "larger than the packet limit") {
			t.Fatalf("%s over the server's packet limit: %v, want ResourceExhausted naming the limit", what, err)
		}
	}
	big := wrapperspb.String(strings.Repeat("x", 1<<16)) // 16 times the limit, many frames
	var out str
	refused("unary", c.Invoke(context.Background(), "/echo/Unary", big, &out))

	s, err := c.NewStream(context.Background(), "/echo/Bidi")
	if err != nil {
		t.Fatal(err)
	}
	// Send may succeed (the message is queued) or, if the Error is already in, return
	// io.EOF; Recv reports the server's reason either way.
	if err := s.Send(big); err != nil && err != io.EOF {
		t.Fatalf("bidi send: %v", err)
	}
	refused("bidi", s.Recv(&out))
	if err := s.Send(wrapperspb.String("more")); err != io.EOF {
		t.Fatalf("send after the refusal: %v, want io.EOF", err)
	}

	if err := c.Invoke(context.Background(), "/echo/Unary", wrapperspb.String("after"), &out); err != nil || out.Value != "echo:after" {
		t.Fatalf("the connection did not survive the refusal: %q %v", out.Value, err)
	}
}

// TestPeerIgnoringCreditLosesItsStream plays a client that sends past its window: the
// server ends that stream with a ResourceExhausted Error frame saying so, drops the rest
// of the client's frames for it, and serves the next stream.
func TestPeerIgnoringCreditLosesItsStream(t *testing.T) {
	realTest(t, testPeerIgnoringCreditLosesItsStream)
}

func testPeerIgnoringCreditLosesItsStream(t *testing.T) {
	cli, srv := net.Pipe()
	r := echoRouter()
	r.register("/sink", func(s *Stream) error { // never reads: the client's bytes pile up
		<-s.Context().Done()
		return s.Context().Err()
	})
	server := NewServer(r, Options{StreamWindow: 1 << 16})
	done := make(chan struct{})
	go func() { defer close(done); _ = server.ServeOne(context.Background(), srv) }()
	defer func() { cli.Close(); <-done }()
	var b []byte
	b = wire.AppendFrame(b, wire.Frame{ID: wire.ID{Stream: 1, Message: 1}, Kind: wire.KindInvoke, Done: true, Data: []byte("/sink")})
	// Ten messages of 32 KiB against a 64 KiB window that is never granted back.
	for m := uint64(2); m < 12; m++ {
		b = wire.AppendFrame(b, wire.Frame{ID: wire.ID{Stream: 1, Message: m}, Kind: wire.KindMessage, Done: true, Data: make([]byte, 32<<10)})
	}
	go cli.Write(b)
	rd := wire.NewReader(cli)
	for {
		fr, err := rd.ReadFrame()
		if err != nil {
			t.Fatalf("no Error before %v", err)
		}
		if fr.ID.Stream != 1 || fr.Kind == kindWindowUpdate {
			continue
		}
		code, msg, perr := wire.ParseErrorData(fr.Data)
		if fr.Kind != wire.KindError || perr != nil || Code(code) != ResourceExhausted || !strings.Contains(msg, "receive buffer overflow") {
			t.Fatalf("stream 1 ended with %v %q, want a ResourceExhausted Error naming the overflow", fr, fr.Data)
		}
		break
	}
	// The connection still serves: a unary call on stream 3.
	var req []byte
	req = wire.AppendFrame(req, wire.Frame{ID: wire.ID{Stream: 3, Message: 1}, Kind: wire.KindInvoke, Done: true, Data: []byte("/echo/Unary")})
	data, _ := protoMarshal(wrapperspb.String("ok"))
	req = wire.AppendFrame(req, wire.Frame{ID: wire.ID{Stream: 3, Message: 2}, Kind: wire.KindMessage, Done: true, Data: data})
	req = wire.AppendFrame(req, wire.Frame{ID: wire.ID{Stream: 3, Message: 3}, Kind: wire.KindCloseSend, Done: true})
	go cli.Write(req)
	for {
		fr, err := rd.ReadFrame()
		if err != nil {
			t.Fatalf("stream 3 got no reply: %v", err)
		}
		if fr.ID.Stream == 3 && fr.Kind == wire.KindMessage {
			return
		}
		if fr.ID.Stream == 3 && fr.Kind == wire.KindError {
			t.Fatalf("stream 3 failed: %x", fr.Data)
		}
	}
}

// TestLegacyClientNeverGoesBack checks legacy mode's promise to stock DRPC servers: one
// stream at a time, and never a frame for a lower stream ID after a higher one, whatever
// concurrent callers do.
func TestLegacyClientNeverGoesBack(t *testing.T) {
	for seed := uint64(1); seed <= 100; seed++ {
		var o sim.Options
		o.Seed = seed
		var err error
		v := sim.Run(o, func(rt *sim.Runtime) {
			cli, srv := simnetPipe(rt)
			rec := &recorder{Conn: cli, rt: rt, mu: rt.NewMutex("rec")}
			opts := Options{Runtime: rt, Legacy: true}
			server := NewServer(echoRouter(), opts)
			serving := rt.NewGroup("server")
			serving.Go("serve", func() { _ = server.ServeOne(context.Background(), srv) })
			c := NewClient(rec, opts)
			g := rt.NewGroup("callers")
			errs := make([]error, 3)
			for i := range 3 {
				g.Go(fmt.Sprint("caller-", i), func() {
					for j := range 3 {
						var out str
						if e := c.Invoke(context.Background(), "/echo/Unary", wrapperspb.String(fmt.Sprint(i, j)), &out); e != nil {
							errs[i] = e
							return
						}
						s, e := c.NewStream(context.Background(), "/echo/Bidi")
						if e != nil {
							errs[i] = e
							return
						}
						s.Send(wrapperspb.String("b"))
						s.Recv(&out)
						s.CloseSend()
						if _, e := s.RecvBytes(); e != io.EOF {
							errs[i] = fmt.Errorf("bidi end: %v", e)
							return
						}
					}
				})
			}
			g.Wait()
			c.Close()
			serving.Wait()
			for _, e := range errs {
				if e != nil {
					err = e
					return
				}
			}
			var last uint64
			for buf := rec.out; len(buf) > 0; {
				rest, fr, ok, perr := wire.ParseFrame(buf)
				if perr != nil || !ok {
					err = fmt.Errorf("unparsable: %v", perr)
					return
				}
				buf = rest
				if fr.ID.Stream < last {
					err = fmt.Errorf("frame %v after a frame of stream %d", fr, last)
					return
				}
				if fr.Kind == kindWindowUpdate {
					err = fmt.Errorf("a window update went to a legacy peer: %v", fr)
					return
				}
				last = fr.ID.Stream
			}
		})
		if !v.OK() || err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, v.Report())
		}
	}
}

func protoMarshal(m *str) ([]byte, error) { return proto.Marshal(m) }

func simnetPipe(rt *sim.Runtime) (net.Conn, net.Conn) {
	a, b := simnet.Pipe(rt, "c", simnet.RandomPlan(rt.Rand("plan"), simnet.Profile{NoFailures: true}))
	return a, b
}
