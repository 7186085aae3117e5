package bench

import (
	"context"
	"fmt"
	"net"

	"google.golang.org/protobuf/proto"
	"storj.io/drpc"
	"storj.io/drpc/drpcconn"
	"storj.io/drpc/drpcmux"
	"storj.io/drpc/drpcserver"
)

// drpcStack is storj.io/drpc v1.0.0 with default options, driven without protoc: a
// hand-written Description and a protobuf Encoding (what protoc-gen-go-drpc generates).
// A v1.0.0 connection runs one RPC at a time, so concurrent callers get a connection
// each (streamsPerConnMax 1).
var drpcStack = stack{name: "drpc", serve: serveDRPC, dial: dialDRPC, streamsPerConnMax: 1}

// protoEnc is the drpc.Encoding of protobuf messages, as the generated code's.
type protoEnc struct{}

func (protoEnc) Marshal(m drpc.Message) ([]byte, error) { return proto.Marshal(m.(proto.Message)) }
func (protoEnc) Unmarshal(buf []byte, m drpc.Message) error {
	return proto.Unmarshal(buf, m.(proto.Message))
}

// drpcEcho implements the echo service on drpc streams. Its methods' shapes are what
// drpcmux inspects by reflection: unary func(T, ctx, *In) (*Out, error); server stream
// func(T, *In, drpc.Stream) error; client stream and bidi func(T, drpc.Stream) error.
type drpcEcho struct{}

func (drpcEcho) Unary(ctx context.Context, in *msg) (*msg, error) { return in, nil }

func (drpcEcho) ClientStream(s drpc.Stream) error {
	out, err := sinkMessages(drpcRecv(s))
	if err != nil {
		return err
	}
	return s.MsgSend(out, protoEnc{})
}

func (drpcEcho) ServerStream(in *msg, s drpc.Stream) error {
	return sourceMessages(in, func(m *msg) error { return s.MsgSend(m, protoEnc{}) })
}

func (drpcEcho) Bidi(s drpc.Stream) error {
	return echoMessages(drpcRecv(s), func(m *msg) error { return s.MsgSend(m, protoEnc{}) })
}

// drpcRecv receives into a new message each time, as generated code does.
func drpcRecv(s drpc.Stream) func() (*msg, error) {
	return func() (*msg, error) {
		m := new(msg)
		if err := s.MsgRecv(m, protoEnc{}); err != nil {
			return nil, err
		}
		return m, nil
	}
}

// drpcDesc is the hand-written drpc.Description of drpcEcho.
type drpcDesc struct{}

func (drpcDesc) NumMethods() int { return 4 }

func (drpcDesc) Method(n int) (string, drpc.Encoding, drpc.Receiver, any, bool) {
	enc := protoEnc{}
	switch n {
	case 0:
		return rpcUnary, enc, func(srv any, ctx context.Context, in1, in2 any) (drpc.Message, error) {
			return srv.(drpcEcho).Unary(ctx, in1.(*msg))
		}, drpcEcho.Unary, true
	case 1:
		return rpcClientStream, enc, func(srv any, ctx context.Context, in1, in2 any) (drpc.Message, error) {
			return nil, srv.(drpcEcho).ClientStream(in1.(drpc.Stream))
		}, drpcEcho.ClientStream, true
	case 2:
		return rpcServerStream, enc, func(srv any, ctx context.Context, in1, in2 any) (drpc.Message, error) {
			return nil, srv.(drpcEcho).ServerStream(in1.(*msg), in2.(drpc.Stream))
		}, drpcEcho.ServerStream, true
	case 3:
		return rpcBidi, enc, func(srv any, ctx context.Context, in1, in2 any) (drpc.Message, error) {
			return nil, srv.(drpcEcho).Bidi(in1.(drpc.Stream))
		}, drpcEcho.Bidi, true
	}
	return "", nil, nil, nil, false
}

func newDRPCServer() (*drpcserver.Server, error) {
	m := drpcmux.New()
	if err := m.Register(drpcEcho{}, drpcDesc{}); err != nil {
		return nil, fmt.Errorf("drpc register: %w", err)
	}
	return drpcserver.New(m), nil
}

func serveDRPC(tr net.Conn) func() error {
	srv, err := newDRPCServer()
	if err != nil {
		panic(err) // the description above is wrong: a bug in this file
	}
	return runServer(func(ctx context.Context) { _ = srv.ServeOne(ctx, tr) })
}

func dialDRPC(tr net.Conn) (client, error) { return drpcClient{drpcconn.New(tr)}, nil }

type drpcClient struct{ c *drpcconn.Conn }

func (c drpcClient) unary(ctx context.Context, in, out *msg) error {
	return c.c.Invoke(ctx, rpcUnary, protoEnc{}, in, out)
}

func (c drpcClient) newStream(ctx context.Context, rpc string) (stream, error) {
	s, err := c.c.NewStream(ctx, rpc, protoEnc{})
	if err != nil {
		return nil, err
	}
	return drpcStream{s}, nil
}

func (c drpcClient) close() error { return c.c.Close() }

type drpcStream struct{ s drpc.Stream }

func (s drpcStream) send(m *msg) error { return s.s.MsgSend(m, protoEnc{}) }
func (s drpcStream) recv(m *msg) error { return s.s.MsgRecv(m, protoEnc{}) }
func (s drpcStream) closeSend() error  { return s.s.CloseSend() }
func (s drpcStream) close() error      { return s.s.Close() }
