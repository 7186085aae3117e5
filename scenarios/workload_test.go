package scenarios

import (
	"context"
	"fmt"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/wrapperspb"
	"pgregory.net/rapid"

	"github.com/muxsim/muxsim/mux"
	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/simrapid"
	"github.com/muxsim/muxsim/simnet"
)

// TestProperty's workloads: their vocabulary, the generator rapid draws them with, and
// the tasks that perform them under the simulator.

// The workload's bounds: small, because shrinking starts from what rapid drew.
const (
	propSlots      = 3  // streams a workload runs at once
	propActionsMax = 10 // actions in a workload
)

// propSettle lets the frames in flight land before the server's state is read.
const propSettle = 100 * time.Millisecond

// rpcKind is the shape of a slot's RPC.
type rpcKind uint8

const (
	kindUnary rpcKind = iota // each call is one Invoke: open, send and fail are calls
	kindClientStream
	kindServerStream
	kindBidi
	kindCount
)

var kindNames = [kindCount]string{"unary", "client-stream", "server-stream", "bidi"}
var kindRPCs = [kindCount]string{"/prop/Echo", "/prop/Concat", "/prop/Repeat", "/prop/Bidi"}

// opKind is what an action does. The generator offers stream ops in this order, and
// rapid's shrinker moves a choice towards the start of the list.
type opKind uint8

const (
	opOpen      opKind = iota // open the slot's RPC (a unary slot: make a call)
	opSend                    // send a message (unary: another call)
	opRecv                    // receive one message, if one can come
	opCloseSend               // close the sending half
	opCancel                  // cancel the slot's context, from a task of its own
	opFail                    // make the handler return an error (unary: call Fail)
	opCloseConn               // Client.Close, from the connection's task
	opBreak                   // reset the transport under the engine (a link failure)
)

var opNames = [...]string{"open", "send", "recv", "close-send", "cancel", "fail", "close-conn", "break-transport"}

// action is one operation of a workload. Slot is the stream it acts on, propSlots for
// the connection actions.
type action struct {
	Slot int
	Op   opKind
	Kind rpcKind // opOpen only
}

func (a action) String() string {
	switch {
	case a.Op == opOpen:
		return fmt.Sprintf("open(s%d,%s)", a.Slot, kindNames[a.Kind])
	case a.Slot == propSlots:
		return opNames[a.Op]
	}
	return fmt.Sprintf("%s(s%d)", opNames[a.Op], a.Slot)
}

// workload is what rapid draws: the actions, each performed by its slot's task (or the
// connection's) in list order; tasks of different slots interleave as the tape says.
type workload []action

// GoString lists the actions, for rapid's log of drawn values.
func (w workload) GoString() string {
	parts := make([]string, len(w))
	for i, a := range w {
		parts[i] = a.String()
	}
	return fmt.Sprintf("%d actions: %s", len(w), strings.Join(parts, " "))
}

// workloadGen draws a workload. Actions are drawn independently, so that rapid can
// remove any of them; those that do not apply (a send before the open) are skipped.
func workloadGen() *rapid.Generator[workload] {
	act := rapid.Custom(func(t *rapid.T) action {
		// One action in sixteen acts on the connection: each ends every stream, so
		// frequent ones would hide the rest.
		if rapid.IntRange(0, 15).Draw(t, "conn") == 15 {
			return action{Slot: propSlots, Op: rapid.SampledFrom([]opKind{opCloseConn, opBreak}).Draw(t, "op")}
		}
		a := action{Slot: rapid.IntRange(0, propSlots-1).Draw(t, "slot")}
		// Open twice as often as the rest: nothing but a cancel applies before it.
		a.Op = rapid.SampledFrom([]opKind{opOpen, opOpen, opSend, opRecv, opCloseSend, opCancel, opFail}).Draw(t, "op")
		if a.Op == opOpen {
			a.Kind = rpcKind(rapid.IntRange(0, int(kindCount)-1).Draw(t, "kind"))
		}
		return a
	})
	return rapid.Custom(func(t *rapid.T) workload {
		return rapid.SliceOfN(act, 1, propActionsMax).Draw(t, "actions")
	})
}

// of returns the indexes of slot's actions, in order.
func (w workload) of(slot int) []int {
	var idx []int
	for i, a := range w {
		if a.Slot == slot {
			idx = append(idx, i)
		}
	}
	return idx
}

// propRun is one run of a workload: what its tasks observed, for the check afterwards.
// Each slotObs is written by its slot's tasks alone, conn by the connection's task.
type propRun struct {
	w       workload
	slots   [propSlots]slotObs
	conn    connObs
	pending int // the server's pending invokes once the workload settled, if nothing closed it
}

// body runs the workload over a client and server on a perfect simulated link: the
// faults are the workload's own, so that every one of them is an action rapid can
// remove.
func (p *propRun) body(rt *sim.Runtime) {
	cli, srv := simnet.Pipe(rt, "conn", simnet.Plan{})
	opts := mux.Options{Runtime: rt}
	server := mux.NewServer(propService(), opts)
	serving := rt.NewGroup("server")
	serving.Go("serve", func() { _ = server.ServeOne(context.Background(), srv) })
	client := mux.NewClient(cli, opts)
	connActs := p.w.of(propSlots)
	work := rt.NewGroup("workload")
	var cancels []context.CancelFunc
	for i := range propSlots {
		acts := p.w.of(i)
		if len(acts) == 0 {
			continue
		}
		// Metadata makes every invoke two packets, between which a cancel can fall (B1).
		ctx, cancel := context.WithCancel(mux.WithMetadata(context.Background(), "slot", fmt.Sprint(i)))
		cancels = append(cancels, cancel)
		st := &slotTask{rt: rt, client: client, ctx: ctx, cancel: cancel, slot: i, obs: &p.slots[i],
			connEnds: len(connActs) > 0}
		work.Go(fmt.Sprint("slot-", i), func() { st.run(p.w, acts) })
	}
	if len(connActs) > 0 {
		work.Go("conn", func() { p.runConn(rt, client, cli, connActs) })
	}
	work.Wait()
	if len(connActs) == 0 {
		_ = rt.Sleep(context.Background(), propSettle)
		p.pending = server.Stats().PendingInvokes
	}
	client.Close()
	serving.Wait()
	for _, cancel := range cancels {
		cancel()
	}
}

