package scenarios

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/muxsim/muxsim/mux"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/simnet"
)

func init() {
	register(
		&Scenario{
			Name: "mux-slow-consumer", Real: true,
			Doc: "One stream's consumer ignores a flood of messages while four other streams on " +
				"the same connection do twenty round trips each; then it reads the flood. The " +
				"others must not wait for it, and every flood message must arrive intact and in order.",
			Body: muxSlowConsumer,
		},
		&Scenario{
			Name: "mux-cancel-bulk", Real: true,
			Doc: "Streams exchange 64 KiB messages through a writer that holds only 32 KiB and " +
				"64 KiB windows while some are cancelled at seeded moments: cancels must not stall " +
				"the connection, and the streams left alone must finish.",
			Body: muxCancelBulk,
		},
		&Scenario{
			Name: "mux-drain", Real: true,
			Doc: "A server-stream handler sends its last messages and the server shuts the " +
				"connection down as soon as it returns: every message the handler sent must still " +
				"reach the client (Close drains what the writer accepted).",
			Body: muxDrain,
		},
	)
}

// muxPair starts a server with the scenarios' service over a simulated connection and
// returns the client, the server and a function that closes both and waits.
func muxPair(rt *sim.Runtime, plan simnet.Plan, opts mux.Options) (*mux.Client, *mux.Server, func()) {
	opts.Runtime = rt
	cli, srv := connPair(rt, plan)
	server := mux.NewServer(muxService(rt), opts)
	serving := rt.NewGroup("server")
	serving.Go("serve", func() { _ = server.ServeOne(context.Background(), srv) })
	client := mux.NewClient(cli, opts)
	return client, server, func() { client.Close(); serving.Wait() }
}

func muxSlowConsumer(rt *sim.Runtime) {
	const floods = 48
	client, _, done := muxPair(rt, simnet.RandomPlan(rt.Rand("plan"), simnet.Profile{NoFailures: true}), mux.Options{})
	defer done()
	flood, err := client.NewStream(context.Background(), "/svc/Flood")
	if err != nil {
		rt.Fail("flood: " + err.Error())
		return
	}
	if err := flood.Send(wrapperspb.Int64(floods)); err != nil {
		rt.Fail("flood send: " + err.Error())
		return
	}
	flood.CloseSend()
	g := rt.NewGroup("streams")
	for i := range 4 {
		g.Go(fmt.Sprint("stream-", i), func() {
			err := muxCall(rt, client, 3, fmt.Sprint(i), context.Background())
			for r := 0; r < 20 && err == nil; r++ {
				err = muxCall(rt, client, 3, fmt.Sprint(i, ".", r), context.Background())
			}
			rt.Always(err == nil, fmt.Sprintf("stream %d failed beside a slow consumer: %v", i, err))
		})
	}
	g.Wait()
	var m wrapperspb.BytesValue
	for i := range floods {
		if err := flood.Recv(&m); err != nil {
			rt.Fail(fmt.Sprintf("flood message %d: %v", i, err))
			return
		}
		rt.Always(bytes.Equal(m.Value, floodMessage(i)), fmt.Sprintf("flood message %d arrived corrupted", i))
	}
	rt.Always(flood.Recv(&m) == io.EOF, "flood: more than it sent")
}

func muxCancelBulk(rt *sim.Runtime) {
	client, _, done := muxPair(rt, simnet.RandomPlan(rt.Rand("plan"), simnet.Profile{NoFailures: true}),
		mux.Options{WriterBufferMax: 32 << 10, StreamWindow: 64 << 10})
	defer done()
	r := rt.Rand("cancels")
	g := rt.NewGroup("streams")
	for i := range 4 {
		cancelAt := -1
		if r.IntN(2) == 0 {
			cancelAt = r.IntN(8)
		}
		g.Go(fmt.Sprint("stream-", i), func() {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s, err := client.NewStream(ctx, "/svc/Bidi")
			if err != nil {
				rt.Fail(fmt.Sprintf("stream %d: %v", i, err))
				return
			}
			payload := bytes.Repeat([]byte{byte(i)}, 64<<10)
			var out wrapperspb.StringValue
			for m := range 8 {
				if m == cancelAt {
					cancel()
				}
				err := s.Send(wrapperspb.String(string(payload)))
				if err == nil {
					err = s.Recv(&out)
				}
				if err != nil {
					rt.Always(cancelAt >= 0 && m >= cancelAt, fmt.Sprintf("stream %d message %d failed though nothing cancelled it: %v", i, m, err))
					return
				}
				rt.Always(out.Value == string(payload), fmt.Sprintf("stream %d message %d echoed wrong", i, m))
			}
			s.CloseSend()
			_, _ = s.RecvBytes()
		})
	}
	g.Wait()
}

func muxDrain(rt *sim.Runtime) {
	const msgs = 5
	plan := simnet.RandomPlan(rt.Rand("plan"), simnet.Profile{NoFailures: true})
	cli, srv := connPair(rt, plan)
	opts := mux.Options{Runtime: rt}
	sent := rt.NewEvent("handler sent everything")
	r := mux.NewRouter()
	mux.ServerStream(r, "/svc/Last", func(ctx context.Context, in *wrapperspb.Int64Value, send func(*wrapperspb.Int64Value) error) error {
		for i := range msgs {
			if err := send(wrapperspb.Int64(int64(i))); err != nil {
				return err
			}
		}
		sent.Fire()
		return nil
	})
	server := mux.NewServer(r, opts)
	serveCtx, shutdown := context.WithCancel(context.Background())
	serving := rt.NewGroup("server")
	serving.Go("serve", func() { _ = server.ServeOne(serveCtx, srv) })
	serving.Go("shutdown", func() {
		_ = rt.Wait(context.Background(), sent)
		shutdown() // the server closes the connection as soon as the handler is done
	})
	client := mux.NewClient(cli, opts)
	s, err := client.NewStream(context.Background(), "/svc/Last")
	if err == nil {
		err = s.Send(wrapperspb.Int64(0))
	}
	got := 0
	var m wrapperspb.Int64Value
	for err == nil {
		if err = s.Recv(&m); err == nil {
			rt.Always(m.Value == int64(got), fmt.Sprintf("message %d arrived as %d", got, m.Value))
			got++
		}
	}
	rt.Always(got == msgs, fmt.Sprintf("the client got %d of the %d messages the handler sent before shutdown (last error %v)", got, msgs, err))
	client.Close()
	serving.Wait()
}
