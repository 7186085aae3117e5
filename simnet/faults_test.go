package simnet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
)

// simulate runs body under simulation with the trace log kept, and fails the test on a
// verdict other than ok or on body's error. Time is exact: these tests check the
// transport's timing arithmetic to the nanosecond, which the time perturbation of half
// the portfolio's members would stretch.
func simulate(t *testing.T, seed uint64, body func(rt *sim.Runtime) error) *sim.Verdict {
	t.Helper()
	var o sim.Options
	o.Seed, o.Log, o.TimeJitter = seed, true, sim.JitterOff
	var err error
	v := sim.Run(o, func(rt *sim.Runtime) { err = body(rt) })
	if !v.OK() {
		t.Fatalf("seed %d: %s", seed, v.Report())
	}
	if err != nil {
		t.Fatalf("seed %d: %v", seed, err)
	}
	return v
}

func traced(v *sim.Verdict, text string) bool {
	for _, e := range v.Events {
		if e.Kind == scheduler.EvNote && strings.Contains(e.Text, text) {
			return true
		}
	}
	return false
}

// TestEachFaultFires checks every fault kind of a Plan: it fires, it produces its
// documented effect or error, and it appears in the trace.
func TestEachFaultFires(t *testing.T) {
	t.Run("latency-and-bandwidth", func(t *testing.T) {
		simulate(t, 1, func(rt *sim.Runtime) error {
			a, b := Pipe(rt, "c", Plan{Latency: 5 * time.Millisecond, Bandwidth: 1 << 20, Buffer: 1 << 20})
			start := rt.Now()
			g := rt.NewGroup("g")
			g.Go("writer", func() { a.Write(make([]byte, 1<<19)) })
			_, err := readN(b, 1<<19)
			g.Wait()
			// Half a MiB at 1 MiB/s, then 5ms of latency.
			if d := rt.Since(start); err != nil || d != 505*time.Millisecond {
				return fmt.Errorf("delivered after %v (%v), want 505ms", d, err)
			}
			return nil
		})
	})
	t.Run("split", func(t *testing.T) {
		simulate(t, 1, func(rt *sim.Runtime) error {
			a, b := Pipe(rt, "c", Plan{Split: true})
			g := rt.NewGroup("g")
			g.Go("writer", func() { a.Write(pattern(1000, 1)) })
			reads, got := 0, []byte{}
			for len(got) < 1000 {
				buf := make([]byte, 1000)
				n, err := b.Read(buf)
				if err != nil {
					return err
				}
				got = append(got, buf[:n]...)
				reads++
			}
			g.Wait()
			if reads < 3 || !bytes.Equal(got, pattern(1000, 1)) {
				return fmt.Errorf("one write arrived in %d reads", reads)
			}
			return nil
		})
	})
	t.Run("coalesce", func(t *testing.T) {
		simulate(t, 1, func(rt *sim.Runtime) error {
			a, b := Pipe(rt, "c", Plan{Coalesce: true})
			for range 3 {
				a.Write([]byte("ab"))
			}
			n, err := b.Read(make([]byte, 10))
			if err != nil || n != 6 {
				return fmt.Errorf("read %d bytes of three writes, %v", n, err)
			}
			return nil
		})
	})
	t.Run("write-fail", func(t *testing.T) {
		v := simulate(t, 1, func(rt *sim.Runtime) error {
			a, b := Pipe(rt, "c", Plan{WriteFail: 1})
			n, err := a.Write(make([]byte, 100))
			if !errors.Is(err, ErrReset) || n > 100 {
				return fmt.Errorf("write: %d, %v", n, err)
			}
			// The bytes accepted before the failure may arrive; then the reset.
			got, err := io.ReadAll(b)
			if !errors.Is(err, ErrReset) || len(got) > n {
				return fmt.Errorf("peer read %d bytes then %v", len(got), err)
			}
			return nil
		})
		if !traced(v, "write fails after") {
			t.Fatal("fault not in the trace")
		}
	})
	t.Run("read-fail", func(t *testing.T) {
		v := simulate(t, 1, func(rt *sim.Runtime) error {
			a, b := Pipe(rt, "c", Plan{ReadFail: 1})
			a.Write([]byte("x"))
			if _, err := b.Read(make([]byte, 1)); !errors.Is(err, ErrReset) {
				return fmt.Errorf("read: %v", err)
			}
			if _, err := a.Write([]byte("y")); !errors.Is(err, ErrReset) {
				return fmt.Errorf("write after the reset: %v", err)
			}
			return nil
		})
		if !traced(v, "read fails") {
			t.Fatal("fault not in the trace")
		}
	})
	t.Run("peer-close", func(t *testing.T) {
		v := simulate(t, 1, func(rt *sim.Runtime) error {
			a, b := Pipe(rt, "c", Plan{PeerClose: 1})
			a.Write([]byte("last"))
			got, err := io.ReadAll(b)
			if err != nil || string(got) != "last" {
				return fmt.Errorf("read %q, %v", got, err)
			}
			if _, err := a.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
				return fmt.Errorf("the closed end's write: %v", err)
			}
			if _, err := b.Write([]byte("x")); !errors.Is(err, ErrBrokenPipe) {
				return fmt.Errorf("write to the closed end: %v", err)
			}
			return nil
		})
		if !traced(v, "peer closes") {
			t.Fatal("fault not in the trace")
		}
	})
	t.Run("clog", func(t *testing.T) {
		v := simulate(t, 1, func(rt *sim.Runtime) error {
			a, b := Pipe(rt, "c", Plan{Clog: 1, ClogFor: 30 * time.Millisecond})
			start := rt.Now()
			a.Write([]byte("x"))
			_, err := readN(b, 1)
			if d := rt.Since(start); err != nil || d != 30*time.Millisecond {
				return fmt.Errorf("clogged byte arrived after %v, %v", d, err)
			}
			return nil
		})
		if !traced(v, "clogged") {
			t.Fatal("fault not in the trace")
		}
	})
	t.Run("reset", func(t *testing.T) {
		simulate(t, 1, func(rt *sim.Runtime) error {
			a, b := Pipe(rt, "c", Plan{Latency: time.Second})
			a.Write([]byte("in flight"))
			g := rt.NewGroup("g")
			var rerr error
			g.Go("reader", func() { _, rerr = b.Read(make([]byte, 10)) })
			a.Reset()
			g.Wait()
			if !errors.Is(rerr, ErrReset) {
				return fmt.Errorf("pending read: %v (undelivered bytes must be lost)", rerr)
			}
			return nil
		})
	})
}

