package bench

import (
	"context"
	"errors"
	"net"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// grpcStack is google.golang.org/grpc with default options (HTTP/2, its protobuf codec,
// no TLS), driven without protoc through a hand-written ServiceDesc. One ClientConn over
// one transport carries every call, as with muxsim.
var grpcStack = stack{name: "grpc", serve: serveGRPC, dial: dialGRPC}

// grpcEcho implements the echo service on grpc streams.
type grpcEcho struct{}

// grpcRecv receives into a new message each time, as generated code does.
func grpcRecv(s grpc.ServerStream) func() (*msg, error) {
	return func() (*msg, error) {
		m := new(msg)
		if err := s.RecvMsg(m); err != nil {
			return nil, err
		}
		return m, nil
	}
}

func grpcSend(s grpc.ServerStream) func(*msg) error {
	return func(m *msg) error { return s.SendMsg(m) }
}

// grpcStreams are the service's streaming methods; their order is the one the client
// adapter indexes by RPC name (grpcStreamDesc).
var grpcStreams = []grpc.StreamDesc{
	{StreamName: "ClientStream", ClientStreams: true, Handler: func(_ any, s grpc.ServerStream) error {
		out, err := sinkMessages(grpcRecv(s))
		if err != nil {
			return err
		}
		return s.SendMsg(out)
	}},
	{StreamName: "ServerStream", ServerStreams: true, Handler: func(_ any, s grpc.ServerStream) error {
		in := new(msg)
		if err := s.RecvMsg(in); err != nil {
			return err
		}
		return sourceMessages(in, grpcSend(s))
	}},
	{StreamName: "Bidi", ClientStreams: true, ServerStreams: true, Handler: func(_ any, s grpc.ServerStream) error {
		return echoMessages(grpcRecv(s), grpcSend(s))
	}},
}

// grpcDesc is the hand-written grpc.ServiceDesc of the echo service (what
// protoc-gen-go-grpc would generate). Its names make the RPC paths rpcUnary and so on.
var grpcDesc = grpc.ServiceDesc{
	ServiceName: "bench.Echo",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{MethodName: "Unary",
		Handler: func(_ any, ctx context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
			in := new(msg)
			if err := dec(in); err != nil {
				return nil, err
			}
			return in, nil
		}}},
	Streams: grpcStreams,
}

func grpcStreamDesc(rpc string) *grpc.StreamDesc {
	switch rpc {
	case rpcClientStream:
		return &grpcStreams[0]
	case rpcServerStream:
		return &grpcStreams[1]
	case rpcBidi:
		return &grpcStreams[2]
	}
	return nil
}

func serveGRPC(tr net.Conn) func() error {
	srv := grpc.NewServer()
	srv.RegisterService(&grpcDesc, grpcEcho{})
	wait := runServer(func(context.Context) { _ = srv.Serve(newOneConnListener(tr)) })
	return func() error {
		// Serve returns only once the listener closes, which Stop does; by now the client
		// has hung up, so Stop has no calls to cut short.
		srv.Stop()
		return wait()
	}
}

// dialGRPC makes a ClientConn whose only connection is tr: the dialer hands out tr once
// and refuses any reconnection.
func dialGRPC(tr net.Conn) (client, error) {
	var once sync.Once
	dialer := func(context.Context, string) (net.Conn, error) {
		conn := net.Conn(nil)
		once.Do(func() { conn = tr })
		if conn == nil {
			return nil, errors.New("bench: the one connection was used already")
		}
		return conn, nil
	}
	cc, err := grpc.NewClient("passthrough:///bench",
		grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithContextDialer(dialer))
	if err != nil {
		return nil, err
	}
	return grpcClient{cc}, nil
}

type grpcClient struct{ cc *grpc.ClientConn }

func (c grpcClient) unary(ctx context.Context, in, out *msg) error {
	return c.cc.Invoke(ctx, rpcUnary, in, out)
}

func (c grpcClient) newStream(ctx context.Context, rpc string) (stream, error) {
	desc := grpcStreamDesc(rpc)
	if desc == nil {
		return nil, errors.New("bench: no stream named " + rpc)
	}
	// A grpc client stream holds resources until it ends; the cancel releases them on
	// every path, like a caller's deferred cancel.
	ctx, cancel := context.WithCancel(ctx)
	s, err := c.cc.NewStream(ctx, desc, rpc)
	if err != nil {
		cancel()
		return nil, err
	}
	return grpcStream{s, cancel}, nil
}

func (c grpcClient) close() error { return c.cc.Close() }

type grpcStream struct {
	s      grpc.ClientStream
	cancel context.CancelFunc
}

func (s grpcStream) send(m *msg) error { return s.s.SendMsg(m) }
func (s grpcStream) recv(m *msg) error { return s.s.RecvMsg(m) }
func (s grpcStream) closeSend() error  { return s.s.CloseSend() }
func (s grpcStream) close() error      { s.cancel(); return nil }

// oneConnListener is a net.Listener that accepts one given connection, then blocks until
// it is closed.
type oneConnListener struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
	addr   net.Addr
}

func newOneConnListener(c net.Conn) *oneConnListener {
	l := &oneConnListener{conns: make(chan net.Conn, 1), closed: make(chan struct{}), addr: c.LocalAddr()}
	l.conns <- c
	return l
}

func (l *oneConnListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *oneConnListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *oneConnListener) Addr() net.Addr { return l.addr }
