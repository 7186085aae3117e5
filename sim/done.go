package sim

import "github.com/muxsim/muxsim/scheduler"

// DoneCase is the select case "<-done" for a close-only channel that was not made by the
// runtime (a context's Done, a channel from code that is not simulated): it is ready once
// done is closed. Under simulation the scheduler polls it at every decision, which is
// deterministic as long as only tasks and timer callbacks close it; what names the case
// in deadlock reports. A nil done is never ready, as a nil channel.
func DoneCase(done <-chan struct{}, what string) Waitable {
	return &doneCase{ch: done, w: scheduler.ChanWaitable(done, 0, what)}
}

type doneCase struct {
	ch <-chan struct{}
	w  scheduler.Waitable
}

func (d *doneCase) waitChan() <-chan struct{}    { return d.ch }
func (d *doneCase) waitable() scheduler.Waitable { return d.w }
func (d *doneCase) taken()                       {}
