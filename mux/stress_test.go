package mux

// The stress and multiplexing integration tests of the cockroachdb/drpc multiplexing
// branch (internal/integration/stress_test.go and multiplex_test.go, reference/drpc.md
// §5.1–5.2), run against our engine in real mode: real goroutines, over net.Pipe and over
// TCP loopback, each checked for leaked goroutines. The service is stressRouter's
// Method1..Method4 (stress_helpers_test.go).

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/wrapperspb"
)

// TestStressSustainedConcurrentStreams checks that streams sharing a connection each get
// back exactly what they sent: no frame reaches the wrong stream and no buffer is reused
// under another stream's data. Method: 50 bidi streams run 100 echo round trips each at
// once, with values i*1000+j unique on the connection; each then closes its sending half
// and must see io.EOF.
func TestStressSustainedConcurrentStreams(t *testing.T) {
	defer verifyNone(t)
	const streams, trips = 50, 100
	forEachTransport(t, func(t *testing.T, tr realTransport) {
		h := startPair(t, tr, stressRouter())
		defer h.shutdown(t)
		var wg sync.WaitGroup
		for i := range streams {
			wg.Go(func() {
				s, err := h.client.NewStream(context.Background(), method4)
				if err != nil {
					t.Errorf("stream %d: NewStream: %v", i, err)
					return
				}
				for j := range trips {
					if err := echoValue(s, int64(i*1000+j)); err != nil {
						t.Error(err)
						return
					}
				}
				if err := finishStream(s); err != nil {
					t.Error(err)
				}
			})
		}
		awaitGroup(t, "the streams", &wg)
	})
}

// TestStressRapidOpenCloseCycles checks that stream IDs, the registries and the server's
// invoke handshake survive many stream lifetimes on one connection. Method: 500 times in
// sequence, open a bidi stream, echo once, close the sending half and expect io.EOF; the
// client numbers its streams 1, 2, 3, ...
func TestStressRapidOpenCloseCycles(t *testing.T) {
	defer verifyNone(t)
	const cycles = 500
	forEachTransport(t, func(t *testing.T, tr realTransport) {
		h := startPair(t, tr, stressRouter())
		defer h.shutdown(t)
		await(t, "the cycles", goDone(func() {
			for i := range cycles {
				s, err := h.client.NewStream(context.Background(), method4)
				if err != nil {
					t.Errorf("cycle %d: NewStream: %v", i, err)
					return
				}
				if s.ID() != uint64(i+1) {
					t.Errorf("cycle %d: stream ID %d, want %d", i, s.ID(), i+1)
				}
				if err := echoValue(s, int64(i)); err != nil {
					t.Errorf("cycle %d: %v", i, err)
					return
				}
				if err := finishStream(s); err != nil {
					t.Errorf("cycle %d: %v", i, err)
					return
				}
			}
		}))
	})
}

