package mux

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"github.com/muxsim/muxsim/internal/muxbugs"
	"io"
	"net"
	"slices"
	"strconv"

	"github.com/muxsim/muxsim/mux/wire"
	"github.com/muxsim/muxsim/sim"
)

// conn is what a client and a server connection share: the transport, one reader task
// (the only authority on the transport's health), one writer task, the stream registry,
// and the termination signal. Every task it starts belongs to tasks, which Close awaits.
type conn struct {
	rt     *sim.Runtime
	opts   Options
	tr     net.Conn
	server bool
	w      *writer
	rd     *wire.Reader
	tasks  *sim.Group
	term   *sim.Signal // why the connection ended; first error wins

	mu      *sim.Mutex
	streams map[uint64]*Stream
	pending map[uint64]*pendingInvoke // server: metadata waiting for its Invoke
	// draining are the send queues of ended streams that still hold data waiting for
	// credit: the peer's window updates for them must still reach them.
	draining map[uint64]*sendQueue
	lastID   uint64 // client: the last stream ID used
	closing  bool

	peaks Peaks // guarded by mu

	// invoked starts a server stream's handler; nil on clients.
	invoked func(s *Stream)
	base    context.Context // server: the parent of every handler's context
}

type pendingInvoke struct {
	asm    *wire.Assembler
	md     map[string]string
	reject error // why the stream will be refused when its invoke arrives
}

func newConn(tr net.Conn, opts Options, server bool) *conn {
	opts = opts.withDefaults()
	rt := opts.Runtime
	c := &conn{rt: rt, opts: opts, tr: tr, server: server, tasks: rt.NewGroup("conn"),
		term: rt.NewSignal("conn terminated"), mu: rt.NewMutex("conn"),
		streams: make(map[uint64]*Stream), pending: make(map[uint64]*pendingInvoke),
		draining: make(map[uint64]*sendQueue),
		rd:       wire.NewReaderWithOptions(tr, wire.ReaderOptions{}), base: context.Background()}
	c.w = newWriter(rt, tr, opts, c.terminate)
	if rt.Simulated() {
		c.w.note = c.note
	}
	c.w.peak = c.notePeak
	if debugConns != nil {
		debugConns(c)
	}
	return c
}

// start launches the reader and writer tasks.
func (c *conn) start() {
	c.tasks.Go("writer", c.w.run)
	c.tasks.Go("reader", c.read)
}

// read is the reader task.
func (c *conn) read() {
	for {
		fr, err := c.rd.ReadFrame()
		if err != nil {
			c.terminate(readError(err))
			return
		}
		if c.rt.Simulated() {
			c.note("recv", fr)
		}
		if err := c.dispatch(fr); err != nil {
			c.terminate(err)
			return
		}
	}
}

// dispatch routes one frame. Frames for unknown streams are dropped, except a server's
// Invoke and InvokeMetadata, which open streams.
func (c *conn) dispatch(fr wire.Frame) error {
	if fr.ID.Stream == 0 || fr.ID.Message == 0 {
		return ProtocolError.New("frame with stream or message id 0: %v", fr)
	}
	if !fr.Control && !fr.Kind.Known() {
		// DRPC's rule, whatever the stream: an unknown kind is ignored only with the
		// control bit; without it, it is a protocol error.
		return ProtocolError.New("unknown frame kind without the control bit: %v", fr)
	}
	c.mu.Lock()
	s := c.streams[fr.ID.Stream]
	c.mu.Unlock()
	if s != nil {
		return s.handleFrame(fr)
	}
	if fr.Kind == kindWindowUpdate {
		return c.creditDraining(fr)
	}
	if !c.server {
		return nil
	}
	return c.handleInvoke(fr)
}

