package simnet

import (
	"fmt"
	"io"
	"net"
	"time"

	"github.com/muxsim/muxsim/sim"
)

// Addr is a simulated network address, "host:port".
type Addr string

// Network returns "simnet".
func (Addr) Network() string  { return "simnet" }
func (a Addr) String() string { return string(a) }

// link is a connected pair: one lock, two directions, two ends.
type link struct {
	rt   *sim.Runtime
	mu   *sim.Mutex
	name string
	plan Plan
	dir  [2]*half // dir[i] carries what end i writes
	end  [2]*Conn
}

// Conn is one end of a simulated connection. It behaves like a TCP net.Conn: writes are
// buffered up to the plan's Buffer and delivered in order after the plan's delays, reads
// block until bytes arrive, deadlines run on the runtime's clock, Close unblocks every
// pending operation, CloseWrite half-closes. Under simulation every operation is a
// scheduling point. Read and Write may be called from different tasks at once.
type Conn struct {
	l             *link
	side          int // 0: the dialing end, 1: the accepting end
	local, remote Addr
	closed        bool
	rdl, wdl      time.Time // read and write deadlines; zero: none
}

// Pipe returns the two ends of a connection with the given fault plan. name identifies
// the connection in traces and seeds its fault streams: give each connection of a run a
// distinct name.
func Pipe(rt *sim.Runtime, name string, plan Plan) (*Conn, *Conn) {
	return newLink(rt, name, plan, Addr(name+":a"), Addr(name+":b"))
}

func newLink(rt *sim.Runtime, name string, plan Plan, a, b Addr) (*Conn, *Conn) {
	l := &link{rt: rt, mu: rt.NewMutex("simnet " + name), name: name, plan: plan.withDefaults()}
	l.dir[0] = newHalf(l, name+" "+string(a)+"->"+string(b))
	l.dir[1] = newHalf(l, name+" "+string(b)+"->"+string(a))
	l.end[0] = &Conn{l: l, side: 0, local: a, remote: b}
	l.end[1] = &Conn{l: l, side: 1, local: b, remote: a}
	return l.end[0], l.end[1]
}

func (c *Conn) out() *half { return c.l.dir[c.side] }
func (c *Conn) in() *half  { return c.l.dir[1-c.side] }

// note records a fault in the simulation's trace.
func (c *Conn) note(format string, args ...any) {
	if c.l.rt.Simulated() {
		c.l.rt.Note("simnet " + c.l.name + " " + string(c.local) + ": " + fmt.Sprintf(format, args...))
	}
}

// Read reads bytes the peer wrote, in order. It returns io.EOF once the peer has closed
// its writing side and every byte has been read. Past the read deadline it fails with a
// timeout, as on TCP, even when bytes have arrived (they stay buffered for a read after
// the deadline is cleared or moved to the future) and even after EOF or a reset; only a
// closed end reports net.ErrClosed instead.
func (c *Conn) Read(p []byte) (int, error) {
	l := c.l
	l.mu.Lock()
	defer l.mu.Unlock()
	h := c.in()
	for {
		if c.closed {
			return 0, opError("read", c.local, c.remote, net.ErrClosed)
		}
		if len(p) == 0 {
			return 0, nil
		}
		// As on TCP, an expired deadline fails the read before it looks at the buffer:
		// bytes that have arrived stay there for a later read.
		if c.readExpired() {
			return 0, opError("read", c.local, c.remote, errTimeout)
		}
		n, next := h.deliverable()
		if n > 0 {
			if l.plan.ReadFail > 0 && h.r.Float64() < l.plan.ReadFail && l.rt.Inject("simnet read-fail") {
				c.note("read fails: reset")
				l.reset()
				return 0, opError("read", c.local, c.remote, ErrReset)
			}
			if l.plan.Split && n > 1 {
				n = 1 + h.r.IntN(min(n, len(p)))
			}
			n = h.take(p, n)
			if h.closeAfterAt >= 0 && h.rd >= h.closeAfterAt {
				h.closeAfterAt = -1
				c.note("peer closes after its write was delivered")
				l.end[1-c.side].closeLocked()
			}
			h.wake()
			return n, nil
		}
		if h.err != nil {
			return 0, opError("read", c.local, c.remote, h.err)
		}
		if h.eof && h.rd == h.wr {
			return 0, io.EOF
		}
		h.wait(next, c.rdl)
	}
}

