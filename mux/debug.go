package mux

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// debugConns, when set (by tests), sees every connection a client or a server makes, so
// that a hung test can print what each was waiting on (debugString).
var debugConns func(*conn)

// debugStreamsMax bounds the streams debugString lists per connection.
const debugStreamsMax = 64

// debugString describes the connection for a person reading a hang: who it is, why it
// ended, its writer's queues and each stream's state, queues and credit. It is meant for
// a connection that may be stuck, so it never blocks: it takes each lock with TryLock
// and prints "(locked)" for what a held lock guards; a lock that stays held is itself the
// clue. Not for anything that feeds a trace hash.
func (c *conn) debugString() string {
	var b strings.Builder
	side := "client"
	if c.server {
		side = "server"
	}
	fmt.Fprintf(&b, "<conn %s term=%v> writer: %s\n", side, c.term.Err(), c.w.debugString())
	if !c.mu.TryLock() {
		b.WriteString("  streams: (locked: conn mutex held)\n")
		return b.String()
	}
	ids := slices.Sorted(maps.Keys(c.streams))
	streams := make([]*Stream, 0, min(len(ids), debugStreamsMax))
	for _, id := range ids[:min(len(ids), debugStreamsMax)] {
		streams = append(streams, c.streams[id])
	}
	fmt.Fprintf(&b, "  %d streams, %d pending invokes, %d draining, closing=%v\n",
		len(ids), len(c.pending), len(c.draining), c.closing)
	c.mu.Unlock()
	for _, s := range streams {
		fmt.Fprintf(&b, "  %s\n", s.debugString())
	}
	if len(ids) > debugStreamsMax {
		fmt.Fprintf(&b, "  ... %d more streams\n", len(ids)-debugStreamsMax)
	}
	return b.String()
}

// debugString is a stream's line of conn.debugString:
// <stream 7 /echo/Bidi state=send-closed recv: 2 messages 64B waiters=1 outstanding=64
// freed=0; send: 0 packets 0B credit=262144 closed=false>.
func (s *Stream) debugString() string {
	send := "(locked: writer mutex held)"
	if s.c.w.mu.TryLock() {
		send = fmt.Sprintf("%d packets %dB credit=%d closed=%v", len(s.sq.items), s.sq.queued, s.sq.credit, s.sq.closed)
		s.c.w.mu.Unlock()
	}
	if !s.mu.TryLock() {
		return fmt.Sprintf("<stream %d %s (locked: stream mutex held) send: %s>", s.id, s.rpc, send)
	}
	defer s.mu.Unlock()
	return fmt.Sprintf("<stream %d %s state=%s recv: %d messages %dB waiters=%d outstanding=%d freed=%d; send: %s>",
		s.id, s.rpc, s.st.name(), len(s.queue), s.queued, s.waiters, s.outstanding, s.freed, send)
}

// name is the state's node in drpcstream's state.dot (see state).
func (st state) name() string {
	switch {
	case st.canceled:
		return "canceled"
	case st.terminated:
		return "terminated"
	case st.sendClosed && st.recvClosed:
		return "both-closed"
	case st.sendClosed:
		return "send-closed"
	case st.recvClosed:
		return "recv-closed"
	}
	return "open"
}

// debugString is the writer's part of conn.debugString: its queues and their blocked
// senders, and each queued stream's credit.
func (w *writer) debugString() string {
	if !w.mu.TryLock() {
		return "(locked: writer mutex held)"
	}
	defer w.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "pending=%d/%dB waiters=%d ring=%d control=%d grants=%d stopping=%v abort=%v",
		w.pending, w.pendingMax, w.waiters, len(w.ring), len(w.control), len(w.grants), w.stopping, w.abort)
	for i, q := range w.ring {
		if i == debugStreamsMax {
			fmt.Fprintf(&b, " ...")
			break
		}
		fmt.Fprintf(&b, " [stream %d: %d packets %dB credit=%d]", q.id, len(q.items), q.queued, q.credit)
	}
	return b.String()
}
