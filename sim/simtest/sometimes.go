package simtest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/internal/runfile"
)

// sometimes reports the Sometimes sites that a passing sweep of ran seeds evaluated but
// never satisfied: logged, or failing t with Options.RequireSometimes. A site that no run
// evaluated is unknown to the sweep and cannot be reported.
func (p *plan) sometimes(t testing.TB, cov *sim.Coverage, ran int) {
	t.Helper()
	var b strings.Builder
	n := 0
	for _, s := range cov.Sites() {
		if s.Hit == 0 {
			n++
			fmt.Fprintf(&b, "\n  %q (evaluated %d times)", s.Msg, s.Reached)
		}
	}
	if n == 0 {
		return
	}
	msg := fmt.Sprintf("simtest: %d Sometimes sites never held in %d seeds (%s):%s", n, ran, runfile.FormatSeeds(p.seeds), b.String())
	if !p.opts.RequireSometimes {
		t.Logf("%s", msg)
		return
	}
	t.Errorf("%s\nRequireSometimes is set; rerun: %s", msg, sweepCommand(t.Name(), p.seeds))
}
