package bench

import (
	"context"
	"fmt"
	"testing"
)

// The benchmarks. Goal: compare muxsim with storj.io/drpc v1.0.0 and grpc-go on the same
// echo service, transports and messages, all with default options. Method: each
// sub-benchmark opens fresh connections and servers (not timed; one warm-up call each),
// runs b.N operations, checks every reply (a wrong echo fails the benchmark), then closes
// the clients and waits for the servers (not timed). Allocations count both ends, since
// both run in this process. A watchdog closes a connection that stops moving bytes, so a
// hang fails (or, for a known bug, skips) instead of blocking the run.
//
// Names are BenchmarkX/.../stack=S/transport=T, so that `benchstat -col /stack` puts the
// stacks side by side.

var stacks = []stack{muxsimStack, drpcStack, grpcStack}

// Message sizes.
const (
	smallBytes = 5       // a few bytes, like storj's "Small"
	largeBytes = 1 << 20 // 1 MiB, storj's "Large"
)

// streamSizes are the message sizes of the streaming benchmarks: 2 KiB is storj's
// "Medium" and shows the per-message cost; 64 KiB is muxsim's frame size and shows
// bandwidth.
var streamSizes = []struct {
	name  string
	bytes int
}{{"2KiB", 2 << 10}, {"64KiB", 64 << 10}}

// forEachStack runs bench as a sub-benchmark for every stack on every transport.
func forEachStack(b *testing.B, bench func(b *testing.B, st stack, tp transport)) {
	for _, st := range stacks {
		for _, tp := range transports {
			b.Run("stack="+st.name+"/transport="+tp.name, func(b *testing.B) { bench(b, st, tp) })
		}
	}
}

// measure runs operation op of a sub-benchmark: runOp with b's timer running only
// around body.
func measure(b *testing.B, st stack, tp transport, op string, conns int, body func(clients []client) error) {
	b.ReportAllocs()
	runOp(b, st, tp, op, conns, body, b)
}

// BenchmarkUnarySmall is a sequential unary round trip of a 5-byte message.
func BenchmarkUnarySmall(b *testing.B) {
	forEachStack(b, func(b *testing.B, st stack, tp transport) {
		measure(b, st, tp, "unary-small", 1, func(cl []client) error {
			return unaryLoop(context.Background(), cl[0], b.N, smallBytes)
		})
	})
}

// BenchmarkUnaryLarge is a sequential unary round trip of a 1 MiB message; the bytes
// per second count the request only, as storj's benchmark does. The check compares all
// of the echo, which costs the same on every stack.
func BenchmarkUnaryLarge(b *testing.B) {
	forEachStack(b, func(b *testing.B, st stack, tp transport) {
		b.SetBytes(largeBytes)
		measure(b, st, tp, "unary-large", 1, func(cl []client) error {
			return unaryLoop(context.Background(), cl[0], b.N, largeBytes)
		})
	})
}

// BenchmarkClientStream sends b.N messages on one client stream (client to server).
func BenchmarkClientStream(b *testing.B) {
	benchStream(b, "client-stream", clientStream)
}

// BenchmarkServerStream receives b.N messages on one server stream (server to client).
func BenchmarkServerStream(b *testing.B) {
	benchStream(b, "server-stream", serverStream)
}

func benchStream(b *testing.B, op string, run func(ctx context.Context, cl client, n, size int) error) {
	for _, sz := range streamSizes {
		b.Run("size="+sz.name, func(b *testing.B) {
			forEachStack(b, func(b *testing.B, st stack, tp transport) {
				b.SetBytes(int64(sz.bytes))
				measure(b, st, tp, op, 1, func(cl []client) error {
					return run(context.Background(), cl[0], b.N, sz.bytes)
				})
			})
		})
	}
}

// BenchmarkBidiPingPong sends a 5-byte message and waits for its echo, b.N times, on one
// bidi stream.
func BenchmarkBidiPingPong(b *testing.B) {
	forEachStack(b, func(b *testing.B, st stack, tp transport) {
		measure(b, st, tp, "bidi", 1, func(cl []client) error {
			return bidi(context.Background(), cl[0], b.N, smallBytes)
		})
	})
}

// callerCounts are the concurrency levels of BenchmarkConcurrentUnary.
var callerCounts = []int{1, 16, 64}

// BenchmarkConcurrentUnary runs b.N small unary calls spread over a fixed number of
// callers (goroutines) on TCP; ns/op is wall time per call, the inverse of throughput.
// muxsim and grpc callers share ONE connection. storj.io/drpc v1.0.0 runs one RPC per
// connection at a time, so its callers get ONE CONNECTION EACH (and a server each): the
// fairest drpc setup, not a like-for-like one.
func BenchmarkConcurrentUnary(b *testing.B) {
	for _, callers := range callerCounts {
		for _, st := range stacks {
			b.Run(fmt.Sprintf("callers=%d/stack=%s/transport=%s", callers, st.name, tcp.name), func(b *testing.B) {
				measure(b, st, tcp, "concurrent-unary", connsFor(st, callers), func(cl []client) error {
					return concurrentUnary(cl, callers, b.N)
				})
			})
		}
	}
}
