package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/wrapperspb"
	"storj.io/drpc/drpcerr"
	"storj.io/drpc/drpcmetadata"

	"github.com/muxsim/muxsim/mux"
)

// RPCs the interop server adds to the echo service.
const (
	rpcMetadata = "/bench.Echo/Metadata" // returns the value of the incoming metadata key "k"
	rpcNotFound = "/bench.Echo/NotFound" // fails with NotFound, "no such thing"
	rpcSlowSink = "/bench.Echo/SlowSink" // ClientStream that starts reading after slowSinkDelay
)

// slowSinkDelay is how long SlowSink waits before it reads: long enough for the client's
// messages to arrive and queue up on the server first. A correct engine passes whatever
// the timing; the delay only makes a buffering bug likely to show.
const slowSinkDelay = 300 * time.Millisecond

func interopRouter() *mux.Router {
	r := muxsimRouter()
	mux.Unary(r, rpcMetadata, func(ctx context.Context, in *msg) (*msg, error) {
		return wrapperspb.Bytes([]byte(mux.IncomingMetadata(ctx)["k"])), nil
	})
	mux.Unary(r, rpcNotFound, func(ctx context.Context, in *msg) (*msg, error) {
		return nil, mux.Errorf(mux.NotFound, "no such thing")
	})
	mux.ClientStream(r, rpcSlowSink, func(ctx context.Context, recv func() (*msg, error)) (*msg, error) {
		time.Sleep(slowSinkDelay)
		return sinkMessages(recv)
	})
	return r
}

// interopStack is a stock storj.io/drpc v1.0.0 client (drpcconn, default options) calling
// a muxsim server with opts.
func interopStack(name string, opts mux.Options) stack {
	return stack{name: name, dial: dialDRPC, streamsPerConnMax: 1,
		serve: func(tr net.Conn) func() error { return serveMuxsimWith(tr, interopRouter(), opts) }}
}

// TestInteropDRPCClient checks that a storj.io/drpc v1.0.0 client can use a muxsim
// server: every RPC kind, metadata and error codes, one call at a time as storj clients
// make them. Method: each case on a fresh TCP connection, against a server with default
// Options (which should work with no legacy mode for this direction) and with Legacy set;
// "sequence" makes many mixed calls on one connection, since a storj client fails its
// connection if a frame of an older stream arrives after one of a newer stream.
func TestInteropDRPCClient(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		run  func(cl drpcClient) error
	}{
		{"unary", func(cl drpcClient) error { return unaryLoop(ctx, cl, 3, smallBytes) }},
		{"unary-1MiB", func(cl drpcClient) error { return unaryLoop(ctx, cl, 2, largeBytes) }},
		{"client-stream", func(cl drpcClient) error { return clientStream(ctx, cl, 20, 2<<10) }},
		{"client-stream-512KiB", func(cl drpcClient) error { return clientStream(ctx, cl, 8, 64<<10) }},
		{"client-stream-slow-reader", func(cl drpcClient) error { return interopSlowSink(ctx, cl, 256, 2<<10) }},
		{"server-stream", func(cl drpcClient) error { return serverStream(ctx, cl, 20, 2<<10) }},
		{"server-stream-512KiB", func(cl drpcClient) error { return serverStream(ctx, cl, 8, 64<<10) }},
		{"bidi", func(cl drpcClient) error { return bidi(ctx, cl, 20, smallBytes) }},
		{"metadata", func(cl drpcClient) error { return interopMetadata(ctx, cl) }},
		{"error-code", func(cl drpcClient) error { return interopErrorCode(ctx, cl) }},
		{"sequence", func(cl drpcClient) error { return interopSequence(ctx, cl, 300) }},
	}
	for _, mode := range []struct {
		name string
		opts mux.Options
	}{{"default", mux.Options{}}, {"legacy", mux.Options{Legacy: true}}} {
		st := interopStack("interop-"+mode.name, mode.opts)
		for _, c := range cases {
			t.Run(mode.name+"/"+c.name, func(t *testing.T) {
				runOp(t, st, tcp, c.name, 1, func(cl []client) error {
					return c.run(cl[0].(*session).client.(drpcClient))
				}, nil)
			})
		}
	}
}

// TestInteropDRPCClientOverLimit checks what a storj.io/drpc v1.0.0 client shows when it
// sends a message over a muxsim server's PacketMax: the server's reason (drpcerr code
// ResourceExhausted, a message naming the packet limit), not the bare "EOF" that its
// unary Invoke made of the Cancel frame muxsim used to send; and the connection serves
// the next call. Method: a server with a 32 KiB PacketMax, default and legacy, and a
// 128 KiB unary request, which the stock client sends in 64 KiB frames.
func TestInteropDRPCClientOverLimit(t *testing.T) {
	ctx := context.Background()
	const packetMax = 32 << 10
	for _, mode := range []struct {
		name string
		opts mux.Options
	}{{"default", mux.Options{PacketMax: packetMax}}, {"legacy", mux.Options{PacketMax: packetMax, Legacy: true}}} {
		st := interopStack("interop-limit-"+mode.name, mode.opts)
		t.Run(mode.name, func(t *testing.T) {
			runOp(t, st, tcp, "over-limit", 1, func(cl []client) error {
				return interopOverLimit(ctx, cl[0].(*session).client.(drpcClient), 4*packetMax)
			}, nil)
		})
	}
}