// TestDeliveryProperty: for random write sizes and random fault plans without failures,
// the reader receives exactly the bytes written, in order, for every seed.
func TestDeliveryProperty(t *testing.T) {
	seeds := uint64(300)
	if testing.Short() {
		seeds = 60
	}
	for seed := uint64(1); seed <= seeds; seed++ {
		simulate(t, seed, func(rt *sim.Runtime) error {
			plan := RandomPlan(rt.Rand("plan"), Profile{NoFailures: true})
			a, b := Pipe(rt, "c", plan)
			r := rt.Rand("sizes")
			total := 1 + r.IntN(200_000)
			data := pattern(total, int(seed))
			g := rt.NewGroup("g")
			g.Go("writer", func() {
				for off := 0; off < total; {
					n := min(total-off, 1+r.IntN(20_000))
					a.Write(data[off : off+n])
					off += n
				}
				a.Close()
			})
			got, err := io.ReadAll(b)
			g.Wait()
			if err != nil || !bytes.Equal(got, data) {
				return fmt.Errorf("plan %+v: read %d of %d bytes, %v", plan, len(got), total, err)
			}
			return nil
		})
	}
}

// TestFailuresEndEveryOperation runs a request-reply exchange under random plans with
// failures: every operation must end (with data, EOF or an error), and the verdict must
// show no deadlock and no leak.
func TestFailuresEndEveryOperation(t *testing.T) {
	failed := 0
	for seed := uint64(1); seed <= 300; seed++ {
		simulate(t, seed, func(rt *sim.Runtime) error {
			plan := RandomPlan(rt.Rand("plan"), Profile{})
			plan.WriteFail, plan.ReadFail = plan.WriteFail*10, plan.ReadFail*10
			a, b := Pipe(rt, "c", plan)
			g := rt.NewGroup("g")
			var errA, errB error
			g.Go("client", func() {
				defer a.Close()
				for i := range 50 {
					if _, errA = a.Write(pattern(100+i, i)); errA != nil {
						return
					}
					if _, errA = readN(a, 10); errA != nil {
						return
					}
				}
			})
			g.Go("server", func() {
				defer b.Close()
				for i := range 50 {
					if _, errB = readN(b, 100+i); errB != nil {
						return
					}
					if _, errB = b.Write(make([]byte, 10)); errB != nil {
						return
					}
				}
			})
			g.Wait()
			if errA != nil || errB != nil {
				failed++
			}
			return nil
		})
	}
	if failed == 0 {
		t.Fatal("no seed broke the connection: the failure faults never fired")
	}
}

// TestDeliveryIsDeterministic records when and how many bytes each read returned, twice
// per seed: the byte-level schedule must be identical, and differ between seeds.
func TestDeliveryIsDeterministic(t *testing.T) {
	schedule := func(seed uint64) (string, uint64) {
		var log strings.Builder
		v := simulate(t, seed, func(rt *sim.Runtime) error {
			a, b := Pipe(rt, "c", RandomPlan(rt.Rand("plan"), Profile{NoFailures: true}))
			g := rt.NewGroup("g")
			g.Go("writer", func() {
				for i := range 20 {
					a.Write(pattern(500+i*37, i))
				}
				a.Close()
			})
			buf := make([]byte, 4096)
			for {
				n, err := b.Read(buf)
				fmt.Fprintf(&log, "%v:%d ", rt.Since(sim.Epoch), n)
				if err != nil {
					break
				}
			}
			g.Wait()
			return nil
		})
		return log.String(), v.Hash
	}
	distinct := map[string]bool{}
	for seed := uint64(1); seed <= 30; seed++ {
		s1, h1 := schedule(seed)
		s2, h2 := schedule(seed)
		if s1 != s2 || h1 != h2 {
			t.Fatalf("seed %d: delivery differs between runs:\n%s\n%s", seed, s1, s2)
		}
		distinct[s1] = true
	}
	if len(distinct) < 20 {
		t.Fatalf("30 seeds gave %d distinct delivery schedules", len(distinct))
	}
}
