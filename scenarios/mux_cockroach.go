package scenarios

import (
	"context"
	"errors"
	"fmt"
	"io"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/muxsim/muxsim/mux"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/simnet"
)

// The cockroachdb/drpc multiplexing branch's stress and multiplexing tests
// (reference/drpc.md §5.1-§5.2) as simulated scenarios, at sizes a sweep affords. The same
// tests run on real goroutines over TCP and net.Pipe in mux/stress_test.go.
func init() {
	for _, sc := range []*Scenario{
		{Name: "mux-sustained-streams", Real: true, Body: sustainedStreams,
			Params: []Param{streamsParam(8), {Name: "rounds", Doc: "round trips per stream", Default: 10, Min: 1}},
			Doc: "Eight bidi streams do ten round trips each at once, value i*1000+j: every echo is " +
				"the stream's own (no cross-stream routing or buffer reuse), and each ends with io.EOF."},
		{Name: "mux-open-close-cycles", Real: true, Body: openCloseCycles,
			Params: []Param{{Name: "cycles", Doc: "streams opened and closed in turn", Default: 30, Min: 1}},
			Doc: "Thirty bidi streams in a row on one connection, each open, one echo, CloseSend, " +
				"io.EOF: stream IDs, registry cleanup and the invoke handshake survive many cycles."},
		{Name: "mux-cancel-storm", Real: true, Body: cancelStorm, Params: []Param{streamsParam(8)},
			Doc: "Eight bidi streams echo while about half are cancelled at seeded points: the " +
				"others see no error and exact echoes; the cancelled ones fail only as cancelled."},
		{Name: "mux-shutdown-active", Real: true, Body: shutdownActive, Params: []Param{streamsParam(6)},
			Doc: "Six streams in send and receive loops when the client closes the connection: " +
				"Close returns, every loop ends with an error, and no task is left behind."},
		{Name: "mux-concurrent-unary", Real: true, Body: unaryCallers,
			Params: unaryParams(10, 5),
			Doc: "Ten callers make five unary calls each with their own payloads on one connection: " +
				"every response is the caller's own."},
		{Name: "mux-burst-unary", Real: true, Body: unaryCallers,
			Params: unaryParams(30, 1),
			Doc: "Thirty unary calls start at once on one connection: the invoke handshake and the " +
				"writer's batching take the burst, and every response is right."},
		{Name: "mux-cancel-isolation", Real: true, Body: cancelIsolation,
			Doc: "Three bidi streams; the second is cancelled: its Recv reports Canceled, and the " +
				"first and third keep echoing."},
		{Name: "mux-error-isolation", Real: true, Body: errorIsolation,
			Doc: "A handler fails a unary call with InvalidArgument while a bidi stream on the same " +
				"connection echoes: the call gets the code every time, the stream is unaffected."},
		{Name: "mux-conn-close-active", Real: true, Body: connCloseActive,
			Doc: "Three calls whose handlers wait for their client to go away when the client closes " +
				"the connection: Close returns, every call fails as cancelled, every handler returns."},
		{Name: "mux-transport-close", Real: true, Body: transportClose,
			Doc: "After one echo on three streams the client's transport closes under them: every " +
				"stream's Recv reports Unavailable, and closing the client afterwards is clean."},
	} {
		register(sc)
	}
}

func streamsParam(n int) Param {
	return Param{Name: "streams", Doc: "concurrent streams", Default: n, Min: 1}
}

// unaryParams are unaryCallers' sizes: how many callers, and how many unary calls each.
func unaryParams(callers, calls int) []Param {
	return []Param{
		{Name: "callers", Doc: "concurrent callers", Default: callers, Min: 1},
		{Name: "calls", Doc: "calls per caller", Default: calls, Min: 1},
	}
}

func quietPlan(rt *sim.Runtime) simnet.Plan {
	return simnet.RandomPlan(rt.Rand("plan"), simnet.Profile{NoFailures: true})
}

// echoRounds does n round trips on s with values base+j and checks each echo.
func echoRounds(s *mux.Stream, base, n int) error {
	var out wrapperspb.StringValue
	for j := range n {
		v := fmt.Sprint(base + j)
		if err := s.Send(wrapperspb.String(v)); err != nil {
			return err
		}
		if err := s.Recv(&out); err != nil {
			return err
		}
		if out.Value != v {
			return fmt.Errorf("sent %s, echoed %q", v, out.Value)
		}
	}
	return nil
}

