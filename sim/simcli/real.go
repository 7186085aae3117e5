package simcli

import (
	"fmt"
	"io"
	"time"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/catalog"
	"github.com/muxsim/muxsim/sim/internal/runfile"
)

// realTimeout is how long one real-mode run may take before it counts as hung.
const realTimeout = 10 * time.Second

// runReal runs each chosen stress-style scenario on real goroutines over loopback TCP,
// once per seed of the list (the seed only numbers the run: nothing is reproducible), or
// for cfg.realFor of wall time when that is set. It prints failures as they happen and a
// summary line per scenario.
func runReal(cfg *invocation, stdout, stderr io.Writer) int {
	failed := 0
	for _, sc := range cfg.scenarios {
		if !sc.Real {
			cfg.errorf(stderr, "%s does not run under the real runtime (%s -list -real shows those that do)\n", sc.Name, cfg.prog.Name)
			return 2
		}
	}
	for _, sc := range cfg.scenarios {
		runs, fails, spent := realLoop(cfg, sc, stdout, stderr)
		failed += fails
		fmt.Fprintf(stdout, "summary scenario=%s mode=real runs=%d failed=%d wall=%v\n", sc.Name, runs, fails, spent.Round(time.Millisecond))
	}
	if failed > 0 {
		return 1
	}
	return 0
}

// realLoop runs sc under the real runtime until the seed list or the time budget is
// used up, and returns the runs, the failures and the wall time spent.
func realLoop(cfg *invocation, sc *catalog.Scenario, stdout, stderr io.Writer) (runs, fails int, spent time.Duration) {
	start := time.Now()
	runfile.Each(cfg.seeds, func(seed uint64) bool {
		if cfg.realFor > 0 && time.Since(start) >= cfg.realFor {
			return false
		}
		v := sc.RunReal(sim.RealOptions{Timeout: realTimeout, Params: cfg.params})
		runs++
		if v.OK() {
			if cfg.verbose {
				fmt.Fprintf(stdout, "scenario=%s run=%d mode=real ok=true wall=%v\n", sc.Name, seed, v.Time.Round(time.Microsecond))
			}
			return true
		}
		fails++
		fmt.Fprintf(stdout, "scenario=%s run=%d mode=real ok=false wall=%v failure=%s\n", sc.Name, seed, v.Time.Round(time.Microsecond), v.Failure.Kind)
		if fails == 1 {
			fmt.Fprintf(stderr, "--- FAIL %s (real mode, run %d): %s\n%s\n", sc.Name, seed, v.Failure, v.Failure.Stack)
		}
		return true
	})
	return runs, fails, time.Since(start)
}
