package mux

import (
	"fmt"

	"github.com/muxsim/muxsim/mux/wire"
)

// fill appends frames to batch until it holds batchMax bytes or nothing can go: Cancels
// first, then window updates, then one frame per stream in turn (in legacy mode, whole
// packets in the order they were queued).
func (w *writer) fill(batch []byte) []byte {
	for len(batch) < w.batchMax {
		switch {
		case len(w.control) > 0:
			sq := w.control[0]
			w.control[0] = nil
			w.control = w.control[1:]
			sq.lastMsg++
			batch = w.append(batch, wire.Frame{ID: wire.ID{Stream: sq.id, Message: sq.lastMsg},
				Kind: wire.KindCancel, Control: true, Done: true})
		case w.takeGrant(&batch):
		case len(w.ring) > 0:
			batch = w.frame(batch, w.pick())
		default:
			return batch
		}
	}
	return batch
}

// takeGrant appends the oldest window update; it reports whether there was one. A window
// update may go out in the middle of its own stream's packet: it takes the next message
// ID, so IDs still rise on the wire, and the receiver handles it before packet assembly,
// so the half-sent packet (with its lower ID) is not cut short. Holding the update back
// instead could deadlock: the half-sent packet may be waiting for credit that the peer
// grants only once it gets this update.
func (w *writer) takeGrant(batch *[]byte) bool {
	if len(w.grants) == 0 {
		return false
	}
	sq := w.grants[0]
	w.grants[0] = nil
	w.grants = w.grants[1:]
	delta := sq.grant
	if delta <= 0 { // grant queues only positive updates, cancel takes its own out
		w.rt.Fail(fmt.Sprintf("stream %d: a window update of %d in the grants list", sq.id, delta))
	}
	sq.grant = 0
	sq.lastMsg++
	*batch = w.append(*batch, wire.Frame{ID: wire.ID{Stream: sq.id, Message: sq.lastMsg},
		Kind: kindWindowUpdate, Control: true, Done: true, Data: wire.AppendVarint(nil, uint64(delta))})
	return true
}

// pick returns the ring position to serve: the next in turn, or in legacy mode the queue
// whose head was queued first.
func (w *writer) pick() int {
	if w.legacy {
		best := 0
		for i, sq := range w.ring {
			if sq.items[0].seq < w.ring[best].items[0].seq {
				best = i
			}
		}
		return best
	}
	if w.next >= len(w.ring) {
		w.next = 0
	}
	return w.next
}

// frame appends the next frame of the stream at ring position i.
func (w *writer) frame(batch []byte, i int) []byte {
	sq := w.ring[i]
	p := sq.items[0]
	if p.msg == 0 {
		sq.lastMsg++
		p.msg = sq.lastMsg
	}
	n := min(len(p.data)-p.off, wire.SplitDataMax)
	if w.legacy {
		n = len(p.data) - p.off // whole packets, as a storj peer expects them
	}
	if p.kind == wire.KindMessage {
		n = int(min(int64(n), sq.credit))
		sq.credit -= int64(n)
	}
	done := p.off+n == len(p.data)
	batch = w.append(batch, wire.Frame{ID: wire.ID{Stream: sq.id, Message: p.msg}, Kind: p.kind,
		Done: done, Data: p.data[p.off : p.off+n]})
	p.off += n
	sq.queued -= n
	w.pending -= n
	sq.started = true
	if done {
		sq.items[0] = nil
		sq.items = sq.items[1:]
	}
	if !sq.ready() {
		w.leaveRing(sq)
	} else if !w.legacy {
		w.next = i + 1
	}
	return batch
}

// leaveRing takes a queue whose head cannot go out of the round-robin ring, keeping the
// turn of the queue after it.
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

// append encodes fr into batch, and traces it under simulation.
func (w *writer) append(batch []byte, fr wire.Frame) []byte {
	if w.note != nil {
		w.note("send", fr)
	}
	return wire.AppendFrame(batch, fr)
}