// TestStressCancelStorm checks that cancelling streams ends only those streams. Method: 30
// bidi streams echo 20 values each; half of them, chosen by a seeded RNG, are cancelled
// after a random 0–500 µs while traffic flows. The others must see no error, correct
// echoes and io.EOF; a cancelled one may end early, but only with io.EOF from Send or
// Canceled from Recv, and every echo it did get must be right. Afterwards the connection
// still serves a new stream.
func TestStressCancelStorm(t *testing.T) {
	defer verifyNone(t)
	const streams, echoes = 30, 20
	const jitterMax = 500 * time.Microsecond
	seed := testSeed(t)
	forEachTransport(t, func(t *testing.T, tr realTransport) {
		rng := rand.New(rand.NewPCG(seed, 0))
		cancelled := make([]bool, streams)
		for _, i := range rng.Perm(streams)[:streams/2] {
			cancelled[i] = true
		}
		jitter := make([]time.Duration, streams)
		for i := range jitter {
			jitter[i] = time.Duration(rng.Int64N(int64(jitterMax) + 1))
		}

		h := startPair(t, tr, stressRouter())
		defer h.shutdown(t)
		ss := make([]*Stream, streams)
		cancels := make([]context.CancelFunc, streams)
		defer func() {
			for _, cancel := range cancels {
				if cancel != nil {
					cancel()
				}
			}
		}()
		for i := range streams {
			ctx, cancel := context.WithCancel(context.Background())
			cancels[i] = cancel
			s, err := h.client.NewStream(ctx, method4)
			if err != nil {
				t.Fatalf("stream %d: NewStream: %v", i, err)
			}
			ss[i] = s
		}

		start := make(chan struct{})
		var wg sync.WaitGroup
		var cutShort atomic.Int64 // cancelled streams that did end early
		for i, s := range ss {
			if cancelled[i] {
				wg.Go(func() {
					<-start
					time.Sleep(jitter[i])
					cancels[i]()
				})
			}
			wg.Go(func() {
				<-start
				err := stormTraffic(s, i, echoes)
				switch {
				case err == nil:
				case !cancelled[i]:
					t.Errorf("surviving stream %d: %v", i, err)
				case !errors.Is(err, errCancelClass):
					t.Errorf("cancelled stream %d: %v", i, err)
				default:
					cutShort.Add(1)
				}
			})
		}
		close(start)
		awaitGroup(t, "the streams and cancellers", &wg)
		t.Logf("%d of %d cancelled streams were cut short", cutShort.Load(), streams/2)

		s, err := h.client.NewStream(context.Background(), method4)
		if err != nil {
			t.Fatalf("NewStream after the storm: %v", err)
		}
		if err := echoValue(s, 424242); err != nil {
			t.Errorf("after the storm: %v", err)
		}
		if err := finishStream(s); err != nil {
			t.Errorf("after the storm: %v", err)
		}
	})
}

// errCancelClass marks, in stormTraffic's error, an ending a cancelled stream may have.
var errCancelClass = errors.New("cancellation")

// stormTraffic echoes i*1000+j for j < echoes on s, then closes its sending half and
// expects io.EOF. An error that cancellation explains (io.EOF from Send, Canceled from
// Recv) wraps errCancelClass; any other is plainly wrong.
func stormTraffic(s *Stream, i, echoes int) error {
	for j := range echoes {
		v := int64(i*1000 + j)
		if err := s.Send(wrapperspb.Int64(v)); err != nil {
			if err == io.EOF {
				return fmt.Errorf("%w: send %d: %v", errCancelClass, v, err)
			}
			return fmt.Errorf("send %d: %v", v, err)
		}
		var out i64
		if err := s.Recv(&out); err != nil {
			return recvEnd(fmt.Sprintf("recv echo of %d", v), err)
		}
		if out.Value != v {
			return fmt.Errorf("sent %d, echo is %d", v, out.Value)
		}
	}
	_ = s.CloseSend()
	var out i64
	switch err := s.Recv(&out); {
	case err == io.EOF:
		return nil
	case err != nil:
		return recvEnd("recv after CloseSend", err)
	default:
		return fmt.Errorf("recv after CloseSend: unexpected message %d", out.Value)
	}
}

func recvEnd(what string, err error) error {
	if CodeOf(err) == Canceled {
		return fmt.Errorf("%w: %s: %v", errCancelClass, what, err)
	}
	return fmt.Errorf("%s: %v (code %v)", what, err, CodeOf(err))
}

// TestStressShutdownDuringActivity checks that closing a client under load neither hangs
// nor strands a caller. Method: 20 bidi streams echo in loops; once every stream has
// completed a round trip the client is closed. Close must return (deadlock guard), every
// loop must end, Send with io.EOF or Recv with Canceled (a local Close is a
// cancellation, DESIGN §6.3), and nothing may leak.
func TestStressShutdownDuringActivity(t *testing.T) {
	defer verifyNone(t)
	const streams = 20
	forEachTransport(t, func(t *testing.T, tr realTransport) {
		h := startPair(t, tr, stressRouter())
		defer h.shutdown(t)
		var warm, loops sync.WaitGroup
		warm.Add(streams)
		for i := range streams {
			s, err := h.client.NewStream(context.Background(), method4)
			if err != nil {
				t.Fatalf("stream %d: NewStream: %v", i, err)
			}
			loops.Go(func() {
				err := echoUntilError(s, i, warm.Done)
				if err == nil || !endedByClose(err) {
					t.Errorf("stream %d ended with %v, want io.EOF from Send or Canceled from Recv", i, err)
				}
			})
		}
		awaitGroup(t, "a first round trip on every stream", &warm)
		time.Sleep(10 * time.Millisecond) // let the traffic run, as the reference does
		var err error
		await(t, "client Close", goDone(func() { err = h.close() }))
		if err != nil {
			t.Errorf("Close: %v", err)
		}
		awaitGroup(t, "the loops", &loops)
	})
}

