package sim

import (
	"slices"
	"sync"
)

// Always asserts that cond holds every time it is evaluated. A violation ends a simulated
// run with a failure at this step; under the real runtime it panics.
func (rt *Runtime) Always(cond bool, msg string) {
	if !cond {
		rt.Fail("always: " + msg)
	}
}

// Unreachable asserts that this point is never reached.
func (rt *Runtime) Unreachable(msg string) { rt.Fail("unreachable: " + msg) }

// Sometimes declares that cond should hold at least once across a sweep: it shows that an
// interesting interleaving (a cancel arriving before the invoke, a queue at its bound) was
// reached. It never fails a run; a sweep reports the sites that no seed satisfied. Under
// the real runtime it does nothing.
//
//go:norace
func (rt *Runtime) Sometimes(cond bool, msg string) {
	if rt.s == nil || rt.cover == nil {
		return
	}
	rt.cover.mark(msg, cond)
}

// coverage is one run's Sometimes sites.
type coverage struct {
	sites []siteCount
}

type siteCount struct {
	msg          string
	reached, hit int
}

//go:norace
func (c *coverage) mark(msg string, cond bool) {
	for i := range c.sites {
		if c.sites[i].msg == msg {
			c.sites[i].reached++
			if cond {
				c.sites[i].hit++
			}
			return
		}
	}
	sc := siteCount{msg: msg, reached: 1}
	if cond {
		sc.hit = 1
	}
	c.sites = append(c.sites, sc)
}

// Coverage collects Sometimes sites across the runs of a sweep. It is safe for concurrent
// use by parallel workers.
type Coverage struct {
	mu    sync.Mutex
	sites map[string]*siteCount
}

func (cv *Coverage) merge(c *coverage) {
	cv.mu.Lock()
	defer cv.mu.Unlock()
	if cv.sites == nil {
		cv.sites = make(map[string]*siteCount)
	}
	for _, sc := range c.sites {
		t := cv.sites[sc.msg]
		if t == nil {
			t = &siteCount{msg: sc.msg}
			cv.sites[sc.msg] = t
		}
		t.reached += sc.reached
		t.hit += sc.hit
	}
}

// Site is a Sometimes site's totals over a sweep.
type Site struct {
	Msg     string
	Reached int // evaluations
	Hit     int // evaluations where the condition held
}

// Sites returns every site seen, sorted by message.
func (cv *Coverage) Sites() []Site {
	cv.mu.Lock()
	defer cv.mu.Unlock()
	out := make([]Site, 0, len(cv.sites))
	for _, sc := range cv.sites {
		out = append(out, Site{Msg: sc.msg, Reached: sc.reached, Hit: sc.hit})
	}
	slices.SortFunc(out, func(a, b Site) int {
		if a.Msg < b.Msg {
			return -1
		}
		if a.Msg > b.Msg {
			return 1
		}
		return 0
	})
	return out
}

// Unexplored returns the sites that were reached but whose condition never held.
func (cv *Coverage) Unexplored() []string {
	var out []string
	for _, s := range cv.Sites() {
		if s.Hit == 0 {
			out = append(out, s.Msg)
		}
	}
	return out
}
