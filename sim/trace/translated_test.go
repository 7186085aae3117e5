package trace_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/gort"
	"github.com/muxsim/muxsim/sim/trace"
)

// The shims' package reaches sim/trace through the failure bundle, so a test that runs
// code on the shims lives outside package trace and reads the page as a browser would.

// page is the part of a page's embedded data this file reads.
type page struct {
	Lanes []struct {
		ID   int32  `json:"id"`
		Name string `json:"name"`
		Site string `json:"site"`
	} `json:"lanes"`
	Locks []struct {
		Object  string   `json:"object"`
		Holder  string   `json:"holder"`
		Waiters []string `json:"waiters"`
	} `json:"locks"`
}

// embedded writes v's page and decodes its data.
func embedded(t *testing.T, v *scheduler.Verdict) page {
	t.Helper()
	var buf bytes.Buffer
	if err := trace.WriteHTML(&buf, v); err != nil {
		t.Fatal(err)
	}
	const open = `<script type="application/json" id="data">`
	_, rest, ok := strings.Cut(buf.String(), open)
	data, _, ok2 := strings.Cut(rest, "</script>")
	var p page
	if !ok || !ok2 {
		t.Fatal("no embedded data in the page")
	}
	if err := json.Unmarshal([]byte(data), &p); err != nil {
		t.Fatalf("embedded data: %v", err)
	}
	return p
}

// TestHTMLTranslatedDeadlock checks that the page explains a deadlock of code written as
// plain Go and run on the shims, as translated code is: no names, no notes. Method: two
// goroutines take two zero-value gort.Mutexes in opposite orders; over the first seeds
// that deadlock, the page must hold both mutexes (named by the file:line of their first
// use) with a holder each.
func TestHTMLTranslatedDeadlock(t *testing.T) {
	body := func() {
		var a, b gort.Mutex
		var wg gort.WaitGroup
		moves := 0 // what the two locks guard
		wg.Add(2)
		gort.Go(func() {
			a.Lock()
			gort.Gosched()
			b.Lock()
			moves++
			b.Unlock()
			a.Unlock()
			wg.Done()
		})
		gort.Go(func() {
			b.Lock()
			gort.Gosched()
			a.Lock()
			moves++
			a.Unlock()
			b.Unlock()
			wg.Done()
		})
		wg.Wait()
	}
	for seed := uint64(1); seed <= 50; seed++ {
		v := gort.Run(sim.Options{Seed: seed, Log: true}, body)
		if v.OK() || v.Failure.Kind != scheduler.FailDeadlock {
			continue
		}
		d := embedded(t, v)
		n := 0
		for _, l := range d.Locks {
			if strings.Contains(l.Object, "translated_test.go:") && strings.Contains(l.Holder, "go@") && len(l.Waiters) == 1 {
				n++
			}
		}
		if n != 2 {
			t.Fatalf("seed %d: the page's held mutexes are %+v, want two of this file's, each held by a go@ task and waited on by the other", seed, d.Locks)
		}
		for _, l := range d.Lanes[1:] {
			if l.Site == "" {
				t.Errorf("seed %d: lane %d %q has no spawn site", seed, l.ID, l.Name)
			}
		}
		return
	}
	t.Fatal("the opposite-order program did not deadlock for seeds 1-50")
}
