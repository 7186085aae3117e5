package simtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/muxsim/muxsim/sim"
)

// Check's tests in the package: they call check with flag values of their own (the real
// flags are global, and tests that set them could not run in parallel) and a recorder in
// place of the test, so that a failure Check reports is something to assert on.

// recorder stands in for a test: it keeps what Check reports instead of failing.
type recorder struct {
	testing.TB // the real test, for the methods Check does not use
	name       string
	mu         sync.Mutex
	errors     []string
	fatals     []string
	logs       []string
}

func record(t testing.TB, name string) *recorder { return &recorder{TB: t, name: name} }

func (r *recorder) Name() string { return r.name }
func (r *recorder) Helper()      {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fatals = append(r.fatals, fmt.Sprintf(format, args...))
}
func (r *recorder) Logf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

// counter is a body in which three tasks add 1 to a count; with racy set, a preemption
// between the read and the write loses an update, which fails the run. runs counts the
// calls.
func counter(racy bool, runs *int) func(rt *sim.Runtime) {
	return func(rt *sim.Runtime) {
		if runs != nil {
			*runs++
		}
		count := 0
		mu := rt.NewMutex("count")
		g := rt.NewGroup("adders")
		for i := range 3 {
			g.Go(fmt.Sprint("adder-", i), func() {
				mu.Lock()
				v := count
				if racy {
					mu.Unlock()
					rt.Yield()
					mu.Lock()
				}
				count = v + 1
				mu.Unlock()
			})
		}
		g.Wait()
		rt.Always(count == 3, fmt.Sprintf("count is %d after 3 adds", count))
	}
}

// firstFailure is the first seed from 1 at which body fails with options o, found without
// simtest, and its verdict.
func firstFailure(t *testing.T, o sim.Options, body func(rt *sim.Runtime)) *sim.Verdict {
	t.Helper()
	for seed := uint64(1); seed <= DefaultSeeds; seed++ {
		o.Seed = seed
		if v := sim.Run(o, body); !v.OK() {
			return v
		}
	}
	t.Fatalf("no seed of 1-%d fails", DefaultSeeds)
	return nil
}

// TestFailureMessage: the message of a failing sweep names the seed at which a sweep
// done by hand first fails, the strategy the portfolio resolves that seed to, the same
// hash and report, and ends with the command that replays that seed and strategy.
func TestFailureMessage(t *testing.T) {
	for _, o := range []sim.Options{{}, {Strategy: sim.Random}, {Strategy: sim.PCTDepth(2)}} {
		want := firstFailure(t, o, counter(true, nil))
		r := record(t, "TestX")
		check(r, Options{Options: o}, settings{}, counter(true, nil))
		if len(r.errors) != 1 || len(r.fatals) != 0 {
			t.Fatalf("strategy %s: want one error, got errors %q fatals %q", o.Strategy, r.errors, r.fatals)
		}
		msg := r.errors[0]
		st := o.Strategy.Resolve(want.Seed)
		for _, s := range []string{
			fmt.Sprintf("simtest: seed %d failed (sweep 1-100, %d seeds passed before it)\n", want.Seed, want.Seed-1),
			fmt.Sprintf("seed=%d strategy=%s hash=%016x", want.Seed, st, want.Hash),
			reportBody(want),
		} {
			if !strings.Contains(msg, s) {
				t.Errorf("strategy %s: the message lacks %q:\n%s", o.Strategy, s, msg)
			}
		}
		replay := fmt.Sprintf("\nreplay: go test %s -run '^TestX$' -count=1 -args -sim.seed=%d -sim.strategy=%s", goTestFlags(), want.Seed, st)
		if !strings.HasSuffix(msg, replay) {
			t.Errorf("strategy %s: the message does not end with %q:\n%s", o.Strategy, replay, msg)
		}
	}
}

// goTestFlags is what the replay command puts between go test and -run in this build.
func goTestFlags() string {
	if raceNote() != "" {
		return "-race " + packageDir()
	}
	return packageDir()
}

