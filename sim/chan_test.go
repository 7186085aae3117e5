package sim

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/muxsim/muxsim/scheduler"
)

// The channel tests run each program under the real runtime and under the simulator
// (seeds 1-20, both batons, through both), so that Chan is checked against Go's own
// channels on the same assertions.

// notYet reports an error if ev has fired: a non-blocking Select, the same in both worlds.
func notYet(rt *Runtime, ev *Event, what string) error {
	if i, _ := rt.Select(context.Background(), ev, Default); i != 1 {
		return errors.New(what)
	}
	return nil
}

func TestChanUnbufferedRendezvous(t *testing.T) {
	both(t, func(rt *Runtime) error {
		ch := NewChan[int](rt, "c", 0)
		sent := rt.NewEvent("sent")
		g := rt.NewGroup("g")
		g.Go("sender", func() {
			ch.Send(7)
			sent.Fire()
		})
		rt.Yield()
		if err := notYet(rt, sent, "Send returned before any receiver took the value"); err != nil {
			return err
		}
		if ch.Len() != 0 || ch.Cap() != 0 {
			return fmt.Errorf("len %d cap %d, want 0 0", ch.Len(), ch.Cap())
		}
		v := ch.Recv()
		g.Wait()
		if v != 7 || !sent.Fired() {
			return fmt.Errorf("received %d, sent fired %v", v, sent.Fired())
		}
		return nil
	})
}

func TestChanBufferedFIFOLenCap(t *testing.T) {
	both(t, func(rt *Runtime) error {
		ch := NewChan[int](rt, "c", 3)
		for i := 1; i <= 3; i++ {
			ch.Send(i) // room: does not block
		}
		if ch.Len() != 3 || ch.Cap() != 3 {
			return fmt.Errorf("len %d cap %d, want 3 3", ch.Len(), ch.Cap())
		}
		if i, _ := rt.Select(context.Background(), ch.SendCase(4), Default); i != 1 {
			return fmt.Errorf("send on a full channel chose case %d, want default", i)
		}
		var got []int
		for range 3 {
			got = append(got, ch.Recv())
		}
		if !slices.Equal(got, []int{1, 2, 3}) || ch.Len() != 0 {
			return fmt.Errorf("received %v, len %d; want [1 2 3], 0", got, ch.Len())
		}
		var v int
		if i, _ := rt.Select(context.Background(), ch.RecvCase(&v), Default); i != 1 {
			return fmt.Errorf("receive from an empty channel chose case %d, want default", i)
		}
		return nil
	})
}

func TestChanCloseWakesReceivers(t *testing.T) {
	both(t, func(rt *Runtime) error {
		ch := NewChan[string](rt, "c", 0)
		g := rt.NewGroup("g")
		mu := rt.NewMutex("m")
		var woke []string
		for i := range 3 {
			g.Go(fmt.Sprint("receiver-", i), func() {
				v, ok := ch.Recv2()
				mu.Lock()
				woke = append(woke, fmt.Sprintf("%q %v", v, ok))
				mu.Unlock()
			})
		}
		rt.Yield()
		ch.Close()
		g.Wait()
		if want := []string{`"" false`, `"" false`, `"" false`}; !slices.Equal(woke, want) {
			return fmt.Errorf("receivers got %v, want %v", woke, want)
		}
		return nil
	})
}