// runConn performs the connection's actions; each acts once.
func (p *propRun) runConn(rt *sim.Runtime, client *mux.Client, tr *simnet.Conn, acts []int) {
	for _, i := range acts {
		switch {
		case p.w[i].Op == opCloseConn && p.conn.closeAt == 0:
			p.conn.closeAt = rt.Step()
			client.Close()
		case p.w[i].Op == opBreak && p.conn.breakAt == 0:
			p.conn.breakAt = rt.Step()
			tr.Reset()
		}
	}
}

// slotTask performs one slot's actions.
type slotTask struct {
	rt       *sim.Runtime
	client   *mux.Client
	ctx      context.Context
	cancel   context.CancelFunc
	slot     int
	obs      *slotObs
	connEnds bool // the connection's task will end the connection, waking any Recv

	opened    bool
	stream    *mux.Stream
	model     streamModel
	cancelled bool // the canceller has been started
}

func (st *slotTask) run(w workload, acts []int) {
	cancellers := st.rt.NewGroup("cancellers")
	defer cancellers.Wait()
	for _, i := range acts {
		a := w[i]
		switch {
		case a.Op == opCancel && !st.cancelled:
			// The cancel comes from a task of its own, so that it can fall anywhere in
			// the slot's next action (inside NewStream, between metadata and invoke: B1).
			st.cancelled = true
			cancellers.Go(fmt.Sprint("cancel-s", st.slot), func() {
				st.obs.cancelAt = st.rt.Step()
				st.cancel()
			})
			continue
		case a.Op == opOpen && !st.opened:
			st.opened, st.model.kind, st.obs.kind = true, a.Kind, a.Kind
		case !st.applies(a):
			continue
		}
		r := result{a: a, start: st.rt.Step()}
		switch {
		case st.model.kind == kindUnary || a.Op == opSend:
			r.tag = fmt.Sprintf("s%d.%d", st.slot, i) // the message, unique in the run
		case a.Op == opFail:
			r.tag = failMsg
		}
		st.do(&r)
		r.end = st.rt.Step()
		st.obs.results = append(st.obs.results, r)
		st.model.observe(r)
	}
}

// applies reports whether a, an action other than the slot's first open, can be
// performed now: the slot's RPC is open, a is an operation of its kind, and a Recv will
// return.
func (st *slotTask) applies(a action) bool {
	switch {
	case a.Op == opOpen || a.Op == opCancel || !st.opened:
		return false
	case st.model.kind == kindUnary:
		return a.Op == opSend || a.Op == opFail
	case st.stream == nil: // NewStream failed
		return false
	case a.Op == opRecv:
		return st.model.recvReady() || st.cancelled || st.connEnds
	}
	return true
}

// do performs a and records its outcome in r.
func (st *slotTask) do(r *result) {
	var out wrapperspb.StringValue
	switch {
	case st.model.kind == kindUnary:
		rpc := "/prop/Echo"
		if r.a.Op == opFail {
			rpc = "/prop/Fail"
		}
		r.err = st.client.Invoke(st.ctx, rpc, wrapperspb.String(r.tag), &out)
	case r.a.Op == opOpen:
		st.stream, r.err = st.client.NewStream(st.ctx, kindRPCs[r.a.Kind])
	case r.a.Op == opSend || r.a.Op == opFail:
		r.err = st.stream.Send(wrapperspb.String(r.tag))
	case r.a.Op == opRecv:
		r.err = st.stream.Recv(&out)
	case r.a.Op == opCloseSend:
		r.err = st.stream.CloseSend()
	}
	r.got = out.Value
}

// report describes a failing run for a person: the workload, the tape with its
// preemptions (counted on a replay with every event kept), and what each slot saw.
func (p *propRun) report(tape simrapid.Tape) string {
	again := &propRun{w: p.w}
	v := simrapid.Replay(sim.Options{Log: true}, tape, again.body)
	var b strings.Builder
	fmt.Fprintf(&b, "workload: %#v\ntape: %v; %d preemptions\n", p.w, tape, scheduler.Preemptions(v.Events))
	for i, sl := range p.slots {
		if len(sl.results) > 0 || sl.cancelAt != 0 {
			fmt.Fprintf(&b, "slot %d (%s", i, kindNames[sl.kind])
			if sl.cancelAt != 0 {
				fmt.Fprintf(&b, ", cancelled at step %d", sl.cancelAt)
			}
			b.WriteString("):\n")
			for _, r := range sl.results {
				fmt.Fprintf(&b, "  %v\n", r)
			}
		}
	}
	if p.conn != (connObs{}) {
		fmt.Fprintf(&b, "connection: closed at step %d, broken at step %d\n", p.conn.closeAt, p.conn.breakAt)
	}
	return b.String()
}
