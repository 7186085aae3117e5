package scheduler

import (
	"strings"
	"testing"
	"time"
	"unsafe"
)

// flag is the smallest Waitable: ready once set. Tests set it only from timer callbacks
// or before a task could wait on it.
type flag struct {
	id  int64
	set bool
}

//go:norace
func (f *flag) Ready() bool { return f.set }

// raise sets the flag, declaring the happens-before edge a real event would.
//
//go:norace
func (f *flag) raise() {
	RaceRelease(unsafe.Pointer(f))
	f.set = true
}

// await blocks on the flag and takes the edge raise declared.
func (f *flag) await(s *Sched) {
	s.Wait(f)
	RaceAcquire(unsafe.Pointer(f))
}

func (f *flag) WaitID() int64 { return f.id }

// Waiters is nil: tests set flags directly, so the scheduler polls them.
func (f *flag) Waiters() *WaitList { return nil }

//go:norace
func (f *flag) Describe() string { return "flag" }

func batons() []Baton { return []Baton{BatonCoroutine, BatonChannel} }

// TestInterleavingCompletes checks the basic contract: tasks run to completion, every
// decision is counted, and a blocked task wakes when its waitable becomes ready.
func TestInterleavingCompletes(t *testing.T) {
	for _, b := range batons() {
		s := New(Options{Seed: 7, Strategy: Strategy{Kind: Random}, Baton: b})
		var order []string
		f := &flag{id: s.NewID()}
		v := s.Run(func() {
			s.Go("waiter", func() {
				f.await(s)
				order = append(order, "woke")
			})
			for i := 0; i < 5; i++ {
				s.Point()
			}
			order = append(order, "set")
			f.raise()
		})
		if !v.OK() {
			t.Fatalf("%v: %s", b, v.Report())
		}
		if strings.Join(order, ",") != "set,woke" {
			t.Fatalf("%v: order %v", b, order)
		}
		if v.Steps == 0 || v.Hash == 0 {
			t.Fatalf("%v: steps %d hash %x", b, v.Steps, v.Hash)
		}
	}
}

// TestVirtualTimeJumps checks that a long sleep costs nothing and that timers due at the
// same instant fire in creation order.
func TestVirtualTimeJumps(t *testing.T) {
	s := New(Options{})
	var fired []int
	v := s.Run(func() {
		for i := 0; i < 3; i++ {
			s.AfterFunc(time.Hour, func() { fired = append(fired, i) })
		}
		f := &flag{id: s.NewID()}
		s.AfterFunc(2*time.Hour, func() { f.set = true })
		s.Wait(f)
	})
	if !v.OK() || v.Time != 2*time.Hour {
		t.Fatalf("verdict %v time %v", v.Failure, v.Time)
	}
	if len(fired) != 3 || fired[0] != 0 || fired[1] != 1 || fired[2] != 2 {
		t.Fatalf("fired %v", fired)
	}
}
