package mux

import (
	"context"
	"fmt"
	"github.com/muxsim/muxsim/internal/muxbugs"
	"io"
	"math"
	"slices"

	"github.com/muxsim/muxsim/mux/wire"
	"github.com/muxsim/muxsim/sim"
)

// writer owns the write side of a connection. Streams hand it packets without doing
// I/O; its task turns them into frames and writes them in batches.
//
// Fairness: each stream has its own queue, and the task takes one frame (at most 64 KiB)
// from each stream with work in turn, so a large message never holds up another stream's
// frames. Cancels go before anything else; window updates go before data, but never in
// the middle of their own stream's packet. Message IDs are assigned as a packet's first
// frame is written, so they always increase on the wire.
//
// Flow control: a Message frame needs send credit on its stream, granted by the peer's
// window updates; a stream without credit waits while the others flow.
//
// Memory: the data bytes queued are bounded by pendingMax in all, and per stream by its
// credit; a sender beyond either blocks until the task drains, or its stream ends.
//
// Legacy mode (storj.io/drpc v1.0.0 peers): packets go out whole, in the order they were
// queued, so that frame IDs never go backwards on the wire.
//
// Shutdown: stop never blocks and never waits for the task (the task's own error path
// calls it); done fires when the task has exited.
type writer struct {
	rt      *sim.Runtime
	mu      *sim.Mutex
	tr      io.Writer
	onError func(error)
	legacy  bool

	ring    []*sendQueue // streams with a packet that can go now, served in turn
	next    int          // the ring position served next
	control []*sendQueue // streams with a Cancel to send
	grants  []*sendQueue // streams with a window update to send
	seq     uint64       // enqueue order, for legacy mode

	pending    int // data bytes queued
	pendingMax int

	stopping bool  // no new packets; the task drains, or stops at once when abort
	abort    bool  // drop what is queued
	stopErr  error // what sends get once stopping

	work    *sim.Notify // wakes the task
	space   *sim.Event  // fired and replaced when senders may proceed
	waiters int         // senders waiting on space
	done    *sim.Event  // fired when the task exits

	batch    []byte
	batchMax int
	peak     func(streamQueued, writerPending int) // records high-water marks
	note     func(dir string, fr wire.Frame)       // traces frames, under simulation
}

// sendQueue is one stream's outgoing side.
type sendQueue struct {
	id      uint64
	lastMsg uint64       // message ID of the last packet on the wire
	items   []*outPacket // FIFO
	queued  int          // data bytes of items not yet framed
	inRing  bool
	closed  bool  // accepts nothing more
	err     error // what a send gets once closed
	dataEnd bool  // CloseSend queued: only terminal packets may follow
	started bool  // a frame of this stream is on the wire (or in the batch)
	credit  int64 // bytes of Message data the peer lets us send; MaxInt64 without flow control
	cancel  bool  // a Cancel is waiting in the control list
	grant   int64 // window to grant the peer, waiting in the grants list
}

// outPacket is a packet on its way out; off is how much of its data is framed.
type outPacket struct {
	kind wire.Kind
	data []byte
	off  int
	msg  uint64 // message ID, assigned with the first frame
	seq  uint64 // enqueue order
}

// kindWindowUpdate grants the peer more send credit on a stream: its data is the credit
// delta as a varint. It always carries the control bit, so DRPC peers that do not know
// it ignore it (the cockroachdb/drpc fork uses the same kind).
const kindWindowUpdate wire.Kind = 8

func newWriter(rt *sim.Runtime, tr io.Writer, opts Options, onError func(error)) *writer {
	return &writer{rt: rt, mu: rt.NewMutex("writer"), tr: tr, onError: onError, legacy: opts.Legacy,
		pendingMax: opts.WriterBufferMax, batchMax: opts.WriteBatchMax,
		work: rt.NewNotify("writer work"), space: rt.NewEvent("writer space"), done: rt.NewEvent("writer done")}
}

// open returns the send queue of a new stream with the given initial credit (0: no flow
// control).
func (w *writer) open(id uint64, credit int64) *sendQueue {
	if credit <= 0 {
		credit = math.MaxInt64
	}
	return &sendQueue{id: id, credit: credit}
}

// packet is a packet a stream asks the writer to send.
type packet struct {
	kind wire.Kind
	data []byte
}