// sendError and recvError say which call ended an echo loop.
type sendError struct{ err error }
type recvError struct{ err error }

func (e sendError) Error() string { return "send: " + e.err.Error() }
func (e recvError) Error() string { return "recv: " + e.err.Error() }
func (e sendError) Unwrap() error { return e.err }
func (e recvError) Unwrap() error { return e.err }

// echoUntilError echoes i*1000+j%1000 on s for j = 0, 1, ... until a call fails, and
// returns the failure (a sendError or a recvError; a wrong echo is an error too). It
// calls warm once: after the first round trip, or when the loop ends before one.
func echoUntilError(s *Stream, i int, warm func()) error {
	warmed := false
	defer func() {
		if !warmed {
			warm()
		}
	}()
	for j := 0; ; j++ {
		v := int64(i*1000 + j%1000)
		if err := s.Send(wrapperspb.Int64(v)); err != nil {
			return sendError{err}
		}
		var out i64
		if err := s.Recv(&out); err != nil {
			return recvError{err}
		}
		if out.Value != v {
			return fmt.Errorf("sent %d, echo is %d", v, out.Value)
		}
		if !warmed {
			warmed = true
			warm()
		}
	}
}

// endedByClose reports whether an echo loop's error is what a local Close gives.
func endedByClose(err error) bool {
	var se sendError
	var re recvError
	switch {
	case errors.As(err, &se):
		return se.err == io.EOF
	case errors.As(err, &re):
		return CodeOf(re.err) == Canceled
	}
	return false
}

// TestStressMixedRPCTypes checks that the four RPC kinds run correctly side by side on one
// connection. Method: 30 goroutines do 10 rounds each of a random kind (seeded): a unary
// echo, a client stream summing five values, a server stream of three copies, a bidi
// stream of five echoes; every result must be exact, every stream must end with io.EOF.
func TestStressMixedRPCTypes(t *testing.T) {
	defer verifyNone(t)
	const goroutines, rounds = 30, 10
	seed := testSeed(t)
	forEachTransport(t, func(t *testing.T, tr realTransport) {
		h := startPair(t, tr, stressRouter())
		defer h.shutdown(t)
		var wg sync.WaitGroup
		for g := range goroutines {
			rng := rand.New(rand.NewPCG(seed, uint64(g)))
			wg.Go(func() {
				for r := range rounds {
					base := int64((g*rounds + r) * 10)
					var err error
					switch kind := rng.IntN(4); kind {
					case 0:
						err = mixedUnary(h.client, fmt.Sprintf("g%d-r%d", g, r))
					case 1:
						err = mixedClientStream(h.client, base)
					case 2:
						err = mixedServerStream(h.client, fmt.Sprintf("g%d-r%d", g, r))
					case 3:
						err = mixedBidi(h.client, base)
					}
					if err != nil {
						t.Errorf("goroutine %d round %d: %v", g, r, err)
						return
					}
				}
			})
		}
		awaitGroup(t, "the goroutines", &wg)
	})
}

func mixedUnary(c *Client, v string) error {
	var out str
	if err := c.Invoke(context.Background(), method1, wrapperspb.String(v), &out); err != nil {
		return fmt.Errorf("unary %q: %w", v, err)
	}
	if out.Value != "echo:"+v {
		return fmt.Errorf("unary %q: got %q", v, out.Value)
	}
	return nil
}