func TestChanClosedDrainsFirst(t *testing.T) {
	both(t, func(rt *Runtime) error {
		ch := NewChan[int](rt, "c", 3)
		ch.Send(1)
		ch.Send(2)
		ch.Close()
		v1, ok1 := ch.Recv2()
		var v2 int
		var ok2 bool
		if i, _ := rt.Select(context.Background(), ch.RecvCase2(&v2, &ok2)); i != 0 {
			return fmt.Errorf("select chose %d", i)
		}
		v3, ok3 := ch.Recv2()
		if v1 != 1 || !ok1 || v2 != 2 || !ok2 || v3 != 0 || ok3 {
			return fmt.Errorf("got %d %v, %d %v, %d %v; want 1 true, 2 true, 0 false", v1, ok1, v2, ok2, v3, ok3)
		}
		// All ranges until closed and drained.
		out := NewChan[int](rt, "out", 0)
		g := rt.NewGroup("g")
		g.Go("producer", func() {
			for i := range 4 {
				out.Send(i)
			}
			out.Close()
		})
		var got []int
		for v := range out.All() {
			got = append(got, v)
		}
		g.Wait()
		if !slices.Equal(got, []int{0, 1, 2, 3}) {
			return fmt.Errorf("All gave %v", got)
		}
		return nil
	})
}

func TestChanSelectSendAndContext(t *testing.T) {
	both(t, func(rt *Runtime) error {
		ch, other := NewChan[int](rt, "c", 0), NewChan[int](rt, "other", 0)
		g := rt.NewGroup("g")
		var got int
		g.Go("receiver", func() { got = ch.Recv() })
		var unused int
		i, err := rt.Select(context.Background(), other.RecvCase(&unused), ch.SendCase(5))
		g.Wait()
		if i != 1 || err != nil || got != 5 {
			return fmt.Errorf("select %d %v, receiver got %d; want 1, nil, 5", i, err, got)
		}
		ctx, cancel := context.WithCancel(context.Background())
		g.Go("canceller", cancel)
		i, err = rt.Select(ctx, other.RecvCase(&unused), other.SendCase(1))
		g.Wait()
		if i != -1 || !errors.Is(err, context.Canceled) {
			return fmt.Errorf("cancelled select: %d, %v", i, err)
		}
		// An interface element type, with a nil value, through a select.
		ai := NewChan[error](rt, "errs", 1)
		ai.Send(nil)
		e := errors.New("overwritten")
		if i, _ := rt.Select(context.Background(), ai.RecvCase(&e)); i != 0 || e != nil {
			return fmt.Errorf("receive of a nil error: %d %v", i, e)
		}
		return nil
	})
}

// TestChanSelectBothSides checks two selects that can each complete the other's case:
// exactly one transfer happens, and both agree on which.
func TestChanSelectBothSides(t *testing.T) {
	both(t, func(rt *Runtime) error {
		a, b := NewChan[int](rt, "a", 0), NewChan[int](rt, "b", 0)
		g := rt.NewGroup("g")
		var ia, ib, va, vb int
		g.Go("A", func() { ia, _ = rt.Select(context.Background(), a.SendCase(1), b.RecvCase(&va)) })
		g.Go("B", func() { ib, _ = rt.Select(context.Background(), a.RecvCase(&vb), b.SendCase(2)) })
		g.Wait()
		switch {
		case ia == 0 && ib == 0 && vb == 1 && va == 0:
		case ia == 1 && ib == 1 && va == 2 && vb == 0:
		default:
			return fmt.Errorf("A chose %d (got %d), B chose %d (got %d)", ia, va, ib, vb)
		}
		if a.Len() != 0 || b.Len() != 0 {
			return errors.New("values left behind")
		}
		return nil
	})
}

func TestChanSelectNilAndDefault(t *testing.T) {
	both(t, func(rt *Runtime) error {
		var nilCh *Chan[int]
		ready := NewChan[int](rt, "ready", 1)
		ready.Send(3)
		var v int
		for range 5 {
			i, _ := rt.Select(context.Background(), nilCh.RecvCase(&v), nilCh.SendCase(1), ready.RecvCase(&v))
			if i != 2 || v != 3 {
				return fmt.Errorf("select with nil cases chose %d (v=%d), want 2", i, v)
			}
			ready.Send(3)
		}
		if i, _ := rt.Select(context.Background(), nilCh.RecvCase(&v), nilCh.SendCase(1), Default); i != 2 {
			return fmt.Errorf("nil cases and default chose %d, want default", i)
		}
		if nilCh.Len() != 0 || nilCh.Cap() != 0 {
			return errors.New("nil chan has a length")
		}
		return nil
	})
}

