package gort

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// TB is the part of testing.TB that translated tests use.
type TB interface {
	Name() string
	Helper()
	Log(args ...any)
	Logf(format string, args ...any)
	Error(args ...any)
	Errorf(format string, args ...any)
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	Fail()
	FailNow()
	Failed() bool
	Skip(args ...any)
	Skipf(format string, args ...any)
	SkipNow()
	Skipped() bool
	Cleanup(f func())
}

// T is testing.T for a test run under the scheduler, from any task: Error and Errorf
// record a failure that fails the run when the test function returns; Fatal, Fatalf and
// FailNow fail the run at once, at their step (an assertion verdict with their message),
// whichever task calls them; Skip ends the test as passed. Log output is kept for -v.
type T struct {
	name     string
	failed   bool
	skipped  bool
	skipping bool // SkipNow is unwinding the test function
	errs     []string
	logs     []string
	cleanups []func()
	parent   *T
}

var _ TB = (*T)(nil)

// Name is testing.T.Name.
func (t *T) Name() string { return t.name }

// Helper is testing.T.Helper; it does nothing.
func (t *T) Helper() {}

// Parallel is testing.T.Parallel; a simulated test runs alone, so it does nothing.
func (t *T) Parallel() {}

// Log is testing.T.Log.
func (t *T) Log(args ...any) { t.logs = append(t.logs, site(1)+": "+sprintln(args)) }

// Logf is testing.T.Logf.
func (t *T) Logf(format string, args ...any) {
	t.logs = append(t.logs, site(1)+": "+fmt.Sprintf(format, args...))
}

// Error is testing.T.Error.
func (t *T) Error(args ...any) { t.record(site(1), sprintln(args)) }

// Errorf is testing.T.Errorf.
func (t *T) Errorf(format string, args ...any) { t.record(site(1), fmt.Sprintf(format, args...)) }

// Fatal is testing.T.Fatal.
func (t *T) Fatal(args ...any) {
	t.record(site(1), sprintln(args))
	t.FailNow()
}

// Fatalf is testing.T.Fatalf.
func (t *T) Fatalf(format string, args ...any) {
	t.record(site(1), fmt.Sprintf(format, args...))
	t.FailNow()
}

// Fail is testing.T.Fail.
func (t *T) Fail() {
	for u := t; u != nil; u = u.parent {
		u.failed = true
	}
}

// FailNow is testing.T.FailNow: it ends the run with an assertion verdict.
func (t *T) FailNow() {
	t.Fail()
	rt().Fail(t.message())
}

// Failed is testing.T.Failed.
func (t *T) Failed() bool { return t.failed }

// Skip is testing.T.Skip.
func (t *T) Skip(args ...any) {
	t.Log(args...)
	t.SkipNow()
}

// Skipf is testing.T.Skipf.
func (t *T) Skipf(format string, args ...any) {
	t.Logf(format, args...)
	t.SkipNow()
}

// SkipNow is testing.T.SkipNow: called from the test's own task, it ends the test.
func (t *T) SkipNow() {
	t.skipped, t.skipping = true, true
	panic(skipSignal{})
}

type skipSignal struct{}

// Skipped is testing.T.Skipped.
func (t *T) Skipped() bool { return t.skipped }

// Cleanup is testing.T.Cleanup.
func (t *T) Cleanup(f func()) { t.cleanups = append(t.cleanups, f) }

// Deadline is testing.T.Deadline: a simulated test has none.
func (t *T) Deadline() (time.Time, bool) { return time.Time{}, false }

// Context is testing.T.Context.
func (t *T) Context() context.Context { return context.Background() }

// Run is testing.T.Run: the subtest runs to its end before Run returns, in the calling
// task (Go runs it in a goroutine and waits for it, which the schedule cannot tell apart).
func (t *T) Run(name string, f func(t *T)) bool {
	sub := &T{name: t.name + "/" + name, parent: t}
	runTest(sub, f)
	return !sub.failed
}

// runTest calls f(t), then t's cleanups, stopping a SkipNow's unwinding. It recovers only
// its own signal, so that any other panic keeps its stack for the verdict.
func runTest(t *T, f func(*T)) {
	defer func() {
		for i := len(t.cleanups) - 1; i >= 0; i-- {
			t.cleanups[i]()
		}
	}()
	defer func() {
		if t.skipping {
			t.skipping = false
			recover()
		}
	}()
	f(t)
}

func (t *T) record(at, msg string) {
	t.errs = append(t.errs, at+": "+msg)
	t.Fail()
}

// message is the failure's text: the test's name and each error.
func (t *T) message() string {
	return "test " + t.name + " failed: " + strings.Join(t.errs, "; ")
}

func sprintln(args []any) string { return strings.TrimSuffix(fmt.Sprintln(args...), "\n") }
