package bench

import (
	"context"
	"net"

	"github.com/muxsim/muxsim/mux"
)

// muxsimStack is our engine with default Options: real goroutines, one connection
// multiplexing every call.
var muxsimStack = stack{name: "github.com/muxsim/muxsim", serve: serveMuxsim, dial: dialMuxsim}

func muxsimRouter() *mux.Router {
	r := mux.NewRouter()
	mux.Unary(r, rpcUnary, func(ctx context.Context, in *msg) (*msg, error) { return in, nil })
	mux.ClientStream(r, rpcClientStream, func(ctx context.Context, recv func() (*msg, error)) (*msg, error) {
		return sinkMessages(recv)
	})
	mux.ServerStream(r, rpcServerStream, func(ctx context.Context, in *msg, send func(*msg) error) error {
		return sourceMessages(in, send)
	})
	mux.Bidi(r, rpcBidi, func(ctx context.Context, recv func() (*msg, error), send func(*msg) error) error {
		return echoMessages(recv, send)
	})
	return r
}

func serveMuxsim(tr net.Conn) func() error {
	return serveMuxsimWith(tr, muxsimRouter(), mux.Options{})
}

func serveMuxsimWith(tr net.Conn, h mux.Handler, opts mux.Options) func() error {
	srv := mux.NewServer(h, opts)
	return runServer(func(ctx context.Context) { _ = srv.ServeOne(ctx, tr) })
}

func dialMuxsim(tr net.Conn) (client, error) {
	return muxsimClient{mux.NewClient(tr, mux.Options{})}, nil
}

type muxsimClient struct{ c *mux.Client }

func (c muxsimClient) unary(ctx context.Context, in, out *msg) error {
	return c.c.Invoke(ctx, rpcUnary, in, out)
}

func (c muxsimClient) newStream(ctx context.Context, rpc string) (stream, error) {
	s, err := c.c.NewStream(ctx, rpc)
	if err != nil {
		return nil, err
	}
	return muxsimStream{s}, nil
}

func (c muxsimClient) close() error { return c.c.Close() }

type muxsimStream struct{ s *mux.Stream }

func (s muxsimStream) send(m *msg) error { return s.s.Send(m) }
func (s muxsimStream) recv(m *msg) error { return s.s.Recv(m) }
func (s muxsimStream) closeSend() error  { return s.s.CloseSend() }
func (s muxsimStream) close() error      { return s.s.Close() }
