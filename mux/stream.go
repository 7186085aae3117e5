package mux

import (
	"context"
	"fmt"
	"github.com/muxsim/muxsim/internal/muxbugs"
	"io"

	"google.golang.org/protobuf/proto"

	"github.com/muxsim/muxsim/mux/wire"
	"github.com/muxsim/muxsim/sim"
)

// Stream is one RPC on a connection: the client's end (from NewStream) or the server's
// (given to a handler). Send and Recv may run in different tasks at once; each of them
// from one task at a time.
//
// Error semantics (gRPC's): after the caller's context is done, Send returns io.EOF and
// Recv returns a Canceled (or DeadlineExceeded) *Error; after the peer ended the stream
// with an error, Send returns io.EOF and Recv returns that error, every time; after the
// peer's CloseSend, Recv returns io.EOF once the queued messages are read. A client whose
// connection dies sees Unavailable; a handler whose client went away sees Canceled.
type Stream struct {
	c      *conn
	id     uint64
	rpc    string
	ctx    context.Context
	cancel context.CancelCauseFunc // server streams: ends the handler's context
	sq     *sendQueue
	asm    *wire.Assembler
	ended  *sim.Event // fires when the stream terminates

	mu      *sim.Mutex
	st      state
	queue   []received // received messages, copied
	queued  int        // their bytes
	changed *sim.Event
	waiters int

	// Flow control, receiving side (fc): outstanding is the Message bytes received that
	// have not been granted back to the sender; freed is what the consumer (or packet
	// assembly) has released and a window update has not yet returned.
	fc          bool
	outstanding int
	freed       int
}

// received is a message waiting for the consumer; owed is how much of it has not been
// granted back yet (the frames before its last were granted as they arrived).
type received struct {
	data []byte
	owed int
}

func (c *conn) newStream(ctx context.Context, id uint64, rpc string) *Stream {
	name := fmt.Sprintf("stream %d", id)
	credit := int64(c.opts.StreamWindow)
	if c.opts.Legacy {
		credit = 0 // no flow control
	}
	return &Stream{c: c, id: id, rpc: rpc, ctx: ctx, sq: c.w.open(id, credit), fc: !c.opts.Legacy,
		asm:   wire.NewAssemblerWithOptions(id, wire.AssemblerOptions{PacketDataMax: c.opts.PacketMax}),
		ended: c.rt.NewEvent(name + " ended"), mu: c.rt.NewMutex(name), changed: c.rt.NewEvent(name)}
}

// ID returns the stream's ID on its connection.
func (s *Stream) ID() uint64 { return s.id }

// RPC returns the name the stream was invoked with.
func (s *Stream) RPC() string { return s.rpc }

// Context returns the stream's context: the caller's on a client, and on a server one
// that is done when the stream ends, carrying the incoming metadata.
func (s *Stream) Context() context.Context { return s.ctx }

func (s *Stream) String() string { return fmt.Sprintf("<stream %d %s>", s.id, s.rpc) }

// Send marshals m and sends it.
func (s *Stream) Send(m proto.Message) error {
	data, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		return err
	}
	return s.SendBytes(data)
}

// SendBytes sends one message of raw bytes. The stream keeps data until it is written:
// the caller must not change it afterwards.
func (s *Stream) SendBytes(data []byte) error {
	s.checkContext()
	s.mu.Lock()
	if s.st.sendClosed {
		err := s.st.sendErr
		s.mu.Unlock()
		return err
	}
	s.mu.Unlock()
	return s.sendError(s.c.w.send(s.sq, s.ended, packet{wire.KindMessage, data}))
}

// sendError maps an error from the writer to what Send reports.
func (s *Stream) sendError(err error) error {
	if err == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.sendClosed {
		return s.st.sendErr
	}
	return io.EOF
}

// Recv receives one message into m.
func (s *Stream) Recv(m proto.Message) error {
	data, err := s.RecvBytes()
	if err != nil {
		return err
	}
	return proto.Unmarshal(data, m)
}

