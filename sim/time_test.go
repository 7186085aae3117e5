package sim

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// TestTimerReset checks time.Timer.Reset's contract on both runtimes: the result says
// whether the timer was active, and a reset timer fires again, after the new duration.
func TestTimerReset(t *testing.T) {
	both(t, func(rt *Runtime) error {
		bg := context.Background()
		start := rt.Now()
		tm := rt.NewTimer(time.Hour)
		if !tm.Reset(10 * time.Millisecond) {
			return errors.New("Reset of an active timer reported it inactive")
		}
		if err := rt.Wait(bg, tm.C()); err != nil {
			return err
		}
		if d := rt.Since(start); d < 10*time.Millisecond || d >= time.Hour {
			return fmt.Errorf("reset timer fired after %v", d)
		}
		if tm.Reset(5 * time.Millisecond) {
			return errors.New("Reset of an expired timer reported it active")
		}
		if err := notYet(rt, tm.C(), "the re-armed timer's event had fired already"); err != nil {
			return err
		}
		if err := rt.Wait(bg, tm.C()); err != nil {
			return err
		}
		if tm.Stop() {
			return errors.New("Stop of an expired timer reported it stopped it")
		}
		stopped := rt.NewTimer(time.Hour)
		stopped.Stop()
		if stopped.Reset(time.Millisecond) {
			return errors.New("Reset of a stopped timer reported it active")
		}
		if err := rt.Wait(bg, stopped.C()); err != nil {
			return err
		}
		// An AfterFunc timer calls its function again after a Reset.
		calls := rt.NewNotify("calls")
		af := rt.AfterFunc(time.Millisecond, calls.Notify)
		if err := rt.Wait(bg, calls); err != nil {
			return err
		}
		if af.Reset(time.Millisecond) {
			return errors.New("Reset of a fired AfterFunc reported it active")
		}
		return rt.Wait(bg, calls)
	})
}