// handleInvoke assembles the invoke of a new server stream, and registers the stream
// before the reader reads the next frame.
func (c *conn) handleInvoke(fr wire.Frame) error {
	c.mu.Lock()
	p := c.pending[fr.ID.Stream]
	c.mu.Unlock()
	if fr.Kind != wire.KindInvoke && fr.Kind != wire.KindInvokeMetadata {
		if p != nil && isTerminal(fr.Kind) && !muxbugs.On(muxbugs.B1) {
			// The client gave up between the metadata and the invoke (B1): forget it.
			c.mu.Lock()
			delete(c.pending, fr.ID.Stream)
			c.mu.Unlock()
		}
		return nil
	}
	if p == nil {
		c.mu.Lock()
		if len(c.pending) >= c.opts.PendingInvokesMax {
			c.mu.Unlock()
			return ProtocolError.New("more than %d streams waiting for their invoke", c.opts.PendingInvokesMax)
		}
		p = &pendingInvoke{asm: wire.NewAssemblerWithOptions(fr.ID.Stream, wire.AssemblerOptions{PacketDataMax: c.opts.PacketMax})}
		c.pending[fr.ID.Stream] = p
		c.mu.Unlock()
	}
	pkt, ok, err := p.asm.Push(fr)
	if err != nil || !ok {
		return err
	}
	switch pkt.Kind {
	case wire.KindInvokeMetadata:
		if len(pkt.Data) > c.opts.MetadataMax {
			p.reject = Errorf(ResourceExhausted, "metadata of %d bytes is over the limit of %d", len(pkt.Data), c.opts.MetadataMax)
			return nil
		}
		md, err := wire.ParseMetadata(pkt.Data)
		if err != nil {
			return ProtocolError.Wrap(err)
		}
		p.md = md
		return nil
	case wire.KindInvoke:
		c.mu.Lock()
		delete(c.pending, fr.ID.Stream)
		closing, active := c.closing, len(c.streams)
		c.mu.Unlock()
		if closing {
			return nil
		}
		if p.reject == nil && active >= c.opts.MaxStreams {
			p.reject = Errorf(ResourceExhausted, "too many concurrent streams (limit %d)", c.opts.MaxStreams)
		}
		if p.reject != nil {
			c.refuse(fr.ID.Stream, p.reject)
			return nil
		}
		if c.opts.Legacy {
			c.supersede(fr.ID.Stream)
		}
		ctx, cancel := context.WithCancelCause(withIncoming(c.base, p.md))
		s := c.newStream(ctx, fr.ID.Stream, string(pkt.Data))
		s.cancel = cancel
		s.sq.started = true // the client opened it: a Cancel always means something to it
		if !c.register(s) {
			cancel(context.Canceled)
			return nil
		}
		c.invoked(s)
	}
	return nil
}

// refuse answers an invoke the server will not serve with an Error frame; no stream is
// created and the connection carries on.
func (c *conn) refuse(id uint64, err error) {
	sq := c.w.open(id, 0)
	_ = c.w.send(sq, nil, packet{wire.KindError, errorData(err)})
}

// supersede ends every stream older than id, as a storj server does when a new invoke
// arrives: a legacy client has given up on them, and a frame of theirs after one of the
// new stream would be fatal to it.
func (c *conn) supersede(id uint64) {
	c.mu.Lock()
	var older []*Stream
	for sid, s := range c.streams {
		if sid < id {
			older = append(older, s)
		}
	}
	c.mu.Unlock()
	slices.SortFunc(older, func(a, b *Stream) int { return cmp.Compare(a.id, b.id) })
	for _, s := range older {
		s.transition(evRemoteCancel, nil)
	}
}

// register adds a stream to the registry; false if the connection is closing.
func (c *conn) register(s *Stream) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing {
		return false
	}
	c.streams[s.id] = s
	return true
}

// remove takes a terminated stream out of the registry: later frames for it are dropped,
// except window updates while its last packets still wait for credit.
//
// The writer's lock is never taken under c.mu (the writer takes c.mu for its peaks).
func (c *conn) remove(s *Stream) {
	holds := c.w.holds(s.sq)
	c.mu.Lock()
	if c.streams[s.id] == s {
		delete(c.streams, s.id)
		if holds && !c.closing {
			c.draining[s.id] = s.sq
		}
	}
	var check []*sendQueue
	for _, sq := range c.draining {
		check = append(check, sq)
	}
	c.mu.Unlock()
	// Forget queues that have drained, in ID order: each check takes the writer's lock, a
	// scheduling point, so map order must not decide their order.
	slices.SortFunc(check, func(a, b *sendQueue) int { return cmp.Compare(a.id, b.id) })
	for _, sq := range check {
		if !c.w.holds(sq) {
			c.mu.Lock()
			if c.draining[sq.id] == sq {
				delete(c.draining, sq.id)
			}
			c.mu.Unlock()
		}
	}
}

// creditDraining gives a window update to the queue of an ended stream that still holds
// data (a large final message), and forgets queues that have drained.
func (c *conn) creditDraining(fr wire.Frame) error {
	if !fr.Done {
		return nil
	}
	c.mu.Lock()
	sq := c.draining[fr.ID.Stream]
	c.mu.Unlock()
	if sq == nil {
		return nil
	}
	delta, err := parseWindowUpdate(fr.Data)
	if err != nil {
		return err
	}
	c.w.addCredit(sq, delta)
	if !c.w.holds(sq) {
		c.mu.Lock()
		delete(c.draining, fr.ID.Stream)
		c.mu.Unlock()
	}
	return nil
}