// TestChanSelectChoosesEachReady checks that the schedule, not case order, picks among
// ready cases: over a seed sweep every ready case is chosen, and a seed replays its pick.
func TestChanSelectChoosesEachReady(t *testing.T) {
	pick := func(seed uint64) (i int) {
		o := Options{}
		o.Seed = seed
		v := Run(o, func(rt *Runtime) {
			a, b := NewChan[int](rt, "a", 1), NewChan[int](rt, "b", 0)
			ev := rt.NewEvent("ev")
			a.Send(1)
			ev.Fire()
			g := rt.NewGroup("g")
			g.Go("sender", func() { b.Send(2) })
			rt.Yield()
			var x int
			i, _ = rt.Select(context.Background(), a.RecvCase(&x), b.RecvCase(&x), ev)
			if i != 1 {
				b.Recv()
			}
			g.Wait()
		})
		if !v.OK() {
			t.Fatalf("seed %d: %s", seed, v.Report())
		}
		return i
	}
	seen := map[int]bool{}
	for seed := uint64(1); seed <= 100; seed++ {
		i := pick(seed)
		seen[i] = true
		if pick(seed) != i {
			t.Fatalf("seed %d chose differently on replay", seed)
		}
	}
	if len(seen) != 3 {
		t.Fatalf("cases chosen over 100 seeds: %v, want all of 0 1 2", seen)
	}
}

// TestChanPanics checks Go's panics, as verdicts under both runtimes: the simulator's
// failure of kind panic and RunReal's, with Go's messages.
func TestChanPanics(t *testing.T) {
	for _, tc := range []struct {
		name, msg string
		body      func(rt *Runtime)
		simOnly   bool // the race detector calls Close concurrent with a blocked Send a race
	}{
		{"send on closed", "send on closed channel", func(rt *Runtime) {
			ch := NewChan[int](rt, "c", 1)
			ch.Close()
			ch.Send(1)
		}, false},
		{"double close", "close of closed channel", func(rt *Runtime) {
			ch := NewChan[int](rt, "c", 0)
			ch.Close()
			ch.Close()
		}, false},
		{"close of nil", "close of nil channel", func(rt *Runtime) {
			var ch *Chan[int]
			ch.Close()
		}, false},
		{"blocked sender when closed", "send on closed channel", func(rt *Runtime) {
			ch := NewChan[int](rt, "c", 0)
			done := rt.NewEvent("closed")
			rt.Go("closer", func() {
				rt.Yield()
				ch.Close()
				done.Fire()
			})
			ch.Send(1)
		}, true},
		{"select send on closed", "send on closed channel", func(rt *Runtime) {
			ch := NewChan[int](rt, "c", 0)
			ch.Close()
			_, _ = rt.Select(context.Background(), ch.SendCase(1))
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 5; seed++ {
				o := Options{}
				o.Seed = seed
				v := Run(o, tc.body)
				if v.OK() || v.Failure.Kind != scheduler.FailPanic || v.Failure.Message != tc.msg {
					t.Fatalf("seed %d: want a panic verdict %q, got %v", seed, tc.msg, v.Failure)
				}
				if _, ok := v.Failure.Panic.(runtime.Error); !ok {
					t.Fatalf("seed %d: panic value %T is not a runtime.Error", seed, v.Failure.Panic)
				}
			}
			if tc.simOnly {
				return
			}
			v := RunReal(RealOptions{}, tc.body)
			if v.OK() || v.Failure.Kind != scheduler.FailPanic || !strings.HasSuffix(v.Failure.Message, "panicked: "+tc.msg) {
				t.Fatalf("real: want a panic %q, got %v", tc.msg, v.Failure)
			}
		})
	}
}

