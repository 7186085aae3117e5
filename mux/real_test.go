package mux

// The deadline of the tests on real goroutines (issue 16): each runs its body under
// realTest, which fails it, within seconds, with the stacks of its goroutines and the
// state of every connection it made, where it would otherwise hang until go test's
// 10-minute alarm.

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/simtest"
)

// realTest runs body, a test on real goroutines, under simtest.Real with the default
// deadline (sim.DefaultRealTimeout, cut to end before go test's -timeout). A body that
// passes it fails the test with its goroutines' stacks and each of its connections'
// debugString; the body's goroutines are then left blocked.
func realTest(t *testing.T, body func(t *testing.T)) {
	t.Helper()
	watched.start()
	defer watched.stop()
	simtest.Real(t, sim.RealOptions{State: watched.debugString}, body)
}

// verifyNone is goleak.VerifyNone for a test that passed: a failed one may have left its
// goroutines blocked on purpose (realTest), and its report already has their stacks.
func verifyNone(t *testing.T) {
	t.Helper()
	if !t.Failed() {
		goleak.VerifyNone(t)
	}
}

// connsWatchedMax bounds the connections one test's report describes.
const connsWatchedMax = 16

// connWatch holds the connections made while a realTest runs. Only then: the simulated
// tests make thousands, which it must not keep alive.
type connWatch struct {
	mu     sync.Mutex
	on     bool
	conns  []*conn
	missed int // made past connsWatchedMax
}

var watched connWatch

func init() { debugConns = watched.add }

func (w *connWatch) add(c *conn) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case !w.on:
	case len(w.conns) == connsWatchedMax:
		w.missed++
	default:
		w.conns = append(w.conns, c)
	}
}

func (w *connWatch) start() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.on, w.conns, w.missed = true, nil, 0
}

func (w *connWatch) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.on, w.conns, w.missed = false, nil, 0
}

// debugString describes the watched connections, in the order they were made.
func (w *connWatch) debugString() string {
	w.mu.Lock()
	conns, missed := append([]*conn(nil), w.conns...), w.missed
	w.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "%d connections made by the test:\n", len(conns)+missed)
	for _, c := range conns {
		b.WriteString(c.debugString())
	}
	if missed > 0 {
		fmt.Fprintf(&b, "... %d more connections\n", missed)
	}
	return b.String()
}
