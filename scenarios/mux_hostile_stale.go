package scenarios

import (
	"context"
	"time"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/muxsim/muxsim/mux/wire"
	"github.com/muxsim/muxsim/sim"
)

func init() {
	register(
		&Scenario{
			Name: "mux-hostile-stale",
			Doc: "A hostile peer sends frames for streams that never existed or have finished, " +
				"invokes again on a finished stream ID and on one lower than the last, and may " +
				"invoke twice on a live stream. The server ignores frames for streams it does not " +
				"hold, serves an invoke on any stream ID it does not hold (unlike storj, it does not " +
				"require increasing IDs), and ends the connection on an invoke for a live stream.",
			Body: func(rt *sim.Runtime) { runHostile(rt, staleAttacks()) },
		},
		&Scenario{
			Name: "mux-hostile-stale-race",
			Doc: "A hostile peer replays a request frame of a unary call, or invokes again on its " +
				"stream ID, right after the answer: like any frame for a stream the server no " +
				"longer holds, the replay is dropped and the invoke served. Until the fix, a " +
				"stream left the registry only after its final frame was queued, so a frame that " +
				"came back fast enough met the terminated stream and ended the connection (60 of " +
				"1000 seeds).",
			Body: func(rt *sim.Runtime) { runHostile(rt, staleRaceAttacks()) },
		},
	)
}

// staleAttacks replay and reuse stream IDs. mux keeps no memory of ended streams: a
// frame for a stream it does not hold is dropped unless it opens one, and an invoke opens
// one whatever its ID. Only a frame that contradicts a live stream is fatal.
func staleAttacks() []attack {
	return []attack{
		{name: "stale", play: func(h *hostileRun, p *peer) { staleFrames(h, p, false) }, bounds: smallBounds},
		{name: "stale-live-reinvoke", play: func(h *hostileRun, p *peer) { staleFrames(h, p, true) }, bounds: smallBounds},
	}
}

// staleRaceAttacks touch a stream right after its answer, without the pause of
// staleAttacks: the frames may reach the server before the finished stream's handler
// has left the registry. Dropping a replay and serving a reused ID, as the server does
// once the stream is gone, is the behaviour asserted.
func staleRaceAttacks() []attack {
	replay := func(h *hostileRun, p *peer) {
		p.call(3, "first")
		if err := p.send(wire.Frame{ID: wire.ID{Stream: 3, Message: 2}, Kind: wire.KindMessage, Done: true, Data: []byte("replay")}); err != nil {
			h.rt.Fail("replay: " + err.Error())
			return
		}
		p.call(5, "after-replay")
	}
	reinvoke := func(h *hostileRun, p *peer) {
		p.call(3, "first")
		p.call(3, "reused")
	}
	return []attack{
		{name: "replay-race", play: replay, bounds: smallBounds},
		{name: "reinvoke-race", play: reinvoke, bounds: smallBounds},
	}
}

// staleSettle is how long the peer waits after an answer before it sends frames for the
// stream it finished: under the simulator, time passes only once the server's tasks
// are idle, so the server has let go of the stream by then.
const staleSettle = time.Millisecond

// staleFrames: a call on stream 3, then frames for it (a replay of its request, later
// messages and ends) and for streams that never existed, all dropped; then stream 3
// reused and a lower unused stream, both served; and with reinvoke, a second invoke on a
// live stream, which ends the connection.
func staleFrames(h *hostileRun, p *peer, reinvoke bool) {
	rt := h.rt
	r := rt.Rand("stale")
	pause := func() { _ = rt.Sleep(context.Background(), staleSettle) }
	p.call(3, "first")
	pause()
	// Groups of frames; the groups go in a seeded order, each stream's message IDs rise.
	stale := [][]wire.Frame{
		{
			{ID: wire.ID{Stream: 3, Message: 2}, Kind: wire.KindMessage, Done: true, Data: []byte("replay")},
			{ID: wire.ID{Stream: 3, Message: 4}, Kind: wire.KindMessage, Done: true, Data: []byte("late")},
			{ID: wire.ID{Stream: 3, Message: 5}, Kind: wire.KindMessage, Data: []byte("la")},
			{ID: wire.ID{Stream: 3, Message: 5}, Kind: wire.KindMessage, Done: true, Data: []byte("te")},
			{ID: wire.ID{Stream: 3, Message: 6}, Kind: wire.KindCloseSend, Done: true},
			{ID: wire.ID{Stream: 3, Message: 7}, Kind: wire.KindCancel, Control: true, Done: true},
		},
		{
			{ID: wire.ID{Stream: 2, Message: 1}, Kind: wire.KindMessage, Done: true, Data: []byte("never")},
			{ID: wire.ID{Stream: 2, Message: 2}, Kind: wire.KindClose, Done: true},
		},
		{{ID: wire.ID{Stream: 99, Message: 1}, Kind: 8, Control: true, Done: true, Data: wire.AppendVarint(nil, 1<<20)}},
		{{ID: wire.ID{Stream: 1, Message: 1}, Kind: wire.KindError, Done: true, Data: wire.AppendErrorData(nil, 13, "nope")}},
	}
	r.Shuffle(len(stale), func(i, j int) { stale[i], stale[j] = stale[j], stale[i] })
	for _, fs := range stale {
		if err := p.send(fs...); err != nil {
			rt.Fail("stale frames: " + err.Error())
			return
		}
	}
	// The server answers none of them: the next frames are stream 5's answer.
	p.call(5, "after-stale")
	pause()
	// Stream IDs are not checked for order: a finished ID and a lower unused one are
	// both served as new calls.
	p.call(3, "reused")
	p.call(4, "lower")
	if !reinvoke {
		return
	}
	// An invoke for a live stream contradicts it: a protocol error ends the connection.
	// /svc/Wait holds stream 7 until the connection ends.
	first := unary(7, "/svc/Wait", wrapperspb.String("hold"))[:2]
	again := wire.Frame{ID: wire.ID{Stream: 7, Message: 3}, Kind: wire.KindInvoke, Done: true, Data: []byte("/svc/Echo")}
	if err := p.send(first...); err != nil {
		rt.Fail("live reinvoke: " + err.Error())
		return
	}
	_ = rt.Sleep(context.Background(), time.Duration(r.IntN(3))*time.Millisecond)
	_ = p.send(again)
	p.expectEnd("invoke on a live stream")
}