// endStream closes s's sending side and expects io.EOF.
func endStream(s *mux.Stream) error {
	s.CloseSend()
	if _, err := s.RecvBytes(); err != io.EOF {
		return fmt.Errorf("after CloseSend, want io.EOF: %w", err)
	}
	return nil
}

func sustainedStreams(rt *sim.Runtime) {
	client, _, done := muxPair(rt, quietPlan(rt), mux.Options{})
	defer done()
	g := rt.NewGroup("streams")
	rounds := rt.Param("rounds")
	for i := range rt.Param("streams") {
		g.Go(fmt.Sprint("stream-", i), func() {
			s, err := client.NewStream(context.Background(), "/svc/Bidi")
			if err == nil {
				err = echoRounds(s, i*1000, rounds)
			}
			if err == nil {
				err = endStream(s)
			}
			rt.Always(err == nil, fmt.Sprintf("stream %d: %v", i, err))
		})
	}
	g.Wait()
}

func openCloseCycles(rt *sim.Runtime) {
	client, _, done := muxPair(rt, quietPlan(rt), mux.Options{})
	defer done()
	for i := range rt.Param("cycles") {
		s, err := client.NewStream(context.Background(), "/svc/Bidi")
		if err == nil {
			err = echoRounds(s, i, 1)
		}
		if err == nil {
			err = endStream(s)
		}
		rt.Always(err == nil, fmt.Sprintf("cycle %d: %v", i, err))
		rt.Always(s.ID() == uint64(i+1), fmt.Sprintf("cycle %d ran on stream %d", i, s.ID()))
	}
}

// cancelled reports whether err is how a cancelled call may fail.
func cancelled(err error) bool {
	return mux.CodeOf(err) == mux.Canceled || errors.Is(err, io.EOF)
}

func cancelStorm(rt *sim.Runtime) {
	client, _, done := muxPair(rt, quietPlan(rt), mux.Options{})
	defer done()
	r := rt.Rand("storm")
	g := rt.NewGroup("streams")
	for i := range rt.Param("streams") {
		victim, after := r.IntN(2) == 0, r.IntN(30)
		g.Go(fmt.Sprint("stream-", i), func() {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if victim {
				g.Go(fmt.Sprint("canceller-", i), func() {
					for range after {
						rt.Yield()
					}
					cancel()
				})
			}
			s, err := client.NewStream(ctx, "/svc/Bidi")
			if err == nil {
				err = echoRounds(s, i*1000, 6)
			}
			if err == nil {
				err = endStream(s)
			}
			if victim {
				rt.Always(err == nil || cancelled(err), fmt.Sprintf("cancelled stream %d failed with %v", i, err))
				rt.Sometimes(err != nil, "a storm victim was cut off")
			} else {
				rt.Always(err == nil, fmt.Sprintf("stream %d, never cancelled, failed: %v", i, err))
			}
		})
	}
	g.Wait()
}

func shutdownActive(rt *sim.Runtime) {
	client, _, done := muxPair(rt, quietPlan(rt), mux.Options{})
	g := rt.NewGroup("loops")
	for i := range rt.Param("streams") {
		g.Go(fmt.Sprint("loop-", i), func() {
			s, err := client.NewStream(context.Background(), "/svc/Bidi")
			for j := 0; err == nil; j++ {
				err = echoRounds(s, i*1000+j, 1)
				// Let virtual time pass, or on a zero-latency link the loops would never
				// let the clock reach the shutdown.
				_ = rt.Sleep(context.Background(), 100*sim.Micros(1))
			}
			rt.Always(cancelled(err) || mux.CodeOf(err) == mux.Unavailable, fmt.Sprintf("loop %d ended with %v", i, err))
		})
	}
	_ = rt.Sleep(context.Background(), sim.Micros(rt.Rand("when").IntN(5000)))
	done() // closes the client and waits for the server
	g.Wait()
}

