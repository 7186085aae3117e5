package scheduler

import "unsafe"

// watch is a callback waiting for a waitable outside any task: the way a context derived
// from a foreign parent learns, deterministically, that the parent was cancelled.
type watch struct {
	w       Waitable
	fn      func()
	stopped bool
}

// Watch arranges for fn to run at the first decision at which w is ready, in scheduler
// context (fn must not block). It returns a function that cancels the watch and reports
// whether it did so before fn ran.
//
//go:norace
func (s *Sched) Watch(w Waitable, fn func()) (stop func() bool) {
	wt := &watch{w: w, fn: fn}
	s.watches = append(s.watches, wt)
	RaceRelease(unsafe.Pointer(wt)) // registering happens before fn runs
	return func() bool {
		if wt.stopped {
			return false
		}
		wt.stopped = true
		return true
	}
}

// pollWatches runs the callbacks of ready watches, in the order they were registered,
// with no task current so that what they call does not park.
//
//go:norace
func (s *Sched) pollWatches() {
	cur := s.cur
	s.cur = nil
	for i := 0; i < len(s.watches); {
		wt := s.watches[i]
		if !wt.stopped && !wt.w.Ready() {
			i++
			continue
		}
		for j := i; j+1 < len(s.watches); j++ {
			s.watches[j] = s.watches[j+1]
		}
		s.watches[len(s.watches)-1] = nil
		s.watches = s.watches[:len(s.watches)-1]
		if !wt.stopped {
			wt.stopped = true
			RaceAcquire(unsafe.Pointer(wt))
			wt.fn()
		}
	}
	s.cur = cur
}
