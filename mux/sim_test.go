package mux

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/simnet"
)

// simBidiEcho runs streams concurrent bidi echo streams of msgs messages each over a
// fault-free simulated connection and checks every echo; it returns the first error.
func simBidiEcho(rt *sim.Runtime, streams, msgs int) error {
	cli, srv := simnet.Pipe(rt, "c", simnet.Plan{})
	c, done := pair(rt, cli, srv)
	defer done()
	return echoStreams(rt, c, streams, msgs)
}

// echoStreams runs streams concurrent bidi streams on c, each doing rounds round trips
// with values "i.j" and ending with io.EOF after CloseSend; it returns the first error.
func echoStreams(rt *sim.Runtime, c *Client, streams, rounds int) error {
	g := rt.NewGroup("streams")
	errs := make([]error, streams)
	for i := range streams {
		g.Go(fmt.Sprintf("stream-%d", i), func() {
			s, err := c.NewStream(context.Background(), "/echo/Bidi")
			if err != nil {
				errs[i] = err
				return
			}
			var out str
			for j := range rounds {
				v := fmt.Sprint(i, ".", j)
				if err := s.Send(wrapperspb.String(v)); err != nil {
					errs[i] = fmt.Errorf("stream %d send %d: %w", i, j, err)
					return
				}
				if err := s.Recv(&out); err != nil || out.Value != v {
					errs[i] = fmt.Errorf("stream %d recv %d: %q, %v", i, j, out.Value, err)
					return
				}
			}
			s.CloseSend()
			if err := s.Recv(&out); err != io.EOF {
				errs[i] = fmt.Errorf("stream %d end: %v", i, err)
			}
		})
	}
	g.Wait()
	return errors.Join(errs...)
}

// TestSimulatedBidiEcho is the engine under the scheduler: 20 streams × 50 messages on
// one simulated connection, seeds 1-500 (50 with -short), each run twice: every verdict
// ok, every echo right, and the trace hash the same both times.
func TestSimulatedBidiEcho(t *testing.T) {
	seeds := uint64(500)
	if testing.Short() {
		seeds = 50
	}
	run := func(seed uint64) (*sim.Verdict, error) {
		var o sim.Options
		o.Seed = seed
		var err error
		v := sim.Run(o, func(rt *sim.Runtime) { err = simBidiEcho(rt, 20, 50) })
		return v, err
	}
	for seed := uint64(1); seed <= seeds; seed++ {
		v, err := run(seed)
		if !v.OK() || err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, v.Report())
		}
		again, _ := run(seed)
		if again.Hash != v.Hash || again.Steps != v.Steps {
			t.Fatalf("seed %d: hash %016x then %016x", seed, v.Hash, again.Hash)
		}
	}
}