func unaryCallers(rt *sim.Runtime) {
	callers, calls := rt.Param("callers"), rt.Param("calls")
	client, _, done := muxPair(rt, quietPlan(rt), mux.Options{})
	defer done()
	g := rt.NewGroup("callers")
	for i := range callers {
		g.Go(fmt.Sprint("caller-", i), func() {
			for j := range calls {
				tag := fmt.Sprint(i, ".", j)
				var out wrapperspb.StringValue
				err := client.Invoke(context.Background(), "/svc/Echo", wrapperspb.String(tag), &out)
				rt.Always(err == nil && out.Value == "echo:"+tag, fmt.Sprintf("call %s: %q %v", tag, out.Value, err))
			}
		})
	}
	g.Wait()
}

func cancelIsolation(rt *sim.Runtime) {
	client, _, done := muxPair(rt, quietPlan(rt), mux.Options{})
	defer done()
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	var streams [3]*mux.Stream
	for i := range streams {
		ctx := context.Background()
		if i == 1 {
			ctx = ctx2
		}
		s, err := client.NewStream(ctx, "/svc/Bidi")
		if err != nil {
			rt.Fail(fmt.Sprintf("open %d: %v", i, err))
			return
		}
		streams[i] = s
		rt.Always(echoRounds(s, i*100, 1) == nil, fmt.Sprintf("stream %d before the cancel", i))
	}
	cancel2()
	_, err := streams[1].RecvBytes()
	rt.Always(mux.CodeOf(err) == mux.Canceled, fmt.Sprintf("the cancelled stream's Recv: %v", err))
	for _, i := range []int{0, 2} {
		rt.Always(echoRounds(streams[i], i*100+1, 2) == nil && endStream(streams[i]) == nil,
			fmt.Sprintf("stream %d after its neighbour's cancel", i))
	}
}

func errorIsolation(rt *sim.Runtime) {
	client, _, done := muxPair(rt, quietPlan(rt), mux.Options{})
	defer done()
	s, err := client.NewStream(context.Background(), "/svc/Bidi")
	if err != nil {
		rt.Fail("open: " + err.Error())
		return
	}
	g := rt.NewGroup("failing")
	g.Go("failing caller", func() {
		for range 2 {
			var out wrapperspb.StringValue
			err := client.Invoke(context.Background(), "/svc/Fail", wrapperspb.String("x"), &out)
			rt.Always(mux.CodeOf(err) == mux.InvalidArgument, fmt.Sprintf("failing call: %v", err))
		}
	})
	rt.Always(echoRounds(s, 0, 5) == nil && endStream(s) == nil, "the stream beside a failing call")
	g.Wait()
}

func connCloseActive(rt *sim.Runtime) {
	client, _, done := muxPair(rt, quietPlan(rt), mux.Options{})
	g := rt.NewGroup("calls")
	for i := range 3 {
		g.Go(fmt.Sprint("call-", i), func() {
			var out wrapperspb.StringValue
			err := client.Invoke(context.Background(), "/svc/Wait", wrapperspb.String("w"), &out)
			rt.Always(mux.CodeOf(err) == mux.Canceled, fmt.Sprintf("call %d after Close: %v", i, err))
		})
	}
	_ = rt.Sleep(context.Background(), sim.Micros(rt.Rand("when").IntN(5000)))
	done() // Close, and the server's handlers must all return for done to return
	g.Wait()
}

func transportClose(rt *sim.Runtime) {
	cli, srv := connPair(rt, quietPlan(rt))
	opts := mux.Options{Runtime: rt}
	server := mux.NewServer(muxService(rt), opts)
	serving := rt.NewGroup("server")
	serving.Go("serve", func() { _ = server.ServeOne(context.Background(), srv) })
	client := mux.NewClient(cli, opts)
	var streams []*mux.Stream
	for i := range 3 {
		s, err := client.NewStream(context.Background(), "/svc/Bidi")
		if err == nil {
			err = echoRounds(s, i, 1)
		}
		if err != nil {
			rt.Fail(fmt.Sprintf("stream %d: %v", i, err))
			return
		}
		streams = append(streams, s)
	}
	cli.Close() // the transport, under the engine
	for i, s := range streams {
		_, err := s.RecvBytes()
		rt.Always(mux.CodeOf(err) == mux.Unavailable, fmt.Sprintf("stream %d after the transport closed: %v", i, err))
	}
	client.Close()
	serving.Wait()
}