// TestChanDeadlockReports checks the exact text a deadlock verdict gives for a task
// blocked on a channel: the channel's name and ID, the operation and the buffer state.
func TestChanDeadlockReports(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		body       func(rt *Runtime)
	}{
		{"full", `blocked on sending on chan "jobs"#1 (cap 2, full)`, func(rt *Runtime) {
			ch := NewChan[int](rt, "jobs", 2)
			for i := range 3 {
				ch.Send(i)
			}
		}},
		{"empty", `blocked on receiving from chan "jobs"#1 (cap 2, empty)`, func(rt *Runtime) {
			NewChan[int](rt, "jobs", 2).Recv()
		}},
		{"unbuffered", `blocked on sending on chan "jobs"#1 (unbuffered, no receiver)`, func(rt *Runtime) {
			NewChan[int](rt, "jobs", 0).Send(1)
		}},
		{"nil select", `blocked on receiving from nil chan`, func(rt *Runtime) {
			var ch *Chan[int]
			_ = rt.Wait(context.Background(), ch.RecvCase(nil))
		}},
		{"select", `blocked on receiving from chan "a"#1 (unbuffered, no sender) or sending on chan "b"#2 (cap 1, full)`, func(rt *Runtime) {
			a, b := NewChan[int](rt, "a", 0), NewChan[int](rt, "b", 1)
			b.Send(0)
			_, _ = rt.Select(context.Background(), a.RecvCase(nil), b.SendCase(1))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Run(Options{}, tc.body)
			if v.OK() || v.Failure.Kind != scheduler.FailDeadlock || !strings.Contains(v.Report(), tc.want) {
				t.Fatalf("want a deadlock naming %q, got:\n%s", tc.want, v.Report())
			}
		})
	}
	// A direct operation on a nil *Chan cannot park: it is a verdict at once.
	v := Run(Options{}, func(rt *Runtime) {
		var ch *Chan[int]
		ch.Recv()
	})
	if v.OK() || v.Failure.Kind != scheduler.FailPanic || v.Failure.Message != "receive from nil chan blocks forever" {
		t.Fatalf("receive from a nil chan: %v", v.Failure)
	}
}

// pipeline is the determinism workload: two producers feed two channels, a consumer
// selects over both and a timer, and the order it sees is noted in the trace.
func pipeline(rt *Runtime) {
	a, b := NewChan[int](rt, "a", 1), NewChan[int](rt, "b", 0)
	g := rt.NewGroup("producers")
	for _, p := range []struct {
		ch   *Chan[int]
		base int
	}{{a, 0}, {b, 100}} {
		g.Go(fmt.Sprint("producer-", p.base), func() {
			for i := range 5 {
				p.ch.Send(p.base + i)
			}
			p.ch.Close()
		})
	}
	var v int
	var ok bool
	open := 2
	for open > 0 {
		i, _ := rt.Select(context.Background(), a.RecvCase2(&v, &ok), b.RecvCase2(&v, &ok))
		if !ok {
			open--
			if i == 0 {
				a = nil
			} else {
				b = nil
			}
			continue
		}
		rt.Note(fmt.Sprint("got ", v))
	}
	g.Wait()
}

func TestChanDeterminism(t *testing.T) {
	hashes := map[uint64]bool{}
	for seed := uint64(1); seed <= 200; seed++ {
		o := Options{}
		o.Seed = seed
		v1, v2 := Run(o, pipeline), Run(o, pipeline)
		if !v1.OK() {
			t.Fatalf("seed %d: %s", seed, v1.Report())
		}
		if v1.Hash != v2.Hash {
			t.Fatalf("seed %d: hashes %x and %x differ", seed, v1.Hash, v2.Hash)
		}
		hashes[v1.Hash] = true
	}
	if len(hashes) < 2 {
		t.Fatalf("200 seeds gave %d distinct hashes", len(hashes))
	}
}

