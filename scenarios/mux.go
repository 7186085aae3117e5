package scenarios

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/muxsim/muxsim/mux"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/simnet"
)

func init() {
	register(
		&Scenario{
			Name: "mux-mixed", Real: true,
			Doc: "Four callers share one connection and make unary, client-stream, server-stream " +
				"and bidi calls over a link with random delays, splits and clogs. Every result is " +
				"exact, every stream ends, and closing the client and server leaves no task behind.",
			Params: mixedParams,
			Body:   func(rt *sim.Runtime) { muxMixed(rt, simnet.Profile{NoFailures: true}) },
		},
		&Scenario{
			Name: "mux-faults",
			Doc: "The mixed workload over a link that also fails: writes and reads break, ends " +
				"close. A call either returns the exact result or a documented error class " +
				"(Unavailable, Canceled, io.EOF from Send); nothing hangs and nothing leaks.",
			Params: mixedParams,
			Body:   func(rt *sim.Runtime) { muxMixed(rt, simnet.Profile{}) },
		},
	)
}

// muxService is the scenarios' RPC service: unary echo, client-stream concatenation,
// server-stream repetition, bidi echo.
func muxService(rt *sim.Runtime) *mux.Router {
	r := mux.NewRouter()
	mux.Unary(r, "/svc/Echo", func(ctx context.Context, in *wrapperspb.StringValue) (*wrapperspb.StringValue, error) {
		return wrapperspb.String("echo:" + in.Value), nil
	})
	mux.ClientStream(r, "/svc/Concat", func(ctx context.Context, recv func() (*wrapperspb.StringValue, error)) (*wrapperspb.StringValue, error) {
		var b strings.Builder
		for {
			m, err := recv()
			if err == io.EOF {
				return wrapperspb.String(b.String()), nil
			}
			if err != nil {
				return nil, err
			}
			b.WriteString(m.Value)
		}
	})
	mux.ServerStream(r, "/svc/Repeat", func(ctx context.Context, in *wrapperspb.StringValue, send func(*wrapperspb.StringValue) error) error {
		for i := range 3 {
			if err := send(wrapperspb.String(fmt.Sprint(in.Value, i))); err != nil {
				return err
			}
		}
		return nil
	})
	mux.Unary(r, "/svc/Fail", func(ctx context.Context, in *wrapperspb.StringValue) (*wrapperspb.StringValue, error) {
		return nil, mux.Errorf(mux.InvalidArgument, "rejected %s", in.Value)
	})
	mux.Unary(r, "/svc/Wait", func(ctx context.Context, in *wrapperspb.StringValue) (*wrapperspb.StringValue, error) {
		// A handler that waits for its client to go away: on the runtime, never a raw
		// channel receive, which would block outside the scheduler.
		return nil, rt.Wait(ctx, rt.NewEvent("never"))
	})
	mux.ServerStream(r, "/svc/Flood", func(ctx context.Context, in *wrapperspb.Int64Value, send func(*wrapperspb.BytesValue) error) error {
		for i := range int(in.Value) {
			if err := send(wrapperspb.Bytes(floodMessage(i))); err != nil {
				return err
			}
		}
		return nil
	})
	mux.Bidi(r, "/svc/Bidi", func(ctx context.Context, recv func() (*wrapperspb.StringValue, error), send func(*wrapperspb.StringValue) error) error {
		for {
			m, err := recv()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := send(m); err != nil {
				return err
			}
		}
	})
	return r
}

// mixedParams are the sizes of mux-mixed and mux-faults.
var mixedParams = []Param{
	{Name: "callers", Doc: "tasks making calls on the connection", Default: 4, Min: 1},
	{Name: "rounds", Doc: "calls per caller", Default: 5, Min: 1},
}

func muxMixed(rt *sim.Runtime, prof simnet.Profile) {
	callers, rounds := rt.Param("callers"), rt.Param("rounds")
	plan := simnet.RandomPlan(rt.Rand("plan"), prof)
	cli, srv := connPair(rt, plan)
	opts := mux.Options{Runtime: rt}
	server := mux.NewServer(muxService(rt), opts)
	serving := rt.NewGroup("server")
	serving.Go("serve", func() { _ = server.ServeOne(context.Background(), srv) })
	client := mux.NewClient(cli, opts)
	work := rt.NewGroup("callers")
	oks := make([]int, callers) // one counter per caller: they run in parallel for real
	for i := range callers {
		kinds := rt.Rand(fmt.Sprintf("caller-%d", i))
		work.Go(fmt.Sprintf("caller-%d", i), func() {
			for r := range rounds {
				tag := fmt.Sprintf("%d.%d", i, r)
				err := muxCall(rt, client, kinds.IntN(4), tag, context.Background())
				if err == nil {
					oks[i]++
					continue
				}
				rt.Always(!prof.NoFailures, fmt.Sprintf("call %s failed on a link without failures: %v", tag, err))
				rt.Always(expectedFailure(err), fmt.Sprintf("call %s failed with an unexpected error: %v (code %v)", tag, err, mux.CodeOf(err)))
			}
		})
	}
	work.Wait()
	ok := 0
	for _, n := range oks {
		ok += n
	}
	rt.Sometimes(ok == callers*rounds, "every mux call succeeded")
	if !prof.NoFailures {
		rt.Sometimes(ok < callers*rounds, "a mux call failed with the link")
	}
	client.Close()
	serving.Wait()
}

// expectedFailure: a call on a broken link may end Unavailable (the connection died),
// or report io.EOF from a Send whose stream ended.
func expectedFailure(err error) bool {
	return mux.CodeOf(err) == mux.Unavailable || errors.Is(err, io.EOF)
}