// send queues pkts for the stream, all or none, in order. Packets with data wait while the
// writer holds pendingMax bytes or the stream has queued more than its credit, until the
// stream ends (its watcher ends it when its context is done). That includes an Error
// packet, whose message is data: the wait is what bounds a peer that floods refused
// invokes and never reads. Packets without data (CloseSend, Close) never
// wait. It returns the queue's error once the queue is closed.
func (w *writer) send(sq *sendQueue, ended *sim.Event, pkts ...packet) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.put(sq, ended, false, pkts)
}

// sendFinal queues pkt, an Error, on a queue that cancel has closed: the stream's last
// packet, which tells the peer why we ended its stream. It waits for room as send does,
// since the peer that provoked it may not be reading; nothing else can be queued behind it.
func (w *writer) sendFinal(sq *sendQueue, pkt packet) error {
	if pkt.kind != wire.KindError {
		w.rt.Fail(fmt.Sprintf("stream %d: a final %v packet, want an Error", sq.id, pkt.kind))
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if !sq.closed || len(sq.items) > 0 {
		w.rt.Fail(fmt.Sprintf("stream %d: a final packet on a queue that was not cancelled", sq.id))
	}
	return w.put(sq, nil, true, []packet{pkt})
}

// put is send with w.mu held; final skips the queue's own refusal (sendFinal).
func (w *writer) put(sq *sendQueue, ended *sim.Event, final bool, pkts []packet) error {
	size := 0
	for _, p := range pkts {
		size += len(p.data)
	}
	for {
		if w.stopping {
			return w.stopErr
		}
		if err := w.refuse(sq, pkts[0].kind); err != nil && !final {
			return err
		}
		if size == 0 || w.fits(sq, size) {
			break
		}
		ev := w.space
		w.waiters++
		w.mu.Unlock()
		if ended != nil {
			_, _ = w.rt.Select(context.Background(), ev, ended)
		} else {
			_ = w.rt.Wait(context.Background(), ev)
		}
		w.mu.Lock()
		w.waiters--
	}
	for _, p := range pkts {
		w.seq++
		sq.items = append(sq.items, &outPacket{kind: p.kind, data: p.data, seq: w.seq})
		sq.queued += len(p.data)
		w.pending += len(p.data)
		switch p.kind {
		case wire.KindCloseSend:
			sq.dataEnd = true
		case wire.KindClose, wire.KindError:
			sq.closed, sq.err = true, io.EOF
		}
	}
	w.schedule(sq)
	if w.peak != nil {
		w.peak(0, w.pending)
	}
	return nil
}

// fits reports whether size more data bytes may be queued for sq. Something always fits
// in an empty writer or stream, so that a message larger than a bound still goes.
func (w *writer) fits(sq *sendQueue, size int) bool {
	if w.pending > 0 && w.pending+size > w.pendingMax {
		return false
	}
	return sq.queued == 0 || int64(sq.queued+size) <= sq.credit
}

// refuse returns why the queue cannot take a packet of kind now, or nil.
func (w *writer) refuse(sq *sendQueue, kind wire.Kind) error {
	switch {
	case w.stopping:
		return w.stopErr
	case sq.closed:
		return sq.err
	case sq.dataEnd && !isTerminal(kind):
		return errSendClosed
	}
	return nil
}

func isTerminal(k wire.Kind) bool {
	return k == wire.KindCloseSend || k == wire.KindClose || k == wire.KindError || k == wire.KindCancel
}

// ready reports whether sq's head packet can go now: anything but a Message, or a Message
// with credit for at least one byte (or nothing left to send: an empty message).
func (sq *sendQueue) ready() bool {
	if len(sq.items) == 0 {
		return false
	}
	p := sq.items[0]
	return p.kind != wire.KindMessage || sq.credit > 0 || p.off == len(p.data)
}

// schedule puts sq in the ring if its head can go, and wakes the task.
func (w *writer) schedule(sq *sendQueue) {
	if !sq.inRing && sq.ready() {
		sq.inRing = true
		w.ring = append(w.ring, sq)
	}
	w.work.Notify()
}

// holds reports whether sq still has packets to send.
func (w *writer) holds(sq *sendQueue) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(sq.items) > 0
}

// addCredit is the peer's window update for sq.
func (w *writer) addCredit(sq *sendQueue, delta int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if sq.credit > math.MaxInt64-delta {
		sq.credit = math.MaxInt64
	} else {
		sq.credit += delta
	}
	w.schedule(sq)
	w.wakeSenders()
}