// interopOverLimit sends a unary request of size bytes, over the server's PacketMax, and
// expects the server's ResourceExhausted Error; then a small call on the same connection.
func interopOverLimit(ctx context.Context, cl drpcClient, size int) error {
	err := cl.c.Invoke(ctx, rpcUnary, protoEnc{}, &msg{Value: make([]byte, size)}, new(msg))
	switch {
	case err == nil:
		return fmt.Errorf("a %d-byte request over the packet limit succeeded", size)
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("the refusal reads as a cancellation: %q", err)
	case drpcerr.Code(err) != uint64(mux.ResourceExhausted):
		return fmt.Errorf("drpcerr.Code = %d, want %d (error %q)", drpcerr.Code(err), uint64(mux.ResourceExhausted), err)
	case !strings.Contains(err.Error(), "larger than the packet limit"):
		return fmt.Errorf("error %q does not say which limit", err)
	}
	return unaryLoop(ctx, cl, 1, smallBytes) // the refusal was the stream's alone
}

// interopMetadata sends metadata with drpcmetadata.Add and expects the handler to see it.
func interopMetadata(ctx context.Context, cl drpcClient) error {
	out := new(msg)
	ctx = drpcmetadata.Add(ctx, "k", "v")
	if err := cl.c.Invoke(ctx, rpcMetadata, protoEnc{}, wrapperspb.Bytes(nil), out); err != nil {
		return err
	}
	if got := string(out.Value); got != "v" {
		return fmt.Errorf("the handler saw metadata k=%q, want %q", got, "v")
	}
	return nil
}

// interopErrorCode expects a handler's mux.Errorf(mux.NotFound, ...) to reach the storj
// client as an error with drpcerr code 5 and the message, on a connection that carries on.
func interopErrorCode(ctx context.Context, cl drpcClient) error {
	err := cl.c.Invoke(ctx, rpcNotFound, protoEnc{}, wrapperspb.Bytes(nil), new(msg))
	if err == nil {
		return fmt.Errorf("the call succeeded; want NotFound")
	}
	if code := drpcerr.Code(err); code != uint64(mux.NotFound) {
		return fmt.Errorf("drpcerr.Code = %d, want %d (error %q)", code, uint64(mux.NotFound), err)
	}
	if !strings.Contains(err.Error(), "no such thing") {
		return fmt.Errorf("error %q lost the handler's message", err)
	}
	return unaryLoop(ctx, cl, 1, smallBytes) // the connection survives the error
}

// interopSlowSink sends n messages of size bytes on a client stream whose handler starts
// reading late, so that they queue up on the server (storj clients send without credit).
func interopSlowSink(ctx context.Context, cl drpcClient, n, size int) error {
	s, err := cl.c.NewStream(ctx, rpcSlowSink, protoEnc{})
	if err != nil {
		return err
	}
	defer s.Close()
	m := &msg{Value: make([]byte, size)}
	for i := range n {
		tag(m.Value, i)
		if err := s.MsgSend(m, protoEnc{}); err != nil {
			return fmt.Errorf("send %d: %w", i, err)
		}
	}
	if err := s.CloseSend(); err != nil {
		return err
	}
	resp := new(msg)
	if err := s.MsgRecv(resp, protoEnc{}); err != nil {
		return fmt.Errorf("response (code %d): %w", drpcerr.Code(err), err)
	}
	gotN, gotBytes, err := parseCounts(resp)
	if err != nil {
		return err
	}
	if gotN != n || gotBytes != n*size {
		return fmt.Errorf("server counted %d messages, %d bytes; sent %d, %d", gotN, gotBytes, n, n*size)
	}
	return nil
}

// interopSequence makes rounds of unary, bidi and server-stream calls on one connection.
func interopSequence(ctx context.Context, cl client, rounds int) error {
	for i := range rounds {
		if err := unaryLoop(ctx, cl, 1, smallBytes); err != nil {
			return fmt.Errorf("round %d unary: %w", i, err)
		}
		if err := bidi(ctx, cl, 2, smallBytes); err != nil {
			return fmt.Errorf("round %d bidi: %w", i, err)
		}
		if err := serverStream(ctx, cl, 2, 16); err != nil {
			return fmt.Errorf("round %d server stream: %w", i, err)
		}
	}
	return nil
}
