package simnet

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/muxsim/muxsim/sim"
)

// half is one direction of a connection: the bytes one end wrote that the other end has
// not read yet, in a ring bounded by the plan's Buffer, with each write's delivery time.
// All of its state is guarded by the link's mutex.
type half struct {
	l    *link
	name string     // "conn a->b", for traces
	r    *rand.Rand // this direction's fault stream

	ring   []byte
	rd, wr int64     // stream offsets: bytes read, bytes accepted
	segs   []segment // write boundaries not yet read, oldest first
	head   int       // first live entry of segs

	linkFree time.Duration // when the link has sent everything queued (bandwidth)
	last     time.Duration // latest delivery time so far: delivery stays in order

	eof          bool          // the writing end closed its side
	readerGone   bool          // the reading end closed: writes fail with ErrBrokenPipe
	err          error         // the connection failed: readers see it after delivered data
	clogUntil    time.Duration // nothing is delivered before this virtual time
	held         bool          // partitioned: nothing is delivered until healed
	changed      *sim.Event    // fired when readers or writers may be able to proceed
	waiters      int           // tasks waiting on changed
	closeAfterAt int64         // stream offset after which the writer's end closes (-1: none)
}

// segment is one write (or the part of one that fitted): its bytes end at end and are
// delivered at at.
type segment struct {
	end int64
	at  time.Duration
}

func newHalf(l *link, name string) *half {
	return &half{l: l, name: name, r: l.rt.NewRand("simnet:" + name), ring: make([]byte, l.plan.Buffer),
		changed: l.rt.NewEvent(name), closeAfterAt: -1}
}

// now is time since sim.Epoch on the runtime's clock.
func (h *half) now() time.Duration { return h.l.rt.Now().Sub(sim.Epoch) }

// space is how many more bytes the ring accepts.
func (h *half) space() int { return len(h.ring) - int(h.wr-h.rd) }

// enqueue copies p into the ring as one segment and returns its delivery time.
func (h *half) enqueue(p []byte) {
	now := h.now()
	start := max(now, h.linkFree)
	if bw := h.l.plan.Bandwidth; bw > 0 {
		start += time.Duration(int64(len(p)) * int64(time.Second) / int64(bw))
	}
	h.linkFree = start
	at := start + h.l.plan.Latency
	if j := h.l.plan.Jitter; j > 0 {
		at += time.Duration(h.r.Int64N(int64(j)))
	}
	at = max(at, h.last)
	h.last = at
	for len(p) > 0 {
		off := int(h.wr % int64(len(h.ring)))
		n := copy(h.ring[off:], p)
		p = p[n:]
		h.wr += int64(n)
	}
	if h.head > 0 && h.head == len(h.segs) {
		h.segs, h.head = h.segs[:0], 0
	}
	h.segs = append(h.segs, segment{end: h.wr, at: at})
}

// deliverable returns how many bytes a read may take now, and, if none, the virtual time
// at which some may become available (0 if only a state change can help).
func (h *half) deliverable() (n int, next time.Duration) {
	if h.head == len(h.segs) {
		return 0, 0
	}
	if h.held {
		return 0, 0
	}
	now := h.now()
	if now < h.clogUntil {
		return 0, h.clogUntil
	}
	end := h.rd
	for _, s := range h.segs[h.head:] {
		if s.at > now {
			if end == h.rd {
				return 0, s.at
			}
			break
		}
		end = s.end
		if !h.l.plan.Coalesce {
			break
		}
	}
	return int(end - h.rd), 0
}

// take copies up to len(p) deliverable bytes into p.
func (h *half) take(p []byte, n int) int {
	n = min(n, len(p))
	for i := 0; i < n; {
		off := int(h.rd % int64(len(h.ring)))
		k := copy(p[i:n], h.ring[off:])
		i += k
		h.rd += int64(k)
	}
	for h.head < len(h.segs) && h.segs[h.head].end <= h.rd {
		h.head++
	}
	return n
}

// fail breaks the direction with err: undelivered bytes are discarded, delivered ones stay
// readable, then readers see err; writers see it at once.
func (h *half) fail(err error) {
	if h.err != nil {
		return
	}
	h.err = err
	now := h.now()
	for i := h.head; i < len(h.segs); i++ {
		if h.held || now < h.clogUntil || h.segs[i].at > now {
			if i == h.head {
				h.wr = h.rd
			} else {
				h.wr = h.segs[i-1].end
			}
			h.segs = h.segs[:i]
			break
		}
	}
	h.wake()
}

// wake tells every task waiting on this direction to look again.
func (h *half) wake() {
	if h.waiters == 0 {
		return
	}
	old := h.changed
	h.changed = h.l.rt.NewEvent(h.name)
	old.Fire()
}

// wait releases the link's lock until the direction changes, until, if until is not 0,
// virtual time until, or until the deadline passes; it returns with the lock held.
func (h *half) wait(until time.Duration, deadline time.Time) {
	rt := h.l.rt
	ws := []sim.Waitable{h.changed}
	var timers []*sim.Timer
	if until > 0 {
		timers = append(timers, rt.NewTimer(until-h.now()))
	}
	if !deadline.IsZero() {
		timers = append(timers, rt.NewTimer(rt.Until(deadline)))
	}
	for _, t := range timers {
		ws = append(ws, t.C())
	}
	h.waiters++
	h.l.mu.Unlock()
	_, _ = rt.Select(context.Background(), ws...)
	for _, t := range timers {
		t.Stop()
	}
	h.l.mu.Lock()
	h.waiters--
}