// RecvBytes receives one message as raw bytes, which the caller owns.
func (s *Stream) RecvBytes() ([]byte, error) {
	s.checkContext()
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if s.st.recvClosed && (s.st.recvNow || len(s.queue) == 0) {
			return nil, s.st.recvErr
		}
		if len(s.queue) > 0 {
			m := s.queue[0]
			s.queue[0] = received{}
			s.queue = s.queue[1:]
			s.queued -= len(m.data)
			s.release(m.owed)
			return m.data, nil
		}
		// No need to watch the context here: the stream's watcher task turns its end into
		// evCancel, which wakes this wait (and a server stream's context ends only when
		// the stream does). Waiting on fewer things keeps decisions cheap.
		ev := s.changed
		s.waiters++
		s.mu.Unlock()
		_ = s.c.rt.Wait(context.Background(), ev)
		s.mu.Lock()
		s.waiters--
	}
}

// checkContext ends the stream at once if its context is done: a cancel is synchronous
// for the caller, even before the watcher task has run.
func (s *Stream) checkContext() {
	if err := s.ctx.Err(); err != nil {
		s.transition(evCancel, statusOf(err))
	}
}

// CloseSend tells the peer that no more messages will come from this side.
func (s *Stream) CloseSend() error {
	s.transition(evCloseSend, nil)
	return nil
}

// Close ends the stream in both directions.
func (s *Stream) Close() error {
	s.transition(evClose, nil)
	return nil
}

// transition applies an event and carries out its action.
func (s *Stream) transition(ev event, cause error) {
	s.mu.Lock()
	next, act := s.st.apply(ev, cause)
	wasTerminated := s.st.terminated
	s.st = next
	s.wake()
	if muxbugs.On(muxbugs.B9) && act == actCancel {
		s.c.w.waitRoom() // B9: SendCancel waits for the writer with the stream locked
	}
	s.mu.Unlock()
	ended := next.terminated && !wasTerminated
	if act == actRefuse {
		// The Error goes out after the stream has left the registry, like any frame that
		// ends the stream (below), but its queue is dropped first, so that the registry
		// does not keep it as draining.
		cause = next.recvErr
		s.c.w.cancel(s.sq, io.EOF, false)
	}
	if ended && act != actCancel {
		// Out of the registry before the final frame can reach the peer: once the peer
		// sees the stream end, a frame it sends under that ID must find no stream (a
		// replay is dropped, a new Invoke served), not a terminated one whose assembler
		// calls it a protocol error (found by mux-hostile-stale-race). That includes the
		// rest of a message we refused with actRefuse, which the peer sends until our
		// Error reaches it. A cancel instead drops the stream's queue first, at once: a
		// peer that sees our Cancel sends nothing more on the stream.
		s.c.remove(s)
	}
	s.act(act, cause)
	if ended && act == actCancel {
		s.c.remove(s)
	}
	if ended {
		s.finish()
	}
}

// act sends what a transition asks for.
func (s *Stream) act(act action, cause error) {
	w := s.c.w
	switch act {
	case actCloseSend:
		_ = w.send(s.sq, s.ended, packet{wire.KindCloseSend, nil})
	case actClose:
		_ = w.send(s.sq, s.ended, packet{wire.KindClose, nil})
	case actError:
		_ = w.send(s.sq, s.ended, packet{wire.KindError, errorData(cause)})
	case actCancel:
		w.cancel(s.sq, io.EOF, true)
	case actDrop:
		w.cancel(s.sq, io.EOF, false)
	case actRefuse:
		// transition has dropped the queue: the Error is the stream's last packet.
		_ = w.sendFinal(s.sq, packet{wire.KindError, errorData(cause)})
	}
}

// finish runs once, when the stream has terminated and left the registry: it cancels the
// stream's context with the cause and fires ended.
func (s *Stream) finish() {
	if s.cancel != nil {
		s.mu.Lock()
		err := s.st.recvErr
		s.mu.Unlock()
		s.cancel(err)
	}
	s.ended.Fire()
}

// wake lets Recv look again. Called with mu held.
func (s *Stream) wake() {
	if s.waiters > 0 {
		old := s.changed
		s.changed = s.c.rt.NewEvent(fmt.Sprintf("stream %d", s.id))
		old.Fire()
	}
}

// release returns n bytes of window to the sender once enough has been freed: a quarter
// of the window, so that updates stay few and a sender is never left waiting for bytes
// the consumer has read. Called with mu held.
func (s *Stream) release(n int) {
	if !s.fc || n == 0 {
		return
	}
	s.freed += n
	if s.freed >= s.c.opts.StreamWindow/4 {
		s.outstanding -= s.freed
		s.c.w.grant(s.sq, int64(s.freed))
		s.freed = 0
	}
}

