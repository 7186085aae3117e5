package mux

import (
	"io"

	"muxsim/mux/wire"
	"muxsim/sim"
)

// writer owns the write side of a connection. Streams hand it packets without doing
// I/O; its task turns them into frames and writes them in batches. Fairness: each
// stream has its own queue, and the task takes one frame (at most 64 KiB) from each
// stream with work in turn, so a large message never holds up another stream's frames;
// control packets (Cancel) go first. Memory: the data bytes queued are bounded by
// pendingMax; a sender beyond it blocks until the task drains, its stream ends or its
// context is done. Shutdown: Stop never blocks and never waits for the task (the task's
// own error path calls it); Done fires when the task has exited.
type writer struct {
	rt      *sim.Runtime
	mu      *sim.Mutex
	tr      io.Writer
	onError func(error)

	ring    []*sendQueue // streams with packets queued, served in turn
	next    int          // the ring position served next
	control []*outPacket // packets that jump every queue

	pending    int // data bytes queued
	pendingMax int

	stopping bool  // no new packets; the task drains, or stops at once when abort
	abort    bool  // drop what is queued
	stopErr  error // what sends get once stopping
	failed   bool  // the transport failed: the task has exited

	work    *sim.Notify // wakes the task
	space   *sim.Event  // fired and replaced when pending drops below pendingMax
	waiters int         // senders waiting on space
	done    *sim.Event  // fired when the task exits

	batch    []byte
	batchMax int
}

// sendQueue is one stream's packets, in order.
type sendQueue struct {
	id      uint64
	lastMsg uint64       // message ID of the last packet queued
	items   []*outPacket // FIFO
	inRing  bool
	closed  bool  // accepts nothing more
	err     error // what a send gets once closed
	dataEnd bool  // CloseSend queued: only terminal packets may follow
	started bool  // a frame of this stream is on the wire (or in the batch)
}

// outPacket is a packet on its way out; off is how much of its data is framed.
type outPacket struct {
	id      wire.ID
	kind    wire.Kind
	control bool
	data    []byte
	off     int
}

func newWriter(rt *sim.Runtime, tr io.Writer, pendingMax, batchMax int, onError func(error)) *writer {
	return &writer{rt: rt, mu: rt.NewMutex("writer"), tr: tr, onError: onError, pendingMax: pendingMax,
		work: rt.NewNotify("writer work"), space: rt.NewEvent("writer space"), done: rt.NewEvent("writer done"),
		batchMax: batchMax}
}

// open returns the send queue of a new stream.
func (w *writer) open(id uint64) *sendQueue { return &sendQueue{id: id} }

// packet is a packet a stream asks the writer to send.
type packet struct {
	kind wire.Kind
	data []byte
}

// send queues pkts for the stream, all or none, in order. Data packets (Invoke,
// InvokeMetadata, Message) wait while the writer holds pendingMax bytes, until the
// stream ends (its watcher ends it when its context is done); terminal packets never
// wait. It returns the queue's error once the queue is closed.
func (w *writer) send(sq *sendQueue, ended *sim.Event, pkts ...packet) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	size := 0
	for _, p := range pkts {
		size += len(p.data)
	}
	terminal := isTerminal(pkts[len(pkts)-1].kind) && size == 0
	for {
		if err := w.refuse(sq, pkts[0].kind); err != nil {
			return err
		}
		// A packet larger than the whole bound still goes once the writer is empty.
		if terminal || w.pending == 0 || w.pending+size <= w.pendingMax {
			break
		}
		ev := w.space
		w.waiters++
		w.mu.Unlock()
		_, _ = w.rt.Select(nil, ev, ended)
		w.mu.Lock()
		w.waiters--
	}
	for _, p := range pkts {
		sq.lastMsg++
		sq.items = append(sq.items, &outPacket{id: wire.ID{Stream: sq.id, Message: sq.lastMsg}, kind: p.kind, data: p.data})
		w.pending += len(p.data)
		switch p.kind {
		case wire.KindCloseSend:
			sq.dataEnd = true
		case wire.KindClose, wire.KindError:
			sq.closed, sq.err = true, io.EOF
		}
	}
	if !sq.inRing {
		sq.inRing = true
		w.ring = append(w.ring, sq)
	}
	w.work.Notify()
	return nil
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