// terminate ends the connection with err, synchronously: the writer stops, the transport
// closes (unblocking the reader and the writer), and every stream is ended with the
// connection's error before terminate returns. Only the first call acts.
func (c *conn) terminate(err error) {
	if !c.term.Set(err) {
		return
	}
	c.w.stop(ClosedError.Wrap(err), true)
	_ = c.tr.Close()
	c.mu.Lock()
	c.closing = true
	streams := make([]*Stream, 0, len(c.streams))
	for _, s := range c.streams {
		streams = append(streams, s)
	}
	clear(c.streams)
	clear(c.pending)
	clear(c.draining)
	c.mu.Unlock()
	// Cancel in ID order: map order must not reach behaviour.
	slices.SortFunc(streams, func(a, b *Stream) int { return cmp.Compare(a.id, b.id) })
	cause := c.streamError(err)
	if muxbugs.On(muxbugs.B8) {
		// B8: each stream learns of the death later, on its own.
		for _, s := range streams {
			c.tasks.Go("late cancel", func() { s.transition(evConnDied, cause) })
		}
	} else {
		for _, s := range streams {
			s.transition(evConnDied, cause)
		}
	}
	// Termination is synchronous: no stream outlives terminate (the pair of the loop above).
	for _, s := range streams {
		s.mu.Lock()
		ended := s.st.terminated
		s.mu.Unlock()
		c.rt.Always(ended, fmt.Sprintf("stream %d still alive after its connection terminated", s.id))
	}
}

// streamError is what the streams of a dead connection report: Unavailable on a client,
// Canceled on a server (its client went away), Canceled for a local Close.
func (c *conn) streamError(err error) error {
	switch {
	case errors.Is(err, errLocalClose):
		return &Error{Code: Canceled, Msg: "connection closed", cause: context.Canceled}
	case c.server:
		return &Error{Code: Canceled, Msg: "client went away: " + err.Error(), cause: context.Canceled}
	}
	return unavailable(err)
}

// errLocalClose is the termination cause of Close.
var errLocalClose = ClosedError.New("closed by the local side")

// errPeerClosed is the termination cause of the peer hanging up (end of file on the
// transport, between frames or within one).
var errPeerClosed = ClosedError.New("peer closed the connection")

// close lets the writer send what is queued (for at most CloseTimeout), terminates the
// connection, and waits for every task it started.
func (c *conn) close() error {
	c.w.stop(ClosedError.Wrap(errLocalClose), muxbugs.On(muxbugs.B12)) // B12: abort drops accepted frames
	ctx, cancel := c.rt.WithTimeout(context.Background(), c.opts.CloseTimeout)
	_ = c.rt.Wait(ctx, c.w.done)
	cancel()
	c.terminate(errLocalClose)
	c.tasks.Wait()
	return nil
}

// note records a frame in the simulation's trace: "send s3 m2 Message 4096 done".
func (c *conn) note(dir string, fr wire.Frame) {
	side := "client "
	if c.server {
		side = "server "
	}
	text := side + dir + " s" + strconv.FormatUint(fr.ID.Stream, 10) + " m" + strconv.FormatUint(fr.ID.Message, 10) +
		" " + fr.Kind.String() + " " + strconv.Itoa(len(fr.Data))
	if fr.Done {
		text += " done"
	}
	c.rt.Note(text)
}

// Err returns why the connection ended, or nil while it is alive.
func (c *conn) Err() error { return c.term.Err() }

// Peaks are the high-water marks of a connection's buffers, to check the memory bounds.
type Peaks struct {
	StreamQueued  int // bytes one stream held for its consumer (complete messages)
	WriterPending int // data bytes the writer held
	Streams       int // concurrent streams
}

// notePeak raises the recorded peaks.
func (c *conn) notePeak(streamQueued, writerPending int) {
	c.mu.Lock()
	c.peaks.StreamQueued = max(c.peaks.StreamQueued, streamQueued)
	c.peaks.WriterPending = max(c.peaks.WriterPending, writerPending)
	c.peaks.Streams = max(c.peaks.Streams, len(c.streams))
	c.mu.Unlock()
}

// Peaks returns the connection's buffer high-water marks so far.
func (c *conn) Peaks() Peaks {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.peaks
}

// readError describes a reader error for the record.
func readError(err error) error {
	if isEOF(err) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errPeerClosed
	}
	return fmt.Errorf("read: %w", err)
}
