package scenarios

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/muxsim/muxsim/mux"
	"github.com/muxsim/muxsim/mux/wire"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/simnet"
)

// The hostile-peer scenarios share one rig: a server on a simnet listener, with mux's
// default limits unless the attack lowers one; a good client calling it on its own
// connection for as long as the attack lasts; a monitor sampling server.Stats against
// the limits; and a hostile peer that speaks raw frames on another connection. Every
// attack asserts four things:
//
//  1. the good client's calls all succeed while the attack runs, and at least one
//     completes while the hostile peer is connected;
//  2. the hostile connection gets the answer the attack expects, or ends (EOF or reset):
//     a read that would wait longer than peerReadWait fails the run, never hangs it;
//  3. once both peers are gone the server holds nothing: no connection, stream or
//     pending invoke (and the simulator reports any task left as a leak);
//  4. the server's peaks stay under the attack's bounds (hostileBounds), and its live
//     streams and pending invokes under MaxStreams and PendingInvokesMax at every sample.
//
// The attacks live in mux_hostile_attacks.go and mux_hostile_flood.go.

// Limits of the rig.
const (
	// peerReadWait is the longest the hostile peer waits for a frame or for the server to
	// hang up, in virtual time: far beyond any answer on a link without faults.
	peerReadWait = 2 * time.Second
	// peerFramesMax bounds the frames the peer reads while it waits for one answer.
	peerFramesMax = 1 << 20
	// goodCallsMin is how many calls the good client makes at least; it goes on calling,
	// goodCallGap apart, until the attack is over, and the attack lasts until one call
	// has completed since it began.
	goodCallsMin = 2
	goodCallGap  = 500 * time.Microsecond
	// goodCallsMax bounds the good client's calls: an attack lasts far less.
	goodCallsMax = 2000
	// monitorGap is how often the monitor samples the server's state. A flood pauses for
	// up to twice as long now and then, so samples land inside floods.
	monitorGap = 500 * time.Microsecond
	// settleMax bounds the 1 ms waits for the server to let go of the dead connections.
	settleMax = 1000
)

// hostileBounds are the most an attack may make the server hold for one connection
// (mux.Peaks): data bytes queued for writing, bytes of complete messages queued for a
// handler, concurrent streams.
type hostileBounds struct {
	writerPending, streamQueued, streams int
}

// smallBounds fit attacks that make the server queue little: a few short answers.
var smallBounds = hostileBounds{writerPending: 4 << 10, streamQueued: 4 << 10, streams: 4}

// attack is one hostile behaviour: play runs it on the peer's connection and asserts
// what the peer sees; after, if set, checks what the server's handlers saw, once they
// have all returned. opts are the server's limits; zero fields take mux's defaults.
type attack struct {
	name   string
	opts   mux.Options
	play   func(h *hostileRun, p *peer)
	after  func(h *hostileRun)
	bounds hostileBounds
}

// limits returns the attack's server options with every limit the rig checks spelled
// out: mux's default wherever the attack left it zero.
func (a attack) limits(rt *sim.Runtime) mux.Options {
	o := a.opts
	o.Runtime = rt
	o.MaxStreams = cmp.Or(o.MaxStreams, mux.DefaultMaxStreams)
	o.PendingInvokesMax = cmp.Or(o.PendingInvokesMax, mux.DefaultPendingInvokesMax)
	o.PacketMax = cmp.Or(o.PacketMax, wire.PacketDataMaxDefault)
	o.MetadataMax = cmp.Or(o.MetadataMax, mux.DefaultMetadataMax)
	o.WriterBufferMax = cmp.Or(o.WriterBufferMax, mux.DefaultWriterBufferMax)
	o.StreamWindow = cmp.Or(o.StreamWindow, mux.DefaultStreamWindow)
	return o
}