// Write writes p, blocking while the direction's buffer is full. On failure it returns
// the number of bytes accepted before it. Past the write deadline it fails with a timeout,
// as on TCP, even with room in the buffer (a write that starts late writes nothing) and
// even after the peer closed or the connection was reset; only a closed end reports
// net.ErrClosed instead.
func (c *Conn) Write(p []byte) (int, error) {
	l := c.l
	l.mu.Lock()
	defer l.mu.Unlock()
	h := c.out()
	failAt := -1
	if l.plan.WriteFail > 0 && h.r.Float64() < l.plan.WriteFail {
		if at := h.r.IntN(len(p) + 1); l.rt.Inject("simnet write-fail") {
			failAt = at
		}
	}
	n := 0
	for {
		switch {
		case c.closed:
			return n, opError("write", c.local, c.remote, net.ErrClosed)
		case c.writeExpired():
			// As on TCP, the deadline comes before the state of the connection.
			return n, opError("write", c.local, c.remote, errTimeout)
		case h.err != nil:
			return n, opError("write", c.local, c.remote, h.err)
		case h.readerGone || h.eof:
			return n, opError("write", c.local, c.remote, ErrBrokenPipe)
		}
		if n == failAt {
			c.note("write fails after %d of %d bytes: reset", n, len(p))
			l.reset()
			return n, opError("write", c.local, c.remote, ErrReset)
		}
		if n == len(p) {
			break
		}
		// Like TCP's silly-window avoidance, a writer that had to wait does not refill a
		// nearly full buffer byte by byte: it waits for a quarter of the buffer, or for
		// room for everything it has left.
		space := h.space()
		if space == 0 || space < min(len(p)-n, len(h.ring)/4) {
			h.wait(0, c.wdl)
			continue
		}
		k := min(space, len(p)-n)
		if failAt > n {
			k = min(k, failAt-n)
		}
		h.enqueue(p[n : n+k])
		n += k
		h.wake()
	}
	c.afterWrite(h)
	return n, nil
}

// afterWrite draws the per-write faults that act after a successful write.
func (c *Conn) afterWrite(h *half) {
	plan := c.l.plan
	// A clog is drawn after the heal too, and then not applied (sim.Runtime.Heal), so that
	// the direction's stream makes the draws it would have made.
	if plan.Clog > 0 && h.r.Float64() < plan.Clog && !c.l.rt.Healed() {
		h.clogUntil = max(h.clogUntil, h.now()+plan.ClogFor)
		c.note("direction clogged for %v", plan.ClogFor)
	}
	if plan.PeerClose > 0 && h.r.Float64() < plan.PeerClose && h.closeAfterAt < 0 && c.l.rt.Inject("simnet peer-close") {
		// The writer's end closes once the peer has read this write, as if its owner
		// had called Close right after a reply it was sure had arrived.
		h.closeAfterAt = h.wr
		c.note("will close after this write is read")
	}
}

// Close closes this end: its pending and later operations fail with net.ErrClosed, the
// peer reads what was delivered and then io.EOF, and the peer's writes fail with
// ErrBrokenPipe. Closing twice returns net.ErrClosed.
func (c *Conn) Close() error {
	c.l.mu.Lock()
	defer c.l.mu.Unlock()
	if c.closed {
		return opError("close", c.local, c.remote, net.ErrClosed)
	}
	c.closeLocked()
	return nil
}

func (c *Conn) closeLocked() {
	if c.closed {
		return
	}
	c.closed = true
	out, in := c.out(), c.in()
	out.eof = true
	in.readerGone = true
	out.wake()
	in.wake()
}

// CloseWrite half-closes the connection: the peer reads io.EOF after the bytes written
// so far; this end can still read.
func (c *Conn) CloseWrite() error {
	c.l.mu.Lock()
	defer c.l.mu.Unlock()
	if c.closed {
		return opError("close", c.local, c.remote, net.ErrClosed)
	}
	c.out().eof = true
	c.out().wake()
	return nil
}

// Reset breaks the connection at once, as a fault would: undelivered bytes are lost and
// both ends fail with ErrReset.
func (c *Conn) Reset() {
	c.l.mu.Lock()
	defer c.l.mu.Unlock()
	c.note("reset")
	c.l.reset()
}

func (l *link) reset() {
	l.dir[0].fail(ErrReset)
	l.dir[1].fail(ErrReset)
}

// LocalAddr returns this end's address.
func (c *Conn) LocalAddr() net.Addr { return c.local }

// RemoteAddr returns the peer's address.
func (c *Conn) RemoteAddr() net.Addr { return c.remote }

// SetDeadline sets both deadlines, as SetReadDeadline and SetWriteDeadline do.
func (c *Conn) SetDeadline(t time.Time) error { return c.setDeadline(t, true, true) }

// SetReadDeadline makes pending and later reads fail with a timeout once t has passed on
// the runtime's clock, even when bytes have arrived: they stay buffered, and a read after
// the deadline is cleared (the zero time) or moved to the future returns them. After
// Close it fails with net.ErrClosed.
func (c *Conn) SetReadDeadline(t time.Time) error { return c.setDeadline(t, true, false) }

// SetWriteDeadline makes pending and later writes fail with a timeout once t has passed
// on the runtime's clock, a write that was blocked returning the bytes it had accepted;
// the zero time means no deadline. After Close it fails with net.ErrClosed.
func (c *Conn) SetWriteDeadline(t time.Time) error { return c.setDeadline(t, false, true) }

func (c *Conn) setDeadline(t time.Time, read, write bool) error {
	c.l.mu.Lock()
	defer c.l.mu.Unlock()
	if c.closed {
		// TCP's error: no source address, the local one as the address.
		return opError("set", nil, c.local, net.ErrClosed)
	}
	if read {
		c.rdl = t
		c.in().wake()
	}
	if write {
		c.wdl = t
		c.out().wake()
	}
	return nil
}

// readExpired reports whether the read deadline has passed; the caller holds the lock.
func (c *Conn) readExpired() bool { return !c.rdl.IsZero() && !c.l.rt.Now().Before(c.rdl) }

// writeExpired reports whether the write deadline has passed; the caller holds the lock.
func (c *Conn) writeExpired() bool { return !c.wdl.IsZero() && !c.l.rt.Now().Before(c.wdl) }