// mixedClientStream sends base+1 .. base+5 and expects their sum.
func mixedClientStream(c *Client, base int64) error {
	s, err := c.NewStream(context.Background(), method2)
	if err != nil {
		return fmt.Errorf("client stream: NewStream: %w", err)
	}
	var want int64
	for k := int64(1); k <= 5; k++ {
		want += base + k
		if err := s.Send(wrapperspb.Int64(base + k)); err != nil {
			return fmt.Errorf("client stream: send: %w", err)
		}
	}
	_ = s.CloseSend()
	var out i64
	if err := s.Recv(&out); err != nil {
		return fmt.Errorf("client stream: recv: %w", err)
	}
	if out.Value != want {
		return fmt.Errorf("client stream from %d: sum %d, want %d", base, out.Value, want)
	}
	if err := s.Recv(&out); err != io.EOF {
		return fmt.Errorf("client stream: Recv after the sum = %v, want io.EOF", err)
	}
	return nil
}

func mixedServerStream(c *Client, v string) error {
	s, err := c.NewStream(context.Background(), method3)
	if err != nil {
		return fmt.Errorf("server stream: NewStream: %w", err)
	}
	if err := s.Send(wrapperspb.String(v)); err != nil {
		return fmt.Errorf("server stream: send: %w", err)
	}
	_ = s.CloseSend()
	var out str
	for k := range method3Copies {
		if err := s.Recv(&out); err != nil {
			return fmt.Errorf("server stream %q: copy %d: %w", v, k, err)
		}
		if out.Value != v {
			return fmt.Errorf("server stream %q: copy %d is %q", v, k, out.Value)
		}
	}
	if err := s.Recv(&out); err != io.EOF {
		return fmt.Errorf("server stream %q: Recv after %d copies = (%q, %v), want io.EOF", v, method3Copies, out.Value, err)
	}
	return nil
}

func mixedBidi(c *Client, base int64) error {
	s, err := c.NewStream(context.Background(), method4)
	if err != nil {
		return fmt.Errorf("bidi: NewStream: %w", err)
	}
	for k := int64(1); k <= 5; k++ {
		if err := echoValue(s, base+k); err != nil {
			return fmt.Errorf("bidi: %w", err)
		}
	}
	return finishStream(s)
}

// TestStressConcurrentCancelCloseTransportClose checks that the three ways a connection's
// streams can end, racing each other, all finish and leave nothing behind (termination is
// first-wins and idempotent). Method: 10 bidi streams echo in loops; then at once every
// stream's context is cancelled, the client is closed, and the raw transport is closed
// under it. All three and every loop must finish (deadlock guard); each loop must end with
// io.EOF from Send or Canceled/Unavailable from Recv.
func TestStressConcurrentCancelCloseTransportClose(t *testing.T) {
	defer verifyNone(t)
	const streams = 10
	forEachTransport(t, func(t *testing.T, tr realTransport) {
		h := startPair(t, tr, stressRouter())
		defer h.shutdown(t)
		cancels := make([]context.CancelFunc, streams)
		var warm, loops sync.WaitGroup
		warm.Add(streams)
		for i := range streams {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cancels[i] = cancel
			s, err := h.client.NewStream(ctx, method4)
			if err != nil {
				t.Fatalf("stream %d: NewStream: %v", i, err)
			}
			loops.Go(func() {
				err := echoUntilError(s, i, warm.Done)
				var se sendError
				var re recvError
				switch {
				case errors.As(err, &se) && se.err == io.EOF:
				case errors.As(err, &re) && (CodeOf(re.err) == Canceled || CodeOf(re.err) == Unavailable):
				default:
					t.Errorf("stream %d ended with %v (code %v), want io.EOF from Send or Canceled/Unavailable from Recv", i, err, CodeOf(err))
				}
			})
		}
		awaitGroup(t, "a first round trip on every stream", &warm)

		start := make(chan struct{})
		var enders sync.WaitGroup
		var closeErr error
		enders.Go(func() {
			<-start
			for _, cancel := range cancels {
				cancel()
			}
		})
		enders.Go(func() {
			<-start
			closeErr = h.close()
		})
		enders.Go(func() {
			<-start
			_ = h.raw.Close()
		})
		close(start)
		awaitGroup(t, "cancel, Close and transport close", &enders)
		if closeErr != nil {
			t.Errorf("Close: %v", closeErr)
		}
		awaitGroup(t, "the loops", &loops)
	})
}

