package bench

import (
	"context"
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that no test or benchmark leaves a goroutine behind: every client is
// closed and every server awaited.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// runOp connects conns clients of st over tp (the watchdog on each) and runs body on
// them. A failure fails tb unless it is a known bug (bugs_test.go): then it is retried on
// new connections if the bug is intermittent, else tb skips. With a benchmark b, b's
// timer runs only around body, and a retry restarts the measurement.
func runOp(tb testing.TB, st stack, tp transport, op string, conns int, body func(clients []client) error, b *testing.B) {
	tb.Helper()
	key := opKey(st, op)
	for attempt := 1; ; attempt++ {
		if b != nil {
			b.StopTimer()
		}
		sessions := make([]*session, conns)
		clients := make([]client, conns)
		for i := range sessions {
			sessions[i] = connect(tb, st, tp)
			clients[i] = sessions[i]
		}
		if b != nil {
			b.ResetTimer()
			b.StartTimer()
		}
		err := body(clients)
		if b != nil {
			b.StopTimer()
		}
		if err == nil {
			noteFixed(tb, key, attempt)
			return
		}
		stalled := false
		for _, s := range sessions {
			if s.dog.stalled.Load() {
				stalled = true
				err = s.dog.explain(err)
				break
			}
		}
		checkBug(tb, key, attempt, err, stalled)
	}
}

// TestStacks runs every operation the benchmarks time, with small counts, on every stack
// and transport. Goal: each adapter serves the same service and every check passes, so
// that a benchmark measures a working stack. Method: the benchmarks' own operations, each
// on fresh connections.
func TestStacks(t *testing.T) {
	const n = 20
	ctx := context.Background()
	ops := []struct {
		name string
		run  func(cl client) error
	}{
		{"unary-small", func(cl client) error { return unaryLoop(ctx, cl, 3, smallBytes) }},
		{"unary-large", func(cl client) error { return unaryLoop(ctx, cl, 3, largeBytes) }},
		{"client-stream", func(cl client) error {
			for _, sz := range append(streamSizes, struct {
				name  string
				bytes int
			}{"empty", smallBytes}) {
				count := n
				if sz.name == "empty" {
					count = 0
				}
				if err := clientStream(ctx, cl, count, sz.bytes); err != nil {
					return err
				}
			}
			return nil
		}},
		{"server-stream", func(cl client) error {
			for _, sz := range streamSizes {
				if err := serverStream(ctx, cl, n, sz.bytes); err != nil {
					return err
				}
			}
			return nil
		}},
		{"bidi", func(cl client) error { return bidi(ctx, cl, n, smallBytes) }},
	}
	for _, st := range stacks {
		for _, tp := range transports {
			for _, op := range ops {
				t.Run(st.name+"/"+tp.name+"/"+op.name, func(t *testing.T) {
					runOp(t, st, tp, op.name, 1, func(cl []client) error { return op.run(cl[0]) }, nil)
				})
			}
		}
		t.Run(st.name+"/tcp/concurrent-unary", func(t *testing.T) {
			const callers = 16
			runOp(t, st, tcp, "concurrent-unary", connsFor(st, callers), func(cl []client) error {
				return concurrentUnary(cl, callers, 50*callers)
			}, nil)
		})
	}
}

// TestChecksCatchCorruption makes sure the checks the benchmarks rely on can fail.
func TestChecksCatchCorruption(t *testing.T) {
	v := make([]byte, 8)
	tag(v, 300)
	if err := checkTag(v, 300, 8); err != nil {
		t.Fatalf("a well-tagged message: %v", err)
	}
	if checkTag(v, 301, 8) == nil || checkTag(v, 300, 9) == nil || checkTag(nil, 0, 0) == nil {
		t.Fatal("checkTag accepted a mistagged, short or empty message")
	}
	if _, _, err := parseCounts(&msg{Value: []byte{1}}); err == nil {
		t.Fatal("parseCounts accepted 1 byte")
	}
}