// hostileRun is one run of the rig.
type hostileRun struct {
	rt     *sim.Runtime
	net    *simnet.Network
	server *mux.Server
	opts   mux.Options // the server's, limits spelled out
	over   *sim.Event  // the hostile peer has hung up
	done   *sim.Event  // the good client has finished: the monitor stops
	// mu guards what the rig's tasks share: they run one at a time under the simulator,
	// but in parallel as far as the race detector (and the real runtime) can tell.
	mu *sim.Mutex
	// goodCalls counts the good client's calls that have succeeded; goodDuring those that
	// succeeded while the hostile peer was connected.
	goodCalls, goodDuring int
	// pendingMax is the most pending invokes the monitor saw.
	pendingMax int
	// sinkErr is how the last /hostile/Sink call ended.
	sinkErr error
}

// runHostile plays one of attacks, chosen by the seed, against the rig.
func runHostile(rt *sim.Runtime, attacks []attack) {
	a := attacks[rt.Rand("attack").IntN(len(attacks))]
	evil := rt.Rand("evil plan")
	n := simnet.NewNetwork(rt, simnet.NetOptions{Plan: func(from, to string) simnet.Plan {
		if from == "evil" {
			// Latency 0 lets the server see the peer's next frame before it has finished
			// with the last one; splits and coalescing move frame boundaries; a small
			// buffer makes the server's writes wait for the peer's reads sooner.
			p := simnet.Plan{Latency: sim.Micros(evil.IntN(3) * 100), Split: evil.IntN(2) == 0,
				Coalesce: evil.IntN(2) == 0}
			if evil.IntN(2) == 0 {
				p.Buffer = 1 + evil.IntN(16<<10)
			}
			return p
		}
		return simnet.RandomPlan(rt.Rand("good plan"), simnet.Profile{NoFailures: true})
	}})
	lis, err := n.Listen("server:1")
	if err != nil {
		rt.Fail(err.Error())
		return
	}
	h := &hostileRun{rt: rt, net: n, opts: a.limits(rt), over: rt.NewEvent("attack over"), done: rt.NewEvent("good client done"),
		mu: rt.NewMutex("hostile rig")}
	h.server = mux.NewServer(h.hostileService(), h.opts)
	ctx, stop := context.WithCancel(context.Background())
	serving := rt.NewGroup("server")
	serving.Go("serve", func() { _ = h.server.Serve(ctx, lis) })

	peers := rt.NewGroup("peers")
	peers.Go("monitor", h.monitor)
	peers.Go("hostile "+a.name, func() {
		defer h.over.Fire()
		before := h.calls()
		defer func() { h.goodDuring = h.calls() - before }() // read after peers.Wait
		c, err := n.Dial(context.Background(), "evil", "server:1")
		if err != nil {
			rt.Fail("hostile dial: " + err.Error())
			return
		}
		defer c.Close()
		a.play(h, &peer{rt: rt, c: c, rd: wire.NewReader(c)})
		h.awaitGoodCall(before)
	})
	h.goodClient()
	peers.Wait()
	h.settle(a)
	if a.after != nil {
		a.after(h)
	}
	stop()
	serving.Wait()
	h.checkPeaks(a)
}

// goodClient calls the server on its own connection until the attack is over: every call
// of every kind must succeed with the exact result.
func (h *hostileRun) goodClient() {
	rt := h.rt
	defer h.done.Fire()
	c, err := h.net.Dial(context.Background(), "good", "server:1")
	if err != nil {
		rt.Fail("good dial: " + err.Error())
		return
	}
	// Both ends of a connection must agree on the window.
	client := mux.NewClient(c, mux.Options{Runtime: rt, StreamWindow: h.opts.StreamWindow})
	defer client.Close()
	kinds := rt.Rand("good calls")
	for i := 0; i < goodCallsMin || !h.over.Fired(); i++ {
		if i == goodCallsMax {
			rt.Fail(fmt.Sprintf("the attack outlasted %d good calls", goodCallsMax))
			return
		}
		tag := fmt.Sprint("good-", i)
		err := muxCall(rt, client, kinds.IntN(4), tag, context.Background())
		rt.Always(err == nil, fmt.Sprintf("good client, call %s beside the attack: %v", tag, err))
		h.mu.Lock()
		h.goodCalls++
		h.mu.Unlock()
		_ = rt.Sleep(context.Background(), goodCallGap)
	}
}

