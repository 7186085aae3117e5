package simnet

import (
	"net"
	"testing"
	"time"

	"golang.org/x/net/nettest"

	"github.com/muxsim/muxsim/sim"
)

// TestNettest holds simnet to the net.Conn contract as golang.org/x/net/nettest states it
// (basic I/O, ping-pong, deadlines in the past, present and future, concurrent Close and
// method calls), on the real runtime, where its goroutines and wall clock are at home.
// Each plan reshapes or delays the bytes but never breaks the connection: nettest expects
// a reliable conn, so failure injection stays off.
func TestNettest(t *testing.T) {
	plans := []struct {
		name string
		plan Plan
	}{
		{"perfect", Plan{}},
		{"split", Plan{Split: true}},
		{"coalesce", Plan{Coalesce: true}},
		{"split-coalesce", Plan{Split: true, Coalesce: true}},
		{"latency-jitter", Plan{Latency: time.Millisecond, Jitter: 2 * time.Millisecond, Coalesce: true}},
		{"small-buffer", Plan{Split: true, Buffer: 1000}},
	}
	for _, p := range plans {
		if p.plan.Failures() {
			t.Fatalf("plan %s injects failures", p.name)
		}
		t.Run(p.name, func(t *testing.T) {
			nettest.TestConn(t, func() (net.Conn, net.Conn, func(), error) {
				a, b := Pipe(sim.Real(), "nettest", p.plan)
				stop := func() {
					a.Close()
					b.Close()
				}
				return a, b, stop, nil
			})
		})
	}
}
