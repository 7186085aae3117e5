package gort

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
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
	TempDir() string
	Setenv(key, value string)
}

// T is testing.T for a test run under the scheduler, from any task: Error and Errorf
// record a failure that fails the run when the test function returns; Fatal, Fatalf and
// FailNow fail the run at once, at their step (an assertion verdict with their message),
// whichever task calls them; Skip ends the test as passed. Log output is kept for -v. As
// Go's, a test is done once its function and cleanups have returned: a Log after that
// goes to the nearest parent still running, or panics ("Log in goroutine after TestX has
// completed") when none is, and a Fail (Error, Fatal...) panics. Its lock is a real
// mutex, whose edges are the ones Go's testing.T makes between calls.
type T struct {
	//simvet:allow sync testing.T's own lock: its edges are Go's, and no call blocks while holding it
	mu       sync.Mutex
	name     string
	failed   bool
	skipped  bool
	skipping bool // SkipNow is unwinding the test function
	done     bool // the test function and its cleanups have returned
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
func (t *T) Log(args ...any) { t.log(site(1)+": "+sprintln(args), false) }

// Logf is testing.T.Logf.
func (t *T) Logf(format string, args ...any) {
	t.log(site(1)+": "+fmt.Sprintf(format, args...), false)
}

// log keeps a line of output (and, for an error, of the failure message) in the test or,
// once it is done, in its nearest parent still running; with none, it panics as Go's.
func (t *T) log(line string, isErr bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	to := t
	if t.done {
		to = nil
		for u := t.parent; u != nil && to == nil; u = u.parent {
			u.mu.Lock()
			defer u.mu.Unlock()
			if !u.done {
				to = u
			}
		}
		if to == nil {
			panic("Log in goroutine after " + t.name + " has completed: " + line)
		}
	}
	to.logs = append(to.logs, line)
	if isErr {
		to.errs = append(to.errs, line)
	}
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

// Fail is testing.T.Fail; it panics once the test is done, as Go's.
func (t *T) Fail() {
	if t.parent != nil {
		t.parent.Fail()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		panic("Fail in goroutine after " + t.name + " has completed")
	}
	t.failed = true
}

// FailNow is testing.T.FailNow: it ends the run with an assertion verdict.
func (t *T) FailNow() {
	t.Fail()
	rt().Fail(t.message())
}

// Failed is testing.T.Failed.
func (t *T) Failed() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.failed
}

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
	t.mu.Lock()
	t.skipped, t.skipping = true, true
	t.mu.Unlock()
	panic(skipSignal{})
}

type skipSignal struct{}

// Skipped is testing.T.Skipped.
func (t *T) Skipped() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.skipped
}

// Cleanup is testing.T.Cleanup.
func (t *T) Cleanup(f func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cleanups = append(t.cleanups, f)
}

// TempDir is testing.T.TempDir: a new directory of the host's, removed when the test
// and its cleanups are done.
func (t *T) TempDir() string {
	dir, err := os.MkdirTemp("", "gort-"+strings.ReplaceAll(t.name, "/", "_")+"-")
	if err != nil {
		t.Fatalf("TempDir: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// Setenv is testing.T.Setenv: the variable is set for the process and restored when the
// test and its cleanups are done.
func (t *T) Setenv(key, value string) {
	prev, had := os.LookupEnv(key)
	if err := os.Setenv(key, value); err != nil {
		t.Fatalf("Setenv: %v", err)
	}
	t.Cleanup(func() {
		if had {
			os.Setenv(key, prev)
		} else {
			os.Unsetenv(key)
		}
	})
}

// Deadline is testing.T.Deadline: a simulated test has none.
func (t *T) Deadline() (time.Time, bool) { return time.Time{}, false }

// Context is testing.T.Context.
func (t *T) Context() context.Context { return context.Background() }

// Run is testing.T.Run: the subtest runs to its end before Run returns, in the calling
// task (Go runs it in a goroutine and waits for it, which the schedule cannot tell apart).
func (t *T) Run(name string, f func(t *T)) bool {
	sub := &T{name: t.name + "/" + name, parent: t}
	runTest(sub, f)
	sub.mu.Lock()
	logs := sub.logs
	sub.mu.Unlock()
	t.mu.Lock()
	t.logs = append(t.logs, logs...) // as go test prints a subtest's output in its parent's
	t.mu.Unlock()
	return !sub.Failed()
}

// runTest calls f(t), then t's cleanups, stopping a SkipNow's unwinding, and marks t
// done. It recovers only its own signal, so that any other panic keeps its stack for the
// verdict.
func runTest(t *T, f func(*T)) {
	defer func() {
		t.mu.Lock()
		t.done = true
		t.mu.Unlock()
	}()
	defer func() {
		t.mu.Lock()
		cs := t.cleanups
		t.mu.Unlock()
		for i := len(cs) - 1; i >= 0; i-- {
			cs[i]()
		}
	}()
	defer func() {
		t.mu.Lock()
		skipping := t.skipping
		t.skipping = false
		t.mu.Unlock()
		if skipping {
			recover()
		}
	}()
	f(t)
}

func (t *T) record(at, msg string) {
	t.log(at+": "+msg, true)
	t.Fail()
}

// message is the failure's text: the test's name and each error.
func (t *T) message() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return "test " + t.name + " failed: " + strings.Join(t.errs, "; ")
}

func sprintln(args []any) string { return strings.TrimSuffix(fmt.Sprintln(args...), "\n") }
