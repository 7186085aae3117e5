package scheduler

// pctChooser implements PCT for a cooperative scheduler, after the ASPLOS'10 paper. Every
// task has a distinct priority; the highest-priority candidate always runs. At Depth-1
// change points, drawn uniformly among the first Steps contended decisions (those with two
// or more candidates), the task that was running is demoted below every other task. A
// task that yields explicitly (a spin loop) is demoted too, so that it cannot starve the
// others.
type pctChooser struct {
	r       *Rand
	changes []int // sorted contended-decision numbers at which to demote
	count   int   // contended decisions so far
	low     int64 // next demoted priority, below every initial one
}

func newPCT(st Strategy, r *Rand) *pctChooser {
	p := &pctChooser{r: r}
	// d-1 distinct change points in [1, Steps]; if Steps is too small for that many,
	// every contended decision is one.
	n := st.Depth - 1
	if n > st.Steps {
		n = st.Steps
	}
	for len(p.changes) < n {
		c := 1 + r.IntN(st.Steps)
		if !containsInt(p.changes, c) {
			p.changes = insertSorted(p.changes, c)
		}
	}
	return p
}

// spawned gives the new task a random priority above every demoted one. Ties between
// initial priorities (2^-31 per pair) fall back to task ID order in pick.
//
//go:norace
func (p *pctChooser) spawned(t *Task) { t.prio = 1<<32 + int64(p.r.Uint64()>>33) }

//go:norace
func (p *pctChooser) yielded(t *Task) { p.demote(t) }

//go:norace
func (p *pctChooser) demote(t *Task) {
	p.low--
	t.prio = p.low
}

//go:norace
func (p *pctChooser) pick(cur *Task, cands []*Task) *Task {
	p.count++
	if len(p.changes) > 0 && p.changes[0] == p.count {
		p.changes = p.changes[1:]
		if cur != nil {
			p.demote(cur)
		}
	}
	best := cands[0]
	for _, c := range cands[1:] {
		if c.prio > best.prio {
			best = c
		}
	}
	return best
}

// choose breaks ties among ready events at random: PCT orders tasks, not events.
//
//go:norace
func (p *pctChooser) choose(n int) int { return p.r.IntN(n) }

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func insertSorted(xs []int, x int) []int {
	i := len(xs)
	for i > 0 && xs[i-1] > x {
		i--
	}
	xs = append(xs, 0)
	for j := len(xs) - 1; j > i; j-- {
		xs[j] = xs[j-1]
	}
	xs[i] = x
	return xs
}
