package bench

import (
	"context"
	"net"
	"testing"

	"github.com/muxsim/muxsim/mux"
)

// TestInteropMuxsimClient checks the other direction of interop: our client, in legacy
// mode, calling a stock storj.io/drpc v1.0.0 server (drpcserver, default options). Every
// RPC kind, including messages over the 256 KiB window (legacy mode has no flow control),
// and a long mixed sequence on one connection: a stock server fails the connection if a
// frame of an older stream follows one of a newer stream, so the sequence checks that
// legacy mode never does that.
func TestInteropMuxsimClient(t *testing.T) {
	ctx := context.Background()
	st := stack{name: "interop-muxsim-client", streamsPerConnMax: 1, serve: serveDRPC,
		dial: func(tr net.Conn) (client, error) {
			return muxsimClient{mux.NewClient(tr, mux.Options{Legacy: true})}, nil
		}}
	cases := []struct {
		name string
		run  func(cl client) error
	}{
		{"unary", func(cl client) error { return unaryLoop(ctx, cl, 3, smallBytes) }},
		{"unary-1MiB", func(cl client) error { return unaryLoop(ctx, cl, 2, largeBytes) }},
		{"client-stream", func(cl client) error { return clientStream(ctx, cl, 20, 2<<10) }},
		{"client-stream-512KiB", func(cl client) error { return clientStream(ctx, cl, 8, 64<<10) }},
		{"server-stream", func(cl client) error { return serverStream(ctx, cl, 20, 2<<10) }},
		{"server-stream-512KiB", func(cl client) error { return serverStream(ctx, cl, 8, 64<<10) }},
		{"bidi", func(cl client) error { return bidi(ctx, cl, 20, smallBytes) }},
		{"sequence", func(cl client) error { return interopSequence(ctx, cl, 100) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			runOp(t, st, tcp, c.name, 1, func(cl []client) error {
				return c.run(cl[0].(*session).client)
			}, nil)
		})
	}
}
