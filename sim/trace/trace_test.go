package trace

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/muxsim/muxsim/scenarios"
	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
)

// run runs a scenario with every event logged.
func run(t *testing.T, name string, seed uint64, kind scheduler.StrategyKind) *scheduler.Verdict {
	t.Helper()
	sc := scenarios.Lookup(name)
	if sc == nil {
		t.Fatalf("no scenario %q", name)
	}
	o := sim.Options{Seed: seed, Log: true}
	o.Strategy.Kind = kind
	return sc.Run(scenarios.RunOptions{Options: o})
}

// mixed is a passing run with frames in both directions.
func mixed(t *testing.T) *scheduler.Verdict {
	t.Helper()
	v := run(t, "mux-mixed", 3, scheduler.Portfolio)
	if !v.OK() {
		t.Fatalf("mux-mixed seed 3 failed: %v", v.Failure)
	}
	return v
}

// failing is a failed run of the lost-update canary: the first seed of 1-20 that fails.
func failing(t *testing.T) *scheduler.Verdict {
	t.Helper()
	for seed := uint64(1); seed <= 20; seed++ {
		if v := run(t, "canary-lost-update", seed, scheduler.Random); !v.OK() {
			return v
		}
	}
	t.Fatal("canary-lost-update passed for seeds 1-20 with strategy random")
	return nil
}

// deadlocked is a run of the lock-order canary that deadlocks: the failure belongs to the
// scheduler (task 0), not to a task. It is the first seed of 1-50 that deadlocks.
func deadlocked(t *testing.T) *scheduler.Verdict {
	t.Helper()
	for seed := uint64(1); seed <= 50; seed++ {
		v := run(t, "canary-lock-order", seed, scheduler.Random)
		if !v.OK() && v.Failure.Kind == scheduler.FailDeadlock {
			return v
		}
	}
	t.Fatal("canary-lock-order did not deadlock for seeds 1-50 with strategy random")
	return nil
}

// synthetic builds a verdict from events, numbering them.
func synthetic(names []string, evs ...scheduler.Event) *scheduler.Verdict {
	for i := range evs {
		evs[i].Seq = uint64(i + 1)
	}
	v := &scheduler.Verdict{Seed: 7, Names: names, Events: evs, Hash: 0xab}
	if n := len(evs); n > 0 {
		v.Steps, v.Time = evs[n-1].Step, evs[n-1].Time
	}
	return v
}

func ev(kind scheduler.EventKind, task scheduler.TaskID, step uint64, text string) scheduler.Event {
	return scheduler.Event{Kind: kind, Task: task, Step: step, Text: text}
}

// TestJSONL checks the JSON-lines format on a passing and a failing run: one valid object
// per event in order, then the verdict line.
func TestJSONL(t *testing.T) {
	for _, v := range []*scheduler.Verdict{mixed(t), failing(t), deadlocked(t)} {
		var buf bytes.Buffer
		if err := WriteJSONL(&buf, v); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
		if len(lines) != len(v.Events)+1 {
			t.Fatalf("%d lines for %d events, want events+1", len(lines), len(v.Events))
		}
		var prev jsonEvent
		for i, line := range lines[:len(lines)-1] {
			var e jsonEvent
			if err := json.Unmarshal([]byte(line), &e); err != nil {
				t.Fatalf("line %d: %v: %s", i+1, err, line)
			}
			if e.Seq != uint64(i+1) || e.Step < prev.Step || e.Kind == "" {
				t.Fatalf("line %d out of order or incomplete after %+v: %s", i+1, prev, line)
			}
			prev = e
		}
		var last struct{ Verdict jsonVerdict }
		if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
			t.Fatal(err)
		}
		got := last.Verdict
		if got.Hash != fmt.Sprintf("%016x", v.Hash) || len(got.Hash) != 16 || got.OK != v.OK() || got.Steps != v.Steps || got.Seed != v.Seed {
			t.Fatalf("verdict line %+v does not match the verdict", got)
		}
		if !v.OK() && (got.Failure == nil || got.Failure.Kind != v.Failure.Kind.String() || got.Failure.Step != v.Failure.Step) {
			t.Fatalf("verdict line failure %+v, want %v", got.Failure, v.Failure)
		}
	}
}

// TestChrome checks that the Chrome trace of mux-mixed is JSON with a named thread per
// task, slices that never overlap (one task runs at a time), and paired frame flows.
func TestChrome(t *testing.T) {
	v := mixed(t)
	var buf bytes.Buffer
	if err := WriteChrome(&buf, v); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		TraceEvents []struct {
			Name, Ph string
			TS, Dur  float64
			TID      int32
			ID       int
			Args     map[string]any
		}
		DisplayTimeUnit string
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	threads := map[int32]string{}
	flows := map[int]string{}
	var end int64 // in steps: the format's microseconds times 1000
	for _, e := range doc.TraceEvents {
		switch e.Ph {
		case "M":
			if e.Name == "thread_name" {
				threads[e.TID] = e.Args["name"].(string)
			}
		case "X":
			from, dur := int64(math.Round(e.TS*1000)), int64(math.Round(e.Dur*1000))
			if dur <= 0 || from < end {
				t.Fatalf("slice %s at step %d for %d overlaps the previous one or is empty (ended %d)", e.Name, from, dur, end)
			}
			end = from + dur
		case "s", "f":
			flows[e.ID] += e.Ph
		}
	}
	for id := 1; id <= len(v.Names); id++ {
		if want := fmt.Sprintf("%d %s", id, v.Names[id-1]); threads[int32(id)] != want {
			t.Errorf("thread %d named %q, want %q", id, threads[int32(id)], want)
		}
	}
	if len(flows) == 0 || doc.DisplayTimeUnit != "ns" {
		t.Fatalf("%d flows, displayTimeUnit %q: want frames and ns", len(flows), doc.DisplayTimeUnit)
	}
	for id, phases := range flows {
		if phases != "sf" {
			t.Fatalf("flow %d has phases %q, want one s then one f", id, phases)
		}
	}
}

