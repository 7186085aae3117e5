package scenarios

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/muxsim/muxsim/sim"
)

// TestHostileFullScale runs, at mux's default limits, the attacks that the catalogue's
// hostile scenarios scale down to stay cheap: the flood of 100,000 invokes (MaxStreams
// 1000, WriterBufferMax 1 MiB), packets over the default PacketMax of 4 MiB, and a peer
// that never reads against the default StreamWindow and WriterBufferMax. Method:
// each attack alone in the hostile rig (mux_hostile.go), for a few seeds; every run must
// pass its invariants. The runs take seconds, so -short skips them.
func TestHostileFullScale(t *testing.T) {
	if testing.Short() {
		t.Skip("full-scale floods take seconds per run")
	}
	cases := []struct {
		group   string
		attacks []attack
		seeds   uint64
	}{
		{"flood", floodAttacks(floodFull), 2},
		{"oversized", oversizedAttacks(0), 3}, // 0: mux's default PacketMax
		{"no-read", noReadAttacks(noReadFull), 3},
	}
	for _, c := range cases {
		for _, a := range c.attacks {
			for seed := uint64(1); seed <= c.seeds; seed++ {
				name := fmt.Sprintf("%s-%s/seed=%d", c.group, a.name, seed)
				t.Run(name, func(t *testing.T) {
					var o sim.Options
					o.Seed = seed
					start := time.Now()
					v := sim.Run(o, func(rt *sim.Runtime) { runHostile(rt, []attack{a}) })
					if !v.OK() {
						t.Fatalf("%s\nreplay: go test ./scenarios -run 'TestHostileFullScale/%s$' -v", v.Report(), name)
					}
					t.Logf("%d steps, %v virtual, %v wall; %s", v.Steps, v.Time, time.Since(start).Round(time.Millisecond), peaksNote(v))
				})
			}
		}
	}
}

// peaksNote returns the peaks the rig leaves in the trace as its last note.
func peaksNote(v *sim.Verdict) string {
	for i := len(v.Last) - 1; i >= 0; i-- {
		if text := v.Last[i].Text; strings.HasPrefix(text, "hostile peaks ") {
			return text
		}
	}
	return "no peaks noted"
}