// muxCall makes one call of the given kind and checks its result exactly.
func muxCall(rt *sim.Runtime, c *mux.Client, kind int, tag string, ctx context.Context) error {
	var out wrapperspb.StringValue
	switch kind {
	case 0:
		if err := c.Invoke(ctx, "/svc/Echo", wrapperspb.String(tag), &out); err != nil {
			return err
		}
		rt.Always(out.Value == "echo:"+tag, fmt.Sprintf("unary %s got %q", tag, out.Value))
	case 1:
		s, err := c.NewStream(ctx, "/svc/Concat")
		if err != nil {
			return err
		}
		for _, p := range []string{tag, "-", tag} {
			if err := s.Send(wrapperspb.String(p)); err != nil {
				return err
			}
		}
		s.CloseSend()
		if err := s.Recv(&out); err != nil {
			return err
		}
		rt.Always(out.Value == tag+"-"+tag, fmt.Sprintf("concat %s got %q", tag, out.Value))
		rt.Always(s.Recv(&out) != nil, "concat: a second response")
	case 2:
		s, err := c.NewStream(ctx, "/svc/Repeat")
		if err != nil {
			return err
		}
		if err := s.Send(wrapperspb.String(tag)); err != nil {
			return err
		}
		s.CloseSend()
		for i := range 3 {
			if err := s.Recv(&out); err != nil {
				return err
			}
			rt.Always(out.Value == fmt.Sprint(tag, i), fmt.Sprintf("repeat %s got %q", tag, out.Value))
		}
		err = s.Recv(&out)
		if err != io.EOF {
			return err
		}
	case 3:
		s, err := c.NewStream(ctx, "/svc/Bidi")
		if err != nil {
			return err
		}
		for i := range 3 {
			v := fmt.Sprint(tag, "/", i)
			if err := s.Send(wrapperspb.String(v)); err != nil {
				return err
			}
			if err := s.Recv(&out); err != nil {
				return err
			}
			rt.Always(out.Value == v, fmt.Sprintf("bidi %s got %q", v, out.Value))
		}
		s.CloseSend()
		if err := s.Recv(&out); err != io.EOF {
			return err
		}
	}
	return nil
}

func init() {
	register(&Scenario{
		Name: "mux-cancel", Real: true,
		Doc: "Callers on one connection make every kind of call with deadlines and cancels " +
			"that land at seeded moments: before the call, at every point of its setup, " +
			"mid-stream, after success. A cancelled unary call reports Canceled or DeadlineExceeded, never io.EOF; " +
			"other calls keep working; nothing hangs or leaks.",
		Body: muxCancel,
	})
}

func muxCancel(rt *sim.Runtime) {
	const callers, rounds = 3, 6
	cli, srv := connPair(rt, simnet.RandomPlan(rt.Rand("plan"), simnet.Profile{NoFailures: true}))
	opts := mux.Options{Runtime: rt}
	server := mux.NewServer(muxService(rt), opts)
	serving := rt.NewGroup("server")
	serving.Go("serve", func() { _ = server.ServeOne(context.Background(), srv) })
	client := mux.NewClient(cli, opts)
	work := rt.NewGroup("callers")
	for i := range callers {
		r := rt.Rand(fmt.Sprintf("caller-%d", i))
		work.Go(fmt.Sprintf("caller-%d", i), func() {
			for round := range rounds {
				tag := fmt.Sprintf("%d.%d", i, round)
				ctx, cancel := context.WithCancel(context.Background())
				switch r.IntN(5) {
				case 0: // a deadline somewhere in the call
					var stop context.CancelFunc
					ctx, stop = rt.WithTimeout(ctx, sim.Micros(r.IntN(3000)))
					defer stop()
				case 1: // an explicit cancel from another task after a seeded delay
					delay := sim.Micros(r.IntN(3000))
					work.Go("canceller "+tag, func() {
						_ = rt.Sleep(context.Background(), delay)
						cancel()
					})
				case 2: // a cancel at a seeded point of the call's setup: no time passes there
					steps := r.IntN(24)
					work.Go("setup canceller "+tag, func() {
						for range steps {
							rt.Yield()
						}
						cancel()
					})
				case 3: // already cancelled
					cancel()
				}
				kind := r.IntN(4)
				ctx = mux.WithMetadata(ctx, "caller", tag)
				err := muxCall(rt, client, kind, tag, ctx)
				cancel()
				if err == nil {
					continue
				}
				code := mux.CodeOf(err)
				cancelled := code == mux.Canceled || code == mux.DeadlineExceeded
				rt.Always(cancelled || errors.Is(err, io.EOF) && kind != 0,
					fmt.Sprintf("call %s (kind %d) ended with %v (code %v)", tag, kind, err, code))
				rt.Sometimes(cancelled, "a mux call was cancelled")
			}
		})
	}
	work.Wait()
	// Once every call has ended and the frames in flight have landed, the server holds
	// nothing: no stream, no invoke waiting for its Invoke frame (B1 leaves one).
	_ = rt.Sleep(context.Background(), 200*time.Millisecond)
	st := server.Stats()
	rt.Always(st.PendingInvokes == 0, fmt.Sprintf("server holds %d pending invokes after every call ended", st.PendingInvokes))
	rt.Always(st.Streams == 0, fmt.Sprintf("server holds %d streams after every call ended", st.Streams))
	client.Close()
	serving.Wait()
}

// floodMessage is message i of a flood: 4 KiB whose every byte says which message it is.
func floodMessage(i int) []byte { return bytes.Repeat([]byte{byte(i)}, 4<<10) }