// handleFrame is the reader delivering one of this stream's frames. It never blocks on
// the stream's consumer. An error is connection-fatal.
func (s *Stream) handleFrame(fr wire.Frame) error {
	if fr.Kind == kindWindowUpdate {
		// Before assembly: a window update may arrive in the middle of one of its stream's
		// packets, with a higher message ID that must not abandon it (writer.takeGrant).
		if !fr.Done || !fr.Control {
			return ProtocolError.New("malformed window update frame %v", fr)
		}
		delta, err := parseWindowUpdate(fr.Data)
		if err != nil {
			return err
		}
		s.c.w.addCredit(s.sq, delta)
		return nil
	}
	if fr.Kind == wire.KindMessage && s.fc {
		s.mu.Lock()
		s.outstanding += len(fr.Data)
		over := s.outstanding > s.c.opts.StreamWindow
		s.mu.Unlock()
		if over {
			s.transition(evOverflow, nil) // the peer ignored its credit
			return nil
		}
	}
	pkt, ok, err := s.asm.Push(fr)
	if wire.LimitError.Has(err) {
		s.transition(evTooLarge, nil) // stream-scoped: the connection carries on
		return nil
	}
	if err != nil {
		return err
	}
	if !ok {
		if fr.Kind == wire.KindMessage {
			// A partial packet's frames are bounded by PacketMax, not by the window:
			// grant them back at once, or a message larger than the window would wait
			// for a consumer that cannot see it yet.
			s.mu.Lock()
			s.release(len(fr.Data))
			s.mu.Unlock()
		}
		return nil
	}
	switch pkt.Kind {
	case wire.KindMessage:
		s.mu.Lock()
		if s.st.recvClosed {
			s.release(len(fr.Data))
			s.mu.Unlock()
			return nil // the consumer is gone: drop
		}
		if !s.fc && s.queued+len(pkt.Data) > s.c.opts.StreamBufferMax {
			s.mu.Unlock()
			s.transition(evOverflow, nil)
			return nil
		}
		for muxbugs.On(muxbugs.B4Slot) && len(s.queue) > 0 && !s.st.recvClosed {
			// B4-slot: the reader waits until the consumer has taken the last message.
			ev := s.changed
			s.waiters++
			s.mu.Unlock()
			_ = s.c.rt.Wait(context.Background(), ev)
			s.mu.Lock()
			s.waiters--
		}
		data := append([]byte(nil), pkt.Data...)
		if muxbugs.On(muxbugs.B4Alias) {
			data = pkt.Data // B4-alias: keep the reader's buffer, which the next read reuses
		}
		s.queue = append(s.queue, received{data: data, owed: len(fr.Data)})
		s.queued += len(pkt.Data)
		queued := s.queued
		s.wake()
		s.mu.Unlock()
		s.c.notePeak(queued, 0)

	case wire.KindCloseSend:
		s.transition(evRemoteCloseSend, nil)
	case wire.KindClose:
		s.transition(evRemoteClose, nil)
	case wire.KindCancel:
		s.transition(evRemoteCancel, nil)
	case wire.KindError:
		remote, err := parseErrorData(pkt.Data)
		if err != nil {
			return err
		}
		s.transition(evRemoteError, remote)
	case wire.KindInvoke, wire.KindInvokeMetadata:
		return ProtocolError.New("invoke on existing stream %d", s.id)
	default:
		// An unknown control packet: ignored, as DRPC requires.
	}
	return nil
}

// watch is the stream's context watcher: it cancels the stream when the caller's context
// is done first. It runs as a task owned by the connection.
func (s *Stream) watch() {
	if _, err := s.c.rt.Select(s.ctx, s.ended); err != nil {
		s.transition(evCancel, statusOf(err))
	}
}

// parseWindowUpdate reads a window update's credit delta.
func parseWindowUpdate(data []byte) (int64, error) {
	rest, delta, ok, err := wire.ParseVarint(data)
	if err != nil || !ok || len(rest) > 0 || delta == 0 || delta > 1<<40 {
		return 0, ProtocolError.New("malformed window update %x", data)
	}
	return int64(delta), nil
}
