package simtest

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/internal/runfile"
)

// Check runs body under the simulator once per seed of the sweep and fails t, with
// t.Errorf, for each failing seed up to Options.Failures; the message gives the seed,
// the concrete strategy, the trace hash, the verdict's report and the go test command
// that replays the run. After a passing sweep it logs the Sometimes sites whose
// condition never held (fails t for them with Options.RequireSometimes). The flags
// -sim.seeds, -sim.seed, -sim.strategy, -sim.replay, -sim.trace, -sim.out and -sim.v
// override the options (see the package doc); a bad flag value fails t with t.Fatalf.
//
// Call Check from the test's goroutine. body runs as the main task of each run: it must
// not call t's methods (state invariants with rt.Always). Tests that call Check may run
// in parallel.
func Check(t testing.TB, opts Options, body func(rt *sim.Runtime)) {
	t.Helper()
	check(t, opts, flagSettings(), body)
}

// check is Check with the flags' values given.
func check(t testing.TB, opts Options, fl settings, body func(rt *sim.Runtime)) {
	t.Helper()
	p, err := newPlan(opts, fl)
	if err != nil {
		t.Fatalf("simtest: %v", err)
		return
	}
	if p.single {
		p.replay(t, body)
		return
	}
	p.sweep(t, body)
}

// sweep runs every seed of the plan, in order, until the plan's number of failures.
func (p *plan) sweep(t testing.TB, body func(rt *sim.Runtime)) {
	t.Helper()
	o := p.opts.Options
	if o.Coverage == nil {
		o.Coverage = &sim.Coverage{}
	}
	// The loop is written out rather than given to an iterator as a callback, so that
	// t.Helper covers the failure line.
	ran, failed := 0, 0
sweep:
	for _, sp := range p.seeds {
		for seed := sp.Lo; ; seed++ {
			o.Seed = seed
			v := sim.Run(o, body)
			ran++
			if p.verbose {
				t.Logf("simtest: %s", verdictLine(v))
			}
			if !v.OK() {
				failed++
				t.Errorf("%s", p.failure(t.Name(), body, v, ran-failed))
				if failed == p.failures {
					break sweep
				}
			}
			if seed == sp.Hi {
				break
			}
		}
	}
	if failed == 0 {
		if p.trace != "" {
			t.Logf("simtest: no seed failed, so -sim.trace wrote nothing: add -sim.seed=N to trace a passing run")
		}
		p.sometimes(t, o.Coverage, ran)
	}
}

// replay runs the one seed of -sim.seed or -sim.replay, with its event log when it is to
// be traced.
func (p *plan) replay(t testing.TB, body func(rt *sim.Runtime)) {
	t.Helper()
	o := p.opts.Options
	o.Seed = p.seeds[0].Lo
	o.Log = o.Log || p.trace != ""
	v := sim.Run(o, body)
	if p.wantHash != 0 && v.Hash != p.wantHash {
		t.Errorf("simtest: %s no longer replays the run it recorded: hash %016x, the file says %016x "+
			"(the code or the test changed since it was written)", p.script, v.Hash, p.wantHash)
	}
	if !v.OK() {
		t.Errorf("%s", p.failure(t.Name(), body, v, 0))
		return
	}
	t.Logf("simtest: %s", verdictLine(v))
	if p.trace != "" {
		if err := runfile.WriteTrace(p.trace, v); err != nil {
			t.Errorf("simtest: seed %d passed; writing its trace: %v", v.Seed, err)
			return
		}
		t.Logf("simtest: trace of seed %d written to %s", v.Seed, absPath(p.trace))
	}
}

// failure renders a failed run for the test log: a header with the run's identity, the
// verdict's report, the files written for it, and last the replay command. passed is the
// number of seeds that passed before it in a sweep.
func (p *plan) failure(name string, body func(rt *sim.Runtime), v *sim.Verdict, passed int) string {
	var b strings.Builder
	if p.single {
		fmt.Fprintf(&b, "simtest: seed %d failed\n", v.Seed)
	} else {
		fmt.Fprintf(&b, "simtest: seed %d failed (sweep %s, %d seeds passed before it)\n", v.Seed, runfile.FormatSeeds(p.seeds), passed)
	}
	fmt.Fprintf(&b, "seed=%d strategy=%s hash=%016x steps=%d vtime=%v\n", v.Seed, v.Strategy, v.Hash, v.Steps, v.Time)
	b.WriteString(reportBody(v))
	if p.trace != "" || p.out != "" {
		b.WriteString(p.artifacts(name, body, v))
	}
	fmt.Fprintf(&b, "replay: %s", p.replayCommand(name, v))
	return b.String()
}

// reportBody is the verdict's report without the seed and strategy its first line opens
// with: the header above it says them already.
func reportBody(v *sim.Verdict) string {
	return strings.TrimPrefix(v.Report(), fmt.Sprintf("seed=%d strategy=%s: ", v.Seed, v.Strategy))
}

// artifacts writes the trace (of the first failure only: -sim.trace names one file) and
// the bundle of failed run v, rerun with its event log, and says where they are.
func (p *plan) artifacts(name string, body func(rt *sim.Runtime), v *sim.Verdict) string {
	var b strings.Builder
	again, faults := rerun(p.opts.Options, body, v.Seed)
	if again.Hash != v.Hash {
		fmt.Fprintf(&b, "WARNING: the rerun with its event log gave hash %016x, not %016x: the run is not reproducible\n", again.Hash, v.Hash)
	}
	if p.trace != "" {
		if err := runfile.WriteTrace(p.trace, again); err != nil {
			fmt.Fprintf(&b, "trace: %v\n", err)
		} else {
			fmt.Fprintf(&b, "trace: %s\n", absPath(p.trace))
		}
		p.trace = ""
	}
	if p.out != "" {
		path, err := writeBundle(p.out, bundle{name: name, seeds: p.seeds, single: p.single,
			asked: p.opts.Strategy, verdict: again, faults: faults, replay: p.replayCommand(name, v)})
		if err != nil {
			fmt.Fprintf(&b, "bundle: %v\n", err)
		} else {
			fmt.Fprintf(&b, "bundle: %s\n", absPath(path))
		}
	}
	return b.String()
}

// rerun runs seed again with its event log, decisions and fault log, for traces and
// bundles.
func rerun(o sim.Options, body func(rt *sim.Runtime), seed uint64) (*sim.Verdict, *sim.FaultLog) {
	o.Seed, o.Log, o.Record, o.Coverage, o.FaultLog = seed, true, true, nil, &sim.FaultLog{}
	return sim.Run(o, body), o.FaultLog
}

// verdictLine is a run's one-line summary, in simrun's format.
func verdictLine(v *sim.Verdict) string {
	s := fmt.Sprintf("seed=%d strategy=%s ok=%t steps=%d vtime=%v hash=%016x", v.Seed, v.Strategy, v.OK(), v.Steps, v.Time, v.Hash)
	if v.Failure != nil {
		s += " failure=" + v.Failure.Kind.String()
	}
	return s
}

// absPath says where a file the test wrote is: relative paths in flags are relative to
// the package's directory, where go test runs the test binary.
func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}