// grant queues a window update of delta for the peer's side of sq.
func (w *writer) grant(sq *sendQueue, delta int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopping || sq.closed {
		return // the stream is over: the peer has nothing more to send on it
	}
	if sq.grant == 0 {
		w.grants = append(w.grants, sq)
	}
	sq.grant += delta
	w.work.Notify()
}

// cancel closes the queue with err and drops what it holds. If the peer may have heard of
// the stream (a frame of it went out), it queues a Cancel ahead of everything, so that the
// peer learns at once and discards the partial packet.
func (w *writer) cancel(sq *sendQueue, err error, tell bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	wasClosed := sq.closed
	sq.closed, sq.err = true, err
	for i, p := range sq.items {
		w.pending -= len(p.data) - p.off
		sq.items[i] = nil
	}
	sq.items, sq.queued = sq.items[:0], 0
	if sq.grant > 0 {
		// Its window update must not go out as a zero (a malformed update ends the
		// connection at the peer): take it out of the list with the grant.
		w.grants = slices.DeleteFunc(w.grants, func(q *sendQueue) bool { return q == sq })
		sq.grant = 0
	}
	w.leaveRing(sq)
	w.wakeSenders()
	if tell && sq.started && !wasClosed && !w.abort && !sq.cancel {
		sq.cancel = true
		w.control = append(w.control, sq)
		w.work.Notify()
	}
}

// waitRoom waits until the writer holds less than pendingMax: BugB9's blocking write.
func (w *writer) waitRoom() {
	w.mu.Lock()
	for w.pending >= w.pendingMax && !w.stopping {
		ev := w.space
		w.waiters++
		w.mu.Unlock()
		_ = w.rt.Wait(context.Background(), ev)
		w.mu.Lock()
		w.waiters--
	}
	w.mu.Unlock()
}

// resetAll drops every packet not yet started on the wire, of every stream: BugB7.
func (w *writer) resetAll() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, sq := range w.ring {
		kept := sq.items[:0]
		for _, p := range sq.items {
			if p.off > 0 {
				kept = append(kept, p)
				continue
			}
			w.pending -= len(p.data)
			sq.queued -= len(p.data)
		}
		sq.items = kept
	}
	for i := 0; i < len(w.ring); {
		if len(w.ring[i].items) == 0 {
			w.leaveRing(w.ring[i])
			continue
		}
		i++
	}
	w.wakeSenders()
}

// stop makes the writer refuse new packets with err. With abort it drops what is queued;
// otherwise the task writes it out first. It never blocks.
func (w *writer) stop(err error, abort bool) {
	w.mu.Lock()
	wasStopping := w.stopping
	if !w.stopping {
		w.stopping, w.stopErr = true, err
	}
	w.abort = w.abort || abort
	w.wakeSenders()
	w.work.Notify()
	w.mu.Unlock()
	if muxbugs.On(muxbugs.B2) && !wasStopping {
		_ = w.rt.Wait(context.Background(), w.done) // B2: "StopWait": from the writer's own error path, forever
	}
}

// wakeSenders lets blocked senders look again.
func (w *writer) wakeSenders() {
	if w.waiters > 0 {
		old := w.space
		w.space = w.rt.NewEvent("writer space")
		old.Fire()
	}
}

// run is the writer task.
func (w *writer) run() {
	defer w.done.Fire()
	for {
		w.mu.Lock()
		for !w.stopping && !w.hasWork() {
			w.mu.Unlock()
			_ = w.rt.Wait(context.Background(), w.work)
			w.mu.Lock()
		}
		if w.stopping && (w.abort || !w.hasWork()) {
			w.mu.Unlock()
			return
		}
		w.batch = w.fill(w.batch[:0])
		w.wakeSenders()
		w.mu.Unlock()
		if len(w.batch) == 0 {
			continue
		}
		if _, err := w.tr.Write(w.batch); err != nil {
			// Mark the writer stopped before reporting: the report ends in terminate,
			// which calls stop, which must find the writer already stopping rather than
			// wait for this task (B2).
			if muxbugs.On(muxbugs.B2) {
				w.onError(err) // B2: reported while the writer still looks alive
			}
			w.mu.Lock()
			if !w.stopping {
				w.stopping, w.stopErr = true, err
			}
			w.abort = true
			w.wakeSenders()
			w.mu.Unlock()
			if !muxbugs.On(muxbugs.B2) {
				w.onError(err)
			}
			return
		}
	}
}

func (w *writer) hasWork() bool { return len(w.control) > 0 || len(w.grants) > 0 || len(w.ring) > 0 }