// TestStressConcurrentUnary checks that concurrent unary calls on one connection do not
// share buffers or swap responses. Method: 100 goroutines make 50 unary calls each with a
// payload unique to the call; every response must be that payload's echo.
func TestStressConcurrentUnary(t *testing.T) {
	defer verifyNone(t)
	const goroutines, calls = 100, 50
	forEachTransport(t, func(t *testing.T, tr realTransport) {
		h := startPair(t, tr, stressRouter())
		defer h.shutdown(t)
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Go(func() {
				for u := range calls {
					if err := mixedUnary(h.client, fmt.Sprintf("g%d-u%d", g, u)); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		awaitGroup(t, "the callers", &wg)
	})
}

// TestStressBurstUnary checks the server's invoke handshake and the writer's batching
// under a burst of new streams. Method: 1000 goroutines, released together, make one unary
// call each with a unique payload; every response must be that payload's echo.
func TestStressBurstUnary(t *testing.T) {
	defer verifyNone(t)
	const goroutines = 1000
	forEachTransport(t, func(t *testing.T, tr realTransport) {
		h := startPair(t, tr, stressRouter())
		defer h.shutdown(t)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Go(func() {
				<-start
				if err := mixedUnary(h.client, fmt.Sprintf("burst-%d", g)); err != nil {
					t.Error(err)
				}
			})
		}
		close(start)
		awaitGroup(t, "the callers", &wg)
	})
}

// TestMultiplexCancelIsolation checks that cancelling one stream ends only that stream.
// Method: three bidi streams echo once; the second one's context is cancelled; its Recv
// must return Canceled (and its Send io.EOF), while the first and third keep echoing and
// end with io.EOF.
func TestMultiplexCancelIsolation(t *testing.T) {
	defer verifyNone(t)
	forEachTransport(t, func(t *testing.T, tr realTransport) {
		h := startPair(t, tr, stressRouter())
		defer h.shutdown(t)
		ctx2, cancel2 := context.WithCancel(context.Background())
		defer cancel2()
		s1, s2, s3 := mustStream(t, h, context.Background()), mustStream(t, h, ctx2), mustStream(t, h, context.Background())
		await(t, "the exchange", goDone(func() {
			for k, s := range []*Stream{s1, s2, s3} {
				if err := echoValue(s, int64(k+1)); err != nil {
					t.Error(err)
					return
				}
			}
			cancel2()
			var out i64
			if err := s2.Recv(&out); CodeOf(err) != Canceled || !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled stream: Recv = (%d, %v), want a Canceled error", out.Value, err)
			}
			if err := s2.Send(wrapperspb.Int64(99)); err != io.EOF {
				t.Errorf("cancelled stream: Send = %v, want io.EOF", err)
			}
			for _, s := range []*Stream{s1, s3} {
				for k := range 5 {
					if err := echoValue(s, int64(100*s.ID())+int64(k)); err != nil {
						t.Errorf("after cancelling stream %d: %v", s2.ID(), err)
						return
					}
				}
				if err := finishStream(s); err != nil {
					t.Error(err)
				}
			}
		}))
	})
}

// TestMultiplexErrorIsolation checks that a handler's error ends only its own stream and
// reaches the caller with its code. Method: two bidi streams echo once; stream 1 sends a
// negative value, on which the handler returns InvalidArgument; s1.Recv must return that
// *Error every time it is called (and s1.Send io.EOF), while stream 2 keeps echoing and
// ends with io.EOF.
func TestMultiplexErrorIsolation(t *testing.T) {
	defer verifyNone(t)
	forEachTransport(t, func(t *testing.T, tr realTransport) {
		h := startPair(t, tr, stressRouter())
		defer h.shutdown(t)
		s1, s2 := mustStream(t, h, context.Background()), mustStream(t, h, context.Background())
		await(t, "the exchange", goDone(func() {
			for k, s := range []*Stream{s1, s2} {
				if err := echoValue(s, int64(k+1)); err != nil {
					t.Error(err)
					return
				}
			}
			if err := s1.Send(wrapperspb.Int64(-7)); err != nil {
				t.Errorf("stream 1: send of the failing value: %v", err)
				return
			}
			for k := range 3 {
				var out i64
				err := s1.Recv(&out)
				var e *Error
				if !errors.As(err, &e) || e.Code != InvalidArgument || e.Msg != "negative value -7" {
					t.Errorf("stream 1: Recv #%d = (%d, %v), want InvalidArgument \"negative value -7\"", k, out.Value, err)
				}
			}
			if err := s1.Send(wrapperspb.Int64(8)); err != io.EOF {
				t.Errorf("stream 1: Send after the error = %v, want io.EOF", err)
			}
			for k := range 5 {
				if err := echoValue(s2, int64(10+k)); err != nil {
					t.Errorf("after stream 1 failed: %v", err)
					return
				}
			}
			if err := finishStream(s2); err != nil {
				t.Error(err)
			}
		}))
	})
}

// TestMultiplexConnCloseWithActiveStreams checks that closing a client ends every stream
// at both ends, even streams whose handlers only wait. Method: three bidi handlers block on
// their stream's context; once all three run, the client is closed. Close must return
// (deadlock guard); every client Recv must fail with Canceled (a local Close); every
// handler must see its context end with Canceled (its client went away) and return.
func TestMultiplexConnCloseWithActiveStreams(t *testing.T) {
	defer verifyNone(t)
	const streams = 3
	forEachTransport(t, func(t *testing.T, tr realTransport) {
		entered := make(chan struct{}, streams)
		causes := make(chan error, streams)
		r := NewRouter()
		Bidi(r, method4, func(ctx context.Context, recv func() (*i64, error), send func(*i64) error) error {
			entered <- struct{}{}
			<-ctx.Done()
			causes <- context.Cause(ctx)
			return ctx.Err()
		})
		h := startPair(t, tr, r)
		defer h.shutdown(t)
		ss := make([]*Stream, streams)
		for i := range ss {
			ss[i] = mustStream(t, h, context.Background())
		}
		await(t, "every handler to start", goDone(func() {
			for range streams {
				<-entered
			}
		}))

		var err error
		await(t, "client Close", goDone(func() { err = h.close() }))
		if err != nil {
			t.Errorf("Close: %v", err)
		}
		await(t, "the client Recvs", goDone(func() {
			for _, s := range ss {
				var out i64
				if err := s.Recv(&out); CodeOf(err) != Canceled {
					t.Errorf("stream %d: Recv after Close = (%d, %v), want a Canceled error", s.ID(), out.Value, err)
				}
			}
		}))
		await(t, "every handler to return", goDone(func() {
			for range streams {
				if cause := <-causes; CodeOf(cause) != Canceled {
					t.Errorf("handler's context ended with %v (code %v), want Canceled", cause, CodeOf(cause))
				}
			}
		}))
	})
}

// TestMultiplexTransportCloseTerminatesAllStreams checks that the death of the transport
// ends every stream on the connection and that the client can still be closed cleanly.
// Method: three bidi streams echo once; the client's raw transport is closed under it;
// every stream's Recv must fail with Unavailable, and Close must then return nil
// (deadlock guard).
func TestMultiplexTransportCloseTerminatesAllStreams(t *testing.T) {
	defer verifyNone(t)
	const streams = 3
	forEachTransport(t, func(t *testing.T, tr realTransport) {
		h := startPair(t, tr, stressRouter())
		defer h.shutdown(t)
		ss := make([]*Stream, streams)
		for i := range ss {
			ss[i] = mustStream(t, h, context.Background())
		}
		await(t, "the exchange", goDone(func() {
			for k, s := range ss {
				if err := echoValue(s, int64(k+1)); err != nil {
					t.Error(err)
					return
				}
			}
			if err := h.raw.Close(); err != nil {
				t.Errorf("closing the transport: %v", err)
			}
			for _, s := range ss {
				var out i64
				if err := s.Recv(&out); CodeOf(err) != Unavailable {
					t.Errorf("stream %d: Recv after transport close = (%d, %v), want an Unavailable error", s.ID(), out.Value, err)
				}
			}
		}))
		var err error
		await(t, "client Close", goDone(func() { err = h.close() }))
		if err != nil {
			t.Errorf("Close after transport close: %v", err)
		}
	})
}

// mustStream opens a Method4 stream or fails the test.
func mustStream(t *testing.T, h *harness, ctx context.Context) *Stream {
	t.Helper()
	s, err := h.client.NewStream(ctx, method4)
	if err != nil {
		t.Fatalf("NewStream: %v", err)
	}
	return s
}