// chanProgram is a byte program of non-blocking operations on one channel: try-send,
// try-receive, len, close. Both runners turn it into a transcript.
type chanProgram struct {
	capacity int
	ops      []byte
}

// transcript runs p on a Chan of rt, one line per operation.
func (p chanProgram) transcript(rt *Runtime) []string {
	ch := NewChan[int](rt, "c", p.capacity)
	var out []string
	for i, op := range p.ops {
		out = append(out, func() (line string) {
			defer func() {
				if r := recover(); r != nil {
					line = fmt.Sprint("panic ", r)
				}
			}()
			var v int
			var ok bool
			switch op % 4 {
			case 0:
				j, _ := rt.Select(context.Background(), ch.SendCase(i), Default)
				return fmt.Sprint("send ", i, " ", j == 0)
			case 1:
				j, _ := rt.Select(context.Background(), ch.RecvCase2(&v, &ok), Default)
				return fmt.Sprint("recv ", j == 0, " ", v, " ", ok)
			case 2:
				return fmt.Sprint("len ", ch.Len(), " cap ", ch.Cap())
			}
			ch.Close()
			return "close"
		}())
	}
	return out
}

// native runs p on a Go channel: the reference.
func (p chanProgram) native() []string {
	ch := make(chan int, p.capacity)
	var out []string
	for i, op := range p.ops {
		out = append(out, func() (line string) {
			defer func() {
				if r := recover(); r != nil {
					line = fmt.Sprint("panic ", r)
				}
			}()
			switch op % 4 {
			case 0:
				select {
				case ch <- i:
					return fmt.Sprint("send ", i, " true")
				default:
					return fmt.Sprint("send ", i, " false")
				}
			case 1:
				select {
				case v, ok := <-ch:
					return fmt.Sprint("recv true ", v, " ", ok)
				default:
					return "recv false 0 false"
				}
			case 2:
				return fmt.Sprint("len ", len(ch), " cap ", cap(ch))
			}
			close(ch)
			return "close"
		}())
	}
	return out
}

// TestChanMatchesNativeChannel checks Chan against Go's channel as a reference model:
// 300 random byte programs of non-blocking operations, with capacities 0-3, give the
// same transcript on a native channel, on Chan under the real runtime and under the
// simulator.
func TestChanMatchesNativeChannel(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 300 {
		p := chanProgram{capacity: n % 4, ops: make([]byte, 1+r.IntN(24))}
		for i := range p.ops {
			p.ops[i] = byte(r.IntN(256))
			if p.ops[i]%4 == 3 && r.IntN(4) != 0 {
				p.ops[i]-- // close rarely, so that programs do something before it
			}
		}
		want := p.native()
		if got := p.transcript(Real()); !slices.Equal(got, want) {
			t.Fatalf("program %d %v: real Chan\n%q\nnative\n%q", n, p, got, want)
		}
		var got []string
		if v := Run(Options{}, func(rt *Runtime) { got = p.transcript(rt) }); !v.OK() {
			t.Fatalf("program %d %v: %s", n, p, v.Report())
		}
		if !slices.Equal(got, want) {
			t.Fatalf("program %d %v: simulated Chan\n%q\nnative\n%q", n, p, got, want)
		}
	}
}

// TestChanSelectCompletedCaseWins checks that a Select whose unbuffered send a receiver
// completed returns that case even when another became ready before the task ran again.
func TestChanSelectCompletedCaseWins(t *testing.T) {
	both(t, func(rt *Runtime) error {
		ch := NewChan[int](rt, "c", 0)
		ev := rt.NewEvent("ev")
		g := rt.NewGroup("g")
		var got int
		g.Go("receiver", func() {
			got = ch.Recv()
			ev.Fire()
		})
		i, _ := rt.Select(context.Background(), ch.SendCase(9), ev)
		g.Wait()
		if i != 0 || got != 9 {
			return fmt.Errorf("select chose %d, receiver got %d; want 0, 9", i, got)
		}
		return nil
	})
}