// calls returns goodCalls.
func (h *hostileRun) calls() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.goodCalls
}

// awaitGoodCall keeps the hostile peer connected, its attack done, until the good client
// has completed a call since before the attack began: under the simulator the server's
// work takes no virtual time, so an attack can begin and end between two good calls.
func (h *hostileRun) awaitGoodCall(before int) {
	for range goodCallsMax {
		if h.calls() > before {
			return
		}
		_ = h.rt.Sleep(context.Background(), goodCallGap)
	}
	h.rt.Fail(fmt.Sprintf("no good call completed while the hostile peer was connected (%d waits)", goodCallsMax))
}

// monitor samples the server's live state until the good client is done: whatever the
// attack, the server holds at most MaxStreams streams and PendingInvokesMax pending
// invokes per connection, and the good connection adds at most one of each.
func (h *hostileRun) monitor() {
	rt := h.rt
	for {
		st := h.server.Stats()
		h.mu.Lock()
		h.pendingMax = max(h.pendingMax, st.PendingInvokes)
		h.mu.Unlock()
		rt.Always(st.PendingInvokes <= h.opts.PendingInvokesMax+1,
			fmt.Sprintf("server holds %d pending invokes, over PendingInvokesMax %d", st.PendingInvokes, h.opts.PendingInvokesMax))
		rt.Always(st.Streams <= h.opts.MaxStreams+1,
			fmt.Sprintf("server holds %d streams, over MaxStreams %d", st.Streams, h.opts.MaxStreams))
		if i, _ := rt.Select(context.Background(), h.done, rt.After(monitorGap)); i == 0 {
			return
		}
	}
}

// settle waits for the server to let go of both connections, then checks that it holds
// nothing: a connection, stream or pending invoke left now is a leak. (A connection
// leaves Stats only once every handler it started has returned.)
func (h *hostileRun) settle(a attack) {
	rt := h.rt
	var st mux.Stats
	for range settleMax {
		st = h.server.Stats()
		if st.Conns == 0 {
			break
		}
		_ = rt.Sleep(context.Background(), time.Millisecond)
	}
	rt.Always(st.Conns == 0 && st.Streams == 0 && st.PendingInvokes == 0,
		fmt.Sprintf("after attack %s the server still holds %+v", a.name, st))
}

// checkPeaks compares the server's high-water marks with the attack's bounds, and leaves
// them in the trace for whoever tabulates them.
func (h *hostileRun) checkPeaks(a attack) {
	rt := h.rt
	st := h.server.Stats()
	p, b := st.Peak, a.bounds
	rt.Always(p.WriterPending <= b.writerPending, fmt.Sprintf("attack %s: the server queued %d bytes for writing on one connection, over the bound %d", a.name, p.WriterPending, b.writerPending))
	rt.Always(p.StreamQueued <= b.streamQueued, fmt.Sprintf("attack %s: a stream held %d received bytes, over the bound %d", a.name, p.StreamQueued, b.streamQueued))
	rt.Always(p.Streams <= b.streams && p.Streams <= h.opts.MaxStreams, fmt.Sprintf("attack %s: %d concurrent streams on one connection, over the bound %d", a.name, p.Streams, b.streams))
	if rt.Simulated() {
		rt.Note(fmt.Sprintf("hostile peaks attack=%s writer=%d queued=%d streams=%d pending=%d good=%d",
			a.name, p.WriterPending, p.StreamQueued, p.Streams, h.pendingMax, h.goodDuring))
	}
}

// hostileService is muxService plus /hostile/Sink, a handler that receives until its
// stream fails and records the error, for attacks whose effect only a handler sees.
func (h *hostileRun) hostileService() *mux.Router {
	r := muxService(h.rt)
	mux.Bidi(r, "/hostile/Sink", func(ctx context.Context, recv func() (*wrapperspb.BytesValue, error), send func(*wrapperspb.BytesValue) error) error {
		for {
			if _, err := recv(); err != nil {
				h.mu.Lock()
				h.sinkErr = err
				h.mu.Unlock()
				return err
			}
		}
	})
	return r
}
