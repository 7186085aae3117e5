package scheduler

import "fmt"

// checkRace fails the run when the race detector has reported a data race since the run
// started (only in a binary built with -race, where the race-preserving baton lets it see
// the tasks' real happens-before edges): at the step after the task that t was, or at the
// end of the run when t is nil (a race in a timer callback or in the last step). The
// count is the process's: runs in parallel in one process each see the others' races.
//
//go:norace
func (s *Sched) checkRace(t *Task) {
	if !RaceEnabled || s.failure != nil {
		return
	}
	n := RaceErrors()
	if n <= s.races {
		return
	}
	msg := fmt.Sprintf("the race detector reported %s", plural(n-s.races, "data race"))
	if t != nil {
		msg += fmt.Sprintf(" while task %d %q ran", t.id, t.name)
	}
	s.fail(FailRace, msg, nil, raceReport())
}

// plural is "1 data race" or "n data races".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
