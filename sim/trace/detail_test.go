package trace

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/muxsim/muxsim/scenarios"
	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
)

// TestHTMLDeadlockModel checks what the page of canary-lock-order's deadlock says beyond
// who ran when: the two mutexes, each held by one of the two tasks and waited on by the
// other, as the text report says; block marks that name the object and its holder; lanes
// with spawn sites; the live tasks; and an event list with a row per event and per
// acquire and release. Method: build the drawing and compare it with the verdict's own
// task list, which the scheduler writes from the objects' state at the end.
func TestHTMLDeadlockModel(t *testing.T) {
	v := deadlocked(t)
	d := drawing(v, v.Events)
	replay := fmt.Sprintf("go run ./cmd/simrun -canaries -scenario canary-lock-order -seed %d -strategy %s", v.Seed, v.Strategy)

	holders := make(map[string]string) // mutex -> holder, from the page's table
	for _, l := range d.Locks {
		holders[l.Object] = l.Holder
		if len(l.Waiters) != 1 || l.Waiters[0] == l.Holder {
			t.Errorf("mutex %s held by %s has waiters %q, want the other task\n%s", l.Object, l.Holder, l.Waiters, replay)
		}
	}
	for _, ti := range v.Tasks {
		// "mutex "b"#2 held by task 3 "ba"": what the text report says.
		what, holder, ok := strings.Cut(ti.Waiting, " held by ")
		if !ok {
			continue
		}
		if got := holders[what]; got != holder {
			t.Errorf("page says %s is held by %q; the report says %q\n%s", what, got, holder, replay)
		}
		delete(holders, what)
	}
	if len(d.Locks) < 2 || !hasObject(d.Locks, `mutex "a"`) || !hasObject(d.Locks, `mutex "b"`) || len(holders) != len(d.Locks)-2 {
		t.Fatalf("page's held mutexes %+v, want both \"a\" and \"b\" with the report's holders\n%s", d.Locks, replay)
	}

	if len(d.Tasks) != len(v.Tasks) {
		t.Fatalf("page lists %d live tasks, the verdict %d", len(d.Tasks), len(v.Tasks))
	}
	for _, pt := range d.Tasks {
		if pt.Name != "main" && (pt.State != "blocked" || !strings.Contains(pt.Waiting, "held by") || len(pt.Holds) != 1 || pt.At == "") {
			t.Errorf("live task %+v: want blocked on a held mutex, holding one, with a file:line", pt)
		}
	}

	stuck := 0
	for _, m := range d.Marks {
		if m.K == "block" && m.E {
			stuck++
			if strings.HasPrefix(m.O, "mutex") && (m.W == 0 || !strings.Contains(m.H, " held by task ") || !strings.Contains(m.H, "canaries.go:")) {
				t.Errorf("final block on %s: holder %d, hover %q: want the holder and the file:line", m.O, m.W, m.H)
			}
		}
	}
	if stuck != 3 {
		t.Errorf("%d lanes end blocked, want 3 (main, ab, ba)", stuck)
	}
	for _, l := range d.Lanes[1:] {
		if !strings.Contains(l.Site, ".go:") {
			t.Errorf("lane %d %q has spawn site %q", l.ID, l.Name, l.Site)
		}
	}
	if want := len(v.Events) + len(v.Holds); len(d.Rows) != want || len(v.Holds) == 0 {
		t.Errorf("event list has %d rows, want %d (%d events and %d holds)", len(d.Rows), want, len(v.Events), len(v.Holds))
	}
}

func hasObject(locks []pageLock, prefix string) bool {
	return slices.ContainsFunc(locks, func(l pageLock) bool { return strings.HasPrefix(l.Object, prefix) })
}

// TestHTMLDeterministic checks that a run gives the same page bytes each time it is run,
// holds and block records included, and that logging them leaves the trace hash alone.
func TestHTMLDeterministic(t *testing.T) {
	a, b := deadlocked(t), deadlocked(t)
	var pa, pb bytes.Buffer
	if err := WriteHTML(&pa, a); err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(&pb, b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pa.Bytes(), pb.Bytes()) {
		t.Fatalf("seed %d gave two different pages", a.Seed)
	}
	o := sim.Options{Seed: a.Seed}
	o.Strategy.Kind = scheduler.Random
	quiet := scenarios.Lookup("canary-lock-order").Run(scenarios.RunOptions{Options: o})
	if quiet.Hash != a.Hash || len(quiet.Holds) != 0 || len(quiet.Blocks) != 0 || len(a.Holds) == 0 {
		t.Fatalf("hash with Log %016x, without %016x: want the same (and holds only with Log: %d, %d)",
			a.Hash, quiet.Hash, len(a.Holds), len(quiet.Holds))
	}
}