// TestFailures: Options.Failures reports that many failing seeds, each in its own error,
// and then stops.
func TestFailures(t *testing.T) {
	runs := 0
	r := record(t, "TestX")
	check(r, Options{Failures: 3, Options: sim.Options{Strategy: sim.Random}}, settings{}, counter(true, &runs))
	if len(r.errors) != 3 {
		t.Fatalf("want 3 errors, got %d: %q", len(r.errors), r.errors)
	}
	seen := map[string]bool{}
	for _, e := range r.errors {
		first, _, _ := strings.Cut(e, "\n")
		seen[first] = true
	}
	if len(seen) != 3 {
		t.Errorf("want 3 different seeds, got the headers %v", seen)
	}
	if runs >= DefaultSeeds {
		t.Errorf("the sweep ran all %d seeds; it should stop at the third failure", runs)
	}
}

// TestDefaultBudget: the zero Options sweep DefaultSeeds seeds, once each, and a passing
// sweep reports nothing.
func TestDefaultBudget(t *testing.T) {
	runs := 0
	r := record(t, "TestX")
	check(r, Options{}, settings{}, counter(false, &runs))
	if runs != DefaultSeeds || len(r.errors)+len(r.fatals)+len(r.logs) != 0 {
		t.Errorf("want %d quiet runs, got %d runs, errors %q fatals %q logs %q", DefaultSeeds, runs, r.errors, r.fatals, r.logs)
	}
}

// TestFlagsOverrideOptions: each flag replaces what the options say.
func TestFlagsOverrideOptions(t *testing.T) {
	t.Run("seeds", func(t *testing.T) {
		runs := 0
		r := record(t, "TestX")
		check(r, Options{Seeds: 10}, settings{seeds: "3-5,9"}, counter(false, &runs))
		if runs != 4 {
			t.Errorf("-sim.seeds=3-5,9 over Seeds: 10 ran %d seeds, want 4", runs)
		}
	})
	t.Run("seed and strategy", func(t *testing.T) {
		runs := 0
		r := record(t, "TestX")
		check(r, Options{Seeds: 10, Options: sim.Options{Strategy: sim.PCTDepth(3)}},
			settings{seed: "42", strategy: "random", verbose: true}, counter(false, &runs))
		if runs != 1 || len(r.logs) != 1 || !strings.HasPrefix(r.logs[0], "simtest: seed=42 strategy=random ok=true") {
			t.Errorf("-sim.seed=42 -sim.strategy=random: %d runs, logs %q", runs, r.logs)
		}
	})
	t.Run("verbose", func(t *testing.T) {
		r := record(t, "TestX")
		check(r, Options{Seeds: 7}, settings{verbose: true}, counter(false, nil))
		if len(r.logs) != 7 {
			t.Errorf("-sim.v logged %d lines for 7 seeds: %q", len(r.logs), r.logs)
		}
	})
	t.Run("pct keeps the step estimate", func(t *testing.T) {
		p, err := newPlan(Options{Options: sim.Options{Strategy: sim.Strategy{Kind: sim.PortfolioKind, Steps: 40}}}, settings{strategy: "pct2"})
		if st := p.opts.Strategy; err != nil || st.Kind != sim.PCTKind || st.Depth != 2 || st.Steps != 40 {
			t.Errorf("-sim.strategy=pct2 over a portfolio with Steps 40: %+v, %v", p.opts.Strategy, err)
		}
	})
}

// TestBadFlags: a bad flag value fails the test, with t.Fatalf, with a message that names
// the flag, and runs nothing.
func TestBadFlags(t *testing.T) {
	for _, tc := range []struct {
		fl   settings
		want string
	}{
		{settings{seeds: "1-x"}, "-sim.seeds"},
		{settings{seeds: "5-1"}, "runs backwards"},
		{settings{seeds: "1,,2"}, "empty element"},
		{settings{seeds: "0-200000000"}, "more than"},
		{settings{seed: "-3"}, "-sim.seed"},
		{settings{seed: "1", seeds: "1-2"}, "one or the other"},
		{settings{strategy: "pct99"}, "-sim.strategy"},
		{settings{strategy: "fastest"}, "-sim.strategy"},
		{settings{replay: "/nonexistent/x.decisions"}, "-sim.replay"},
		{settings{replay: "x.decisions", seed: "3"}, "drop -sim.seed"},
	} {
		runs := 0
		r := record(t, "TestX")
		check(r, Options{}, tc.fl, counter(false, &runs))
		if len(r.fatals) != 1 || !strings.Contains(r.fatals[0], tc.want) || runs != 0 {
			t.Errorf("%+v: want one fatal naming %q and no run, got fatals %q after %d runs", tc.fl, tc.want, r.fatals, runs)
		}
	}
}