// cancel closes the queue with err and drops what it holds. If the peer may have heard of
// the stream (a frame of it went out), it queues a Cancel ahead of everything, so that the
// peer learns at once and discards the partial packet.
func (w *writer) cancel(sq *sendQueue, err error, tell bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if sq.closed && len(sq.items) == 0 && !tell {
		return
	}
	wasClosed := sq.closed
	sq.closed, sq.err = true, err
	for i, p := range sq.items {
		w.pending -= len(p.data) - p.off
		sq.items[i] = nil
	}
	sq.items = sq.items[:0]
	w.leaveRing(sq)
	w.wakeSenders()
	if tell && sq.started && !wasClosed && !w.stopping {
		sq.lastMsg++
		w.control = append(w.control, &outPacket{id: wire.ID{Stream: sq.id, Message: sq.lastMsg}, kind: wire.KindCancel, control: true})
		w.work.Notify()
	}
}

// stop makes the writer refuse new packets with err. With abort it drops what is queued;
// otherwise the task writes it out first. It never blocks.
func (w *writer) stop(err error, abort bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.stopping {
		w.stopping, w.stopErr = true, err
	}
	w.abort = w.abort || abort
	w.wakeSenders()
	w.work.Notify()
}

// wakeSenders lets blocked senders look again.
func (w *writer) wakeSenders() {
	if w.waiters > 0 && (w.pending < w.pendingMax || w.stopping) {
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
			_ = w.rt.Wait(nil, w.work)
			w.mu.Lock()
		}
		if w.stopping && (w.abort || !w.hasWork()) {
			w.mu.Unlock()
			return
		}
		w.batch = w.fill(w.batch[:0])
		w.wakeSenders()
		w.mu.Unlock()
		if _, err := w.tr.Write(w.batch); err != nil {
			// Mark the writer failed before reporting: the report ends in terminate,
			// which calls stop, which must find the writer already stopping rather than
			// wait for this task (B2).
			w.mu.Lock()
			w.failed = true
			if !w.stopping {
				w.stopping, w.stopErr = true, err
			}
			w.abort = true
			w.wakeSenders()
			w.mu.Unlock()
			w.onError(err)
			return
		}
	}
}

func (w *writer) hasWork() bool { return len(w.control) > 0 || len(w.ring) > 0 }

// fill appends frames to batch until it holds batchMax bytes or nothing is left:
// control packets first, then one frame per stream in turn.
func (w *writer) fill(batch []byte) []byte {
	for len(batch) < w.batchMax {
		if len(w.control) > 0 {
			p := w.control[0]
			w.control[0] = nil
			w.control = w.control[1:]
			batch = wire.AppendFrame(batch, wire.Frame{ID: p.id, Kind: p.kind, Control: true, Done: true})
			continue
		}
		if len(w.ring) == 0 {
			break
		}
		if w.next >= len(w.ring) {
			w.next = 0
		}
		sq := w.ring[w.next]
		p := sq.items[0]
		n := min(len(p.data)-p.off, wire.SplitDataMax)
		batch = wire.AppendFrame(batch, wire.Frame{ID: p.id, Kind: p.kind, Control: p.control,
			Done: p.off+n == len(p.data), Data: p.data[p.off : p.off+n]})
		p.off += n
		w.pending -= n
		sq.started = true
		if p.off == len(p.data) {
			sq.items[0] = nil
			sq.items = sq.items[1:]
		}
		if len(sq.items) == 0 {
			w.leaveRing(sq)
		} else {
			w.next++
		}
	}
	return batch
}

// leaveRing takes a queue with nothing left out of the round-robin ring, keeping the turn
// of the queue after it.
func (w *writer) leaveRing(sq *sendQueue) {
	if !sq.inRing {
		return
	}
	sq.inRing = false
	for i, q := range w.ring {
		if q == sq {
			copy(w.ring[i:], w.ring[i+1:])
			w.ring[len(w.ring)-1] = nil
			w.ring = w.ring[:len(w.ring)-1]
			if i < w.next {
				w.next--
			}
			return
		}
	}
}
