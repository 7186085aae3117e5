package mux

import (
	"context"
	"github.com/muxsim/muxsim/internal/muxbugs"
	"io"
	"net"

	"google.golang.org/protobuf/proto"

	"github.com/muxsim/muxsim/mux/wire"
)

// Client is the calling end of a connection. Unary calls and streams run concurrently on
// it: there is no connection-wide lock, and each call marshals into its own buffer.
type Client struct {
	c    *conn
	last *Stream // legacy mode: the stream the next one waits for

	shared []byte // BugB6 only
}

// NewClient starts a client on the transport tr, which it owns from now on.
func NewClient(tr net.Conn, opts Options) *Client {
	c := newConn(tr, opts, false)
	c.start()
	return &Client{c: c}
}

// Close ends the connection: calls in flight fail with Canceled, and Close returns once
// every task the client started has exited.
func (cl *Client) Close() error { return cl.c.close() }

// Err returns why the connection ended, or nil while it is alive.
func (cl *Client) Err() error { return cl.c.Err() }

// Peaks returns the high-water marks of the connection's buffers.
func (cl *Client) Peaks() Peaks { return cl.c.Peaks() }

// open registers a new client stream and, if ctx can be cancelled, its watcher.
func (cl *Client) open(ctx context.Context, rpc string) (*Stream, error) {
	if err := ctx.Err(); err != nil && !muxbugs.On(muxbugs.B3) {
		return nil, statusOf(err) // never start what is already cancelled (B3)
	}
	c := cl.c
	c.mu.Lock()
	// Legacy mode: one active stream at a time. Wait for the last one to end, and check
	// again under the lock, since another caller may have opened one meanwhile.
	for c.opts.Legacy && cl.last != nil && !cl.last.ended.Fired() && !c.closing {
		prev := cl.last
		c.mu.Unlock()
		if err := c.rt.Wait(ctx, prev.ended); err != nil {
			return nil, statusOf(err)
		}
		c.mu.Lock()
	}
	if c.closing {
		c.mu.Unlock()
		return nil, c.streamError(c.term.Err())
	}
	c.lastID++
	s := c.newStream(ctx, c.lastID, rpc)
	c.streams[s.id] = s
	cl.last = s
	c.mu.Unlock()
	if muxbugs.On(muxbugs.B7) {
		c.w.resetAll() // B7: "drop the previous stream's leftovers" on a shared writer
	}
	if ctx.Done() != nil {
		c.tasks.Go("watch "+s.String(), s.watch)
	}
	return s, nil
}

// invokePackets are the packets that start an RPC: the metadata, if any, and the invoke.
func invokePackets(ctx context.Context, rpc string) []packet {
	var pkts []packet
	if md := outgoing(ctx); len(md) > 0 {
		pkts = append(pkts, packet{wire.KindInvokeMetadata, wire.AppendMetadata(nil, md)})
	}
	return append(pkts, packet{wire.KindInvoke, []byte(rpc)})
}

// start queues the stream's first packets as one unit, so that a cancellation can never
// fall between the metadata and the invoke (B1).
func (s *Stream) start(pkts []packet) error {
	if muxbugs.On(muxbugs.B1) && pkts[0].kind == wire.KindInvokeMetadata {
		// B1: two writes, so a cancel can fall between the metadata and the invoke.
		if err := s.c.w.send(s.sq, s.ended, pkts[0]); err == nil {
			s.c.rt.Yield()
			pkts = pkts[1:]
		}
	}
	err := s.c.w.send(s.sq, s.ended, pkts...)
	if err == nil {
		return nil
	}
	if muxbugs.On(muxbugs.B3) {
		return err // B3: the writer's io.EOF reaches the caller
	}
	if ctxErr := s.ctx.Err(); ctxErr != nil {
		s.transition(evCancel, statusOf(ctxErr))
		return statusOf(ctxErr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.terminated && s.st.recvErr != nil {
		return s.st.recvErr
	}
	return s.c.streamError(err)
}

// NewStream opens a streaming RPC.
func (cl *Client) NewStream(ctx context.Context, rpc string) (*Stream, error) {
	s, err := cl.open(ctx, rpc)
	if err != nil {
		return nil, err
	}
	if err := s.start(invokePackets(ctx, rpc)); err != nil {
		return nil, err
	}
	return s, nil
}

// Invoke makes a unary call: it sends in and receives out. It returns an *Error with the
// server's code, Canceled or DeadlineExceeded if ctx ends first, Unavailable if the
// connection dies; never io.EOF.
func (cl *Client) Invoke(ctx context.Context, rpc string, in, out proto.Message) error {
	var data []byte
	var err error
	if muxbugs.On(muxbugs.B6) {
		// B6: every call marshals into the client's one buffer, which the writer still
		// reads from while another call overwrites it.
		cl.c.mu.Lock()
		cl.shared, err = proto.MarshalOptions{Deterministic: true}.MarshalAppend(cl.shared[:0], in)
		data = cl.shared
		cl.c.mu.Unlock()
	} else {
		data, err = proto.MarshalOptions{Deterministic: true}.Marshal(in)
	}
	if err != nil {
		return Errorf(Internal, "marshal request: %v", err)
	}
	resp, err := cl.InvokeBytes(ctx, rpc, data)
	if err != nil {
		return err
	}
	if err := proto.Unmarshal(resp, out); err != nil {
		return Errorf(Internal, "unmarshal response: %v", err)
	}
	return nil
}

// InvokeBytes is Invoke with the request and response as raw bytes, for encodings other
// than protobuf. The call keeps in until it is written.
func (cl *Client) InvokeBytes(ctx context.Context, rpc string, in []byte) ([]byte, error) {
	s, err := cl.open(ctx, rpc)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	pkts := append(invokePackets(ctx, rpc), packet{wire.KindMessage, in}, packet{wire.KindCloseSend, nil})
	if err := s.start(pkts); err != nil {
		return nil, err
	}
	s.transition(evSentCloseSend, nil)
	resp, err := s.RecvBytes()
	if err == io.EOF {
		return nil, Errorf(Internal, "%s: the server ended the call without a response", rpc)
	}
	return resp, err
}
