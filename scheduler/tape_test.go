package scheduler

import (
	"math/rand/v2"
	"testing"
)

// The Tape strategy's draw convention (tape.go): 0 is the default, k > 0 the k-th other
// candidate; random streams draw from the same Source, with zero as their smallest value.

// TestTapePick checks the mapping of a draw to a task: with three candidates and the
// running task in the middle, 0 keeps it and 1, 2 take the others in ID order; when the
// running task is not a candidate, 0 takes the oldest.
func TestTapePick(t *testing.T) {
	a, b, c := &Task{id: 1}, &Task{id: 2}, &Task{id: 3}
	cands := []*Task{a, b, c}
	cases := []struct {
		cur  *Task
		draw int
		want *Task
	}{
		{b, 0, b}, {b, 1, a}, {b, 2, c}, {b, 3, b}, {b, -1, b},
		{nil, 0, a}, {nil, 1, b}, {nil, 2, c},
	}
	for _, tc := range cases {
		ch := &tapeChooser{src: &ListSource{Draws: []int{tc.draw}}}
		if got := ch.pick(tc.cur, cands); got != tc.want {
			t.Errorf("cur %v, draw %d: picked task %d, want %d", tc.cur, tc.draw, got.id, tc.want.id)
		}
	}
}

// TestTapeRand checks that a zero tape gives every stream method and math/rand/v2 helper
// its smallest value and no event (and ends math/rand/v2's rejection loop, which rejects
// a zero word), and that a stream draws nothing for IntN(1).
func TestTapeRand(t *testing.T) {
	src := &ListSource{}
	r := &Rand{src: src}
	std := rand.New(r)
	if r.IntN(5) != 0 || r.Float64() > 1e-6 || r.Chance(1, 4) || r.Happens(0.9) ||
		std.IntN(7) != 0 || std.IntN(8) != 0 || std.IntN(1<<31-1) != 0 || std.Int32N(3) != 0 {
		t.Fatal("a zero tape gave a non-zero choice or an event")
	}
	src = &ListSource{Draws: []int{3, 15, 12, 11}}
	r = &Rand{src: src}
	if r.IntN(1) != 0 || r.IntN(5) != 3 {
		t.Fatal("IntN(1) drew from the tape, or IntN(5) did not read it")
	}
	// Happens(0.25) is true for the top 4 of 16 draws.
	// Three draws in turn (15, 12, 11): each call reads the next.
	first, second, third := r.Happens(0.25), r.Happens(0.25), r.Happens(0.25)
	if !first || !second || third {
		t.Fatal("Happens(0.25) read 15, 12, 11 wrong")
	}
}

// TestTapeStreams checks that under the Tape strategy every stream of a run draws from
// the Source, and that other strategies' streams stay seeded.
func TestTapeStreams(t *testing.T) {
	src := &ListSource{Draws: []int{2, 1}}
	s := New(Options{Strategy: Strategy{Kind: Tape, Source: src}, Watchdog: -1})
	if s.Stream("a").IntN(3) != 2 || s.Stream("b").IntN(3) != 1 || s.Stream("c").IntN(3) != 0 {
		t.Fatal("tape streams do not share the Source in draw order")
	}
	seeded := New(Options{Seed: 9, Strategy: Strategy{Kind: Random}})
	if got, want := seeded.Stream("a").Uint64(), newRand(9, "a").Uint64(); got != want {
		t.Fatalf("seeded stream changed: %x, want %x", got, want)
	}
}

// TestPreemptions checks the count on a run that switches once away from a task at a
// scheduling point and once after a task blocked.
func TestPreemptions(t *testing.T) {
	ev := []Event{
		{Kind: EvRun, Task: 1}, {Kind: EvSpawn, Task: 2}, {Kind: EvRun, Task: 2}, // 1 preempted
		{Kind: EvBlock, Task: 2}, {Kind: EvRun, Task: 1}, // 2 blocked: no preemption
		{Kind: EvRun, Task: 1}, {Kind: EvExit, Task: 1}, {Kind: EvRun, Task: 2},
	}
	if n := Preemptions(ev); n != 1 {
		t.Fatalf("Preemptions = %d, want 1", n)
	}
}
