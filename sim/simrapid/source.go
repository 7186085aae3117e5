package simrapid

import (
	"fmt"
	"strings"
	"sync/atomic" // only for closed, which the property's goroutine sets after the run
	"unsafe"

	"pgregory.net/rapid"

	"github.com/muxsim/muxsim/scheduler"
)

// Tape is the list of draws a run took from rapid, in order. Replay runs it again.
type Tape []int

// NonZero returns the number of draws that departed from the default: preemptions, later
// ready events, faults and non-minimal workload choices.
func (tp Tape) NonZero() int {
	n := 0
	for _, k := range tp {
		if k != 0 {
			n++
		}
	}
	return n
}

// tapeShownMax bounds the non-zero draws String lists.
const tapeShownMax = 16

// String summarises the tape: its length and its non-zero draws by position, "812 draws,
// 2 non-zero: #17=1 #45=2".
func (tp Tape) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d draws, %d non-zero", len(tp), tp.NonZero())
	shown := 0
	for i, k := range tp {
		if k == 0 {
			continue
		}
		if shown == tapeShownMax {
			b.WriteString(" …")
			break
		}
		sep := " "
		if shown == 0 {
			sep = ": "
		}
		fmt.Fprintf(&b, "%s#%d=%d", sep, i, k)
		shown++
	}
	return b.String()
}

// GoString is String, for rapid's log of drawn values (%#v).
func (tp Tape) GoString() string { return tp.String() }

// source is a scheduler.Source that draws from a *rapid.T. A draw is a coin that departs
// from the default once in odds, then, if it does, which departure. Lowering the coin to
// "no" removes a departure without changing what the other draws mean for the decisions
// before it; with a uniform draw over [0, n), rapid's shrinker, which lowers one value at
// a time, would also have to move the others, and stops at two or three preemptions
// where one would do.
type source struct {
	t     *rapid.T
	max   int
	odds  int
	tape  Tape
	gens  []*rapid.Generator[uint] // gens[n] draws from [0, n), built on first use
	ended any                      // rapid's panic, which ends the tape: its input ran out
	// closed is set by the property's goroutine once the run is over: a task abandoned by
	// the watchdog (an escape) may still be running, and must not touch t.
	closed atomic.Bool
	sync   byte // the race detector's address for the edge between draws
}

// gensMax bounds the generators a source keeps; larger ranges build one per draw.
const gensMax = 64

func newSource(t *rapid.T, max, odds int) *source {
	s := &source{t: t, max: max, odds: odds}
	scheduler.RaceRelease(unsafe.Pointer(&s.sync)) // the property's draws come first
	return s
}

// Draw returns rapid's next draw in [0, n), or 0 once the tape is capped or rapid's input
// has run out.
func (s *source) Draw(n int) int {
	if n <= 1 || s.closed.Load() {
		return 0
	}
	// Tasks take turns drawing, on different goroutines; the scheduler orders them, and
	// this edge tells the race detector so (the channel baton hides the handoffs).
	scheduler.RaceAcquire(unsafe.Pointer(&s.sync))
	defer scheduler.RaceRelease(unsafe.Pointer(&s.sync))
	if len(s.tape) >= s.max || s.ended != nil {
		return 0
	}
	k := s.draw(n)
	if s.ended == nil {
		s.tape = append(s.tape, k)
	}
	return k
}

// draw asks rapid, catching its panic when the input runs out, which must not unwind a
// simulated task.
func (s *source) draw(n int) (k int) {
	defer func() {
		if r := recover(); r != nil {
			s.ended, k = r, 0
		}
	}()
	if s.odds <= 1 {
		return s.uniform(n)
	}
	if s.uniform(s.odds) < s.odds-1 {
		return 0
	}
	return 1 + s.uniform(n-1)
}

// uniform draws from [0, n). An unsigned range, because rapid's signed ones draw a sign
// first: a word more per draw for the shrinker to try.
func (s *source) uniform(n int) int {
	if n >= gensMax {
		return int(rapid.UintRange(0, uint(n-1)).Draw(s.t, ""))
	}
	if len(s.gens) == 0 {
		s.gens = make([]*rapid.Generator[uint], gensMax)
	}
	if s.gens[n] == nil {
		s.gens[n] = rapid.UintRange(0, uint(n-1))
	}
	return int(s.gens[n].Draw(s.t, ""))
}

// close ends the source's use of t: called from the property's goroutine after the run.
func (s *source) close() {
	s.closed.Store(true)
	scheduler.RaceAcquire(unsafe.Pointer(&s.sync))
}