// TestRunPattern: the -run pattern of a subtest anchors and quotes each element, so it
// selects that subtest alone.
func TestRunPattern(t *testing.T) {
	for name, want := range map[string]string{
		"TestX":                        "'^TestX$'",
		"TestX/lost_update_(3_adders)": `'^TestX$/^lost_update_\(3_adders\)$'`,
		"TestX/it's":                   `'^TestX$/^it'\''s$'`,
		"TestX/a.b#01":                 `'^TestX$/^a\.b#01$'`,
	} {
		if got := shellQuote(runPattern(name)); got != want {
			t.Errorf("pattern for %q: %s, want %s", name, got, want)
		}
	}
}

// TestArtifacts: with -sim.trace and -sim.out, a failure writes its trace and a bundle
// whose report names the failing run's hash, and the message says where they are.
func TestArtifacts(t *testing.T) {
	dir := t.TempDir()
	tracePath := filepath.Join(dir, "run.html")
	o := sim.Options{Strategy: sim.Random}
	want := firstFailure(t, o, counter(true, nil))
	r := record(t, "TestX/sub")
	check(r, Options{Options: o}, settings{trace: tracePath, out: filepath.Join(dir, "out")}, counter(true, nil))
	if len(r.errors) != 1 {
		t.Fatalf("want one error, got %q", r.errors)
	}
	base := filepath.Join(dir, "out", fmt.Sprintf("TestX-sub-seed%d", want.Seed))
	for _, path := range []string{tracePath, base + ".txt", base + ".decisions", base + ".html", base + ".jsonl"} {
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%v", err)
		}
	}
	if !strings.Contains(r.errors[0], "trace: "+tracePath) || !strings.Contains(r.errors[0], "bundle: "+base+".txt") {
		t.Errorf("the message does not name the trace and the bundle:\n%s", r.errors[0])
	}
	txt, err := os.ReadFile(base + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{fmt.Sprintf("hash=%016x", want.Hash), "-sim.seed=" + fmt.Sprint(want.Seed), want.Failure.String()} {
		if !strings.Contains(string(txt), s) {
			t.Errorf("the bundle lacks %q:\n%s", s, txt)
		}
	}
}

// TestReplayDecisions: the decisions file of a bundle replays the failure, -sim.replay
// runs that one schedule with the same hash, and its failure's replay command names the
// file.
func TestReplayDecisions(t *testing.T) {
	dir := t.TempDir()
	want := firstFailure(t, sim.Options{}, counter(true, nil))
	check(record(t, "TestX"), Options{}, settings{out: dir}, counter(true, nil))
	path := filepath.Join(dir, fmt.Sprintf("TestX-seed%d.decisions", want.Seed))
	runs := 0
	r := record(t, "TestX")
	check(r, Options{}, settings{replay: path}, counter(true, &runs))
	if runs != 1 || len(r.errors) != 1 {
		t.Fatalf("-sim.replay: want one failing run, got %d runs and errors %q", runs, r.errors)
	}
	for _, s := range []string{fmt.Sprintf("seed=%d strategy=replay", want.Seed), fmt.Sprintf(" hash=%016x ", want.Hash),
		"-sim.replay='" + path + "'"} {
		if !strings.Contains(r.errors[0], s) {
			t.Errorf("the replay's failure lacks %q:\n%s", s, r.errors[0])
		}
	}
}

// TestReplayNoticesAChangedRun: a decisions file records the hash of its run, so a
// replay that takes another schedule (here: a decision edited by hand, as a code change
// would shift one) says so instead of passing off another run as the recorded one.
func TestReplayNoticesAChangedRun(t *testing.T) {
	dir := t.TempDir()
	want := firstFailure(t, sim.Options{}, counter(true, nil))
	check(record(t, "TestX"), Options{}, settings{out: dir}, counter(true, nil))
	path := filepath.Join(dir, fmt.Sprintf("TestX-seed%d.decisions", want.Seed))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	lines = append(lines, "3 3 3 3 3 3") // decisions past the recorded ones change the schedule
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := record(t, "TestX")
	check(r, Options{}, settings{replay: path}, counter(true, nil))
	if len(r.errors) == 0 || !strings.Contains(strings.Join(r.errors, "\n"), "no longer replays the run it recorded") {
		t.Fatalf("an edited decisions file replayed without a word: errors %q", r.errors)
	}
}
