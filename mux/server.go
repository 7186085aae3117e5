package mux

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime/debug"
	"slices"
	"syscall"

	"github.com/muxsim/muxsim/sim"
)

// Handler serves the RPCs of a server. HandleRPC runs in its own task, one per RPC; the
// error it returns is sent to the caller as an Error frame with its code (see Errorf) and
// ends only that stream. A panic in HandleRPC fails only its call too, with Internal,
// unless Options.CrashOnHandlerPanic is set.
type Handler interface {
	HandleRPC(s *Stream, rpc string) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(s *Stream, rpc string) error

// HandleRPC calls f.
func (f HandlerFunc) HandleRPC(s *Stream, rpc string) error { return f(s, rpc) }

// Server serves RPCs on connections.
type Server struct {
	h     Handler
	opts  Options
	mu    *sim.Mutex
	conns []*conn // live connections, for Stats
	past  Peaks   // the maximum of the peaks of the connections that have ended
	// onConn, when set (by tests), sees each connection the server makes.
	onConn func(*conn)
}

// NewServer returns a server of h.
func NewServer(h Handler, opts Options) *Server {
	opts = opts.withDefaults()
	return &Server{h: h, opts: opts, mu: opts.Runtime.NewMutex("server")}
}

// Stats is a server's live state, for invariants: after every call has ended, a healthy
// server holds no streams and no pending invokes. Peak adds its high-water marks, to
// check memory bounds against what any one peer made it hold.
type Stats struct {
	Conns          int // live connections
	Streams        int // live streams, over every connection
	PendingInvokes int // streams waiting for their Invoke frame, over every connection
	// Peak is the field-by-field maximum of Peaks over the server's live and ended
	// connections: the most one connection made the server hold.
	Peak Peaks
}

// Stats returns the server's live state and its high-water marks.
func (sv *Server) Stats() Stats {
	sv.mu.Lock()
	conns := append([]*conn(nil), sv.conns...)
	st := Stats{Conns: len(conns), Peak: sv.past}
	sv.mu.Unlock()
	for _, c := range conns {
		c.mu.Lock()
		st.Streams += len(c.streams)
		st.PendingInvokes += len(c.pending)
		st.Peak = st.Peak.max(c.peaks)
		c.mu.Unlock()
	}
	return st
}

// max returns the field-by-field maximum of p and q.
func (p Peaks) max(q Peaks) Peaks {
	return Peaks{StreamQueued: max(p.StreamQueued, q.StreamQueued),
		WriterPending: max(p.WriterPending, q.WriterPending), Streams: max(p.Streams, q.Streams)}
}

// ServeOne serves the connection tr until it ends (the client hangs up, the transport
// fails, the client breaks the protocol, or ctx is done) and every handler it started
// has returned. It returns what ended the connection: nil when the client hung up
// (hungUp),
// the transport's or the protocol's error otherwise (a mux ProtocolError for a peer
// that broke the protocol), and Close's error when ctx ended it. Options.OnConnEnd sees
// every end too.
func (sv *Server) ServeOne(ctx context.Context, tr net.Conn) error {
	c := newConn(tr, sv.opts, true)
	if sv.onConn != nil {
		sv.onConn(c)
	}
	c.base = ctx
	sv.mu.Lock()
	sv.conns = append(sv.conns, c)
	sv.mu.Unlock()
	defer func() {
		if p := recover(); p != nil {
			// ServeOne is unwinding (the simulator ends a failed run's tasks this way)
			// before close and Wait below: c's tasks may still be running, so leave its
			// peaks alone and let the panic go on.
			panic(p)
		}
		// Every task of c has exited (close and Wait below), so nothing writes its peaks
		// now: read them without taking its lock, which would add scheduling points.
		peaks := c.peaks
		sv.mu.Lock()
		sv.conns = slices.DeleteFunc(sv.conns, func(x *conn) bool { return x == c })
		sv.past = sv.past.max(peaks)
		sv.mu.Unlock()
	}()
	c.invoked = func(s *Stream) {
		c.tasks.Go("handle "+s.rpc, func() { sv.handle(s) })
	}
	c.start()
	rt := c.rt
	if _, err := rt.Select(ctx, c.term.Done()); err != nil {
		cerr := c.close()
		sv.ended(tr, ctx.Err())
		return cerr
	}
	c.tasks.Wait()
	cause := c.Err()
	if hungUp(cause) {
		cause = nil
	}
	sv.ended(tr, cause)
	return cause
}

// hungUp reports whether a connection's end is its peer hanging up: end of file on a
// read, or a write after the peer closed its end (net.Pipe's io.ErrClosedPipe, TCP's
// EPIPE). A reset is not: the peer, or the network, aborted the connection.
func hungUp(err error) bool {
	return errors.Is(err, errPeerClosed) || errors.Is(err, io.ErrClosedPipe) || errors.Is(err, syscall.EPIPE)
}

// ended tells Options.OnConnEnd that a connection has ended, and why.
func (sv *Server) ended(tr net.Conn, cause error) {
	if sv.opts.OnConnEnd != nil {
		sv.opts.OnConnEnd(tr.RemoteAddr(), cause)
	}
}

// handle runs one RPC's handler and ends its stream with the outcome.
func (sv *Server) handle(s *Stream) {
	err := sv.call(s)
	if err != nil {
		s.transition(evError, err)
		return
	}
	s.transition(evDone, nil)
}

// call runs the handler of s. Unless Options.CrashOnHandlerPanic is set, a panic in it
// becomes the call's outcome, an Internal error naming the panic value, after
// Options.OnHandlerPanic has seen it with its stack. The simulator's own unwinding of the
// task (its run is over, or an assertion failed) is not the handler's panic: it goes on.
// A handler that ends its task with runtime.Goexit is not a panic either: recover sees
// nothing, and the Goexit goes on as well.
func (sv *Server) call(s *Stream) (err error) {
	if !sv.opts.CrashOnHandlerPanic {
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if sim.Unwinding(p) {
				panic(p)
			}
			if sv.opts.OnHandlerPanic != nil {
				sv.opts.OnHandlerPanic(s.rpc, p, debug.Stack())
			}
			err = &Error{Code: Internal, Msg: fmt.Sprintf("handler panicked: %v", p)}
		}()
	}
	return sv.h.HandleRPC(s, s.rpc)
}

// Serve accepts connections on lis and serves each in its own task until ctx is done
// or lis fails; it then closes lis and every connection and returns once all have ended.
func (sv *Server) Serve(ctx context.Context, lis net.Listener) error {
	rt := sv.opts.Runtime
	conns := rt.NewGroup("server conns")
	stop := rt.NewEvent("serve stop")
	conns.Go("serve watcher", func() {
		_, _ = rt.Select(ctx, stop)
		_ = lis.Close()
	})
	connCtx, cancel := context.WithCancel(ctx)
	var err error
	for {
		tr, aerr := lis.Accept()
		if aerr != nil {
			if ctx.Err() == nil && !errors.Is(aerr, net.ErrClosed) {
				err = aerr
			}
			break
		}
		conns.Go("serve conn", func() { _ = sv.ServeOne(connCtx, tr) })
	}
	stop.Fire()
	cancel()
	conns.Wait()
	return err
}