// TestSpans checks the rule for when a task holds the CPU on a hand-made trace.
func TestSpans(t *testing.T) {
	v := synthetic([]string{"main", "a"},
		ev(scheduler.EvRun, 1, 1, ""),
		ev(scheduler.EvNote, 1, 2, "x"),
		ev(scheduler.EvRun, 1, 3, ""), // chosen again: the same stretch
		ev(scheduler.EvRun, 2, 5, ""), // another task: main's stretch ends at step 5
		ev(scheduler.EvBlock, 2, 5, ""),
		ev(scheduler.EvTimer, 0, 5, ""),
		ev(scheduler.EvNote, 1, 7, "y"), // main resumed without an EvRun
		ev(scheduler.EvExit, 1, 8, ""),
	)
	got := fmt.Sprint(spans(v.Events))
	want := "[{1 1 5 0 2} {2 5 6 3 4} {1 7 9 6 7}]"
	if got != want {
		t.Fatalf("spans %s, want %s", got, want)
	}
	// On real runs, passing, failing in a task and deadlocked, one task runs at a time.
	for _, v := range []*scheduler.Verdict{mixed(t), failing(t), deadlocked(t)} {
		var end uint64
		for _, sp := range spans(v.Events) {
			if sp.From >= sp.To || sp.From < end || sp.First > sp.Last {
				t.Fatalf("seed %d: stretch %+v is empty or overlaps the previous one (ended %d)", v.Seed, sp, end)
			}
			end = sp.To
		}
	}
}

// TestFrames checks that a receive pairs with the oldest matching send of the other side.
func TestFrames(t *testing.T) {
	v := synthetic([]string{"cw", "sr", "sw", "cr"},
		ev(scheduler.EvNote, 1, 1, "client send s1 m1 Invoke 9 done"),
		ev(scheduler.EvNote, 1, 1, "client send s1 m2 Message 5"),
		ev(scheduler.EvNote, 1, 2, "client send s1 m2 Message 5"), // a second frame of m2
		ev(scheduler.EvNote, 2, 3, "server recv s1 m2 Message 5"),
		ev(scheduler.EvNote, 2, 3, "simnet conn client: drop"),
		ev(scheduler.EvNote, 3, 4, "server send s1 m1 Message 3 done"),
		ev(scheduler.EvNote, 4, 5, "client recv s1 m1 Message 3 done"),
		ev(scheduler.EvNote, 2, 6, "server recv s1 m2 Message 5"),
	)
	got := fmt.Sprint(frames(v.Events))
	if want := "[{1 3} {5 6} {2 7}]"; got != want {
		t.Fatalf("frames %s, want %s", got, want)
	}
}

// TestDeterministic checks that two runs of the same seed give the same bytes in every
// format, and that the formats do depend on the run.
func TestDeterministic(t *testing.T) {
	writers := map[string]func(*bytes.Buffer, *scheduler.Verdict) error{
		"jsonl":  func(b *bytes.Buffer, v *scheduler.Verdict) error { return WriteJSONL(b, v) },
		"chrome": func(b *bytes.Buffer, v *scheduler.Verdict) error { return WriteChrome(b, v) },
		"html":   func(b *bytes.Buffer, v *scheduler.Verdict) error { return WriteHTML(b, v) },
	}
	a, b, other := mixed(t), mixed(t), run(t, "mux-mixed", 4, scheduler.Portfolio)
	for name, write := range writers {
		var x, y, z bytes.Buffer
		if err := errors.Join(write(&x, a), write(&y, b), write(&z, other)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x.Bytes(), y.Bytes()) {
			t.Errorf("%s: two runs of seed 3 differ at line %d", name, firstDiffLine(x.Bytes(), y.Bytes()))
		}
		if bytes.Equal(x.Bytes(), z.Bytes()) {
			t.Errorf("%s: seeds 3 and 4 give the same bytes", name)
		}
	}
}

func firstDiffLine(a, b []byte) int {
	sa, sb := bufio.NewScanner(bytes.NewReader(a)), bufio.NewScanner(bytes.NewReader(b))
	sa.Buffer(nil, 1<<24)
	sb.Buffer(nil, 1<<24)
	for n := 1; ; n++ {
		oa, ob := sa.Scan(), sb.Scan()
		if !oa || !ob || sa.Text() != sb.Text() {
			return n
		}
	}
}
