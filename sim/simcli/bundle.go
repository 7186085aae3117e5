package simcli

import (
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/catalog"
	"github.com/muxsim/muxsim/sim/internal/runfile"
)

// bundlesMax bounds the failure bundles one sweep writes per scenario.
const bundlesMax = 20

// writeBundle reruns a failed run with its event log, decisions and faults recorded and
// writes, under cfg.outDir, NAME-seedN.txt (everything a person needs to start: the run's
// identity, the build, the failure, every task, the last events, the replay command),
// NAME-seedN.decisions (for -replay and -shrink), and its traces NAME-seedN.html and
// NAME-seedN.jsonl. It returns the text file's path.
func writeBundle(cfg *invocation, r result) (string, error) {
	sc := cfg.prog.Catalog.Lookup(r.Scenario)
	o := cfg.options(sc.Name, r.Seed)
	o.Record, o.Log, o.FaultLog = true, true, &sim.FaultLog{}
	v := sc.Run(o)
	base := filepath.Join(cfg.outDir, fmt.Sprintf("%s-seed%d", sc.Name, r.Seed))
	s := &runfile.Script{Scenario: sc.Name, Seed: r.Seed, Bug: cfg.bug, Params: cfg.params, Jitter: v.Strategy.Jitter,
		Decisions: runfile.TrimZeros(v.Decisions), Hash: v.Hash}
	replay := cfg.replayOf(sc.Name, r.Seed, r.Strategy).fileCommand(base + ".decisions")
	return runfile.WriteBundle(base, v,
		func(w io.Writer) error { return bundleText(w, cfg, r, v, o.FaultLog) },
		func(w io.Writer) error { return writeScript(w, s, "failure bundle of "+r.Strategy, replay) })
}

func bundleText(w io.Writer, cfg *invocation, r result, v *sim.Verdict, fl *sim.FaultLog) error {
	sc := cfg.prog.Catalog.Lookup(r.Scenario)
	var b strings.Builder
	fmt.Fprintf(&b, "muxsim failure bundle\n\n")
	fmt.Fprintf(&b, "scenario:  %s\n           %s\n", sc.Name, sc.Summary())
	fmt.Fprintf(&b, "seed:      %d\nstrategy:  %s (asked for %s)\n", r.Seed, v.Strategy, cfg.strategy)
	if cfg.bug != "" {
		fmt.Fprintf(&b, "bug:       %s (switched on)\n", cfg.bug)
	}
	if len(cfg.params) > 0 {
		fmt.Fprintf(&b, "params:    %v (defaults:%s)\n", cfg.params, defaults(sc))
	}
	fmt.Fprintf(&b, "faults:    profile %s; %d injected%s\n", faultProfile(sc.Faults), fl.Injected(), runfile.FaultSites(fl))
	fmt.Fprintf(&b, "build:     %s\n", buildInfo())
	fmt.Fprintf(&b, "verdict:   steps=%d vtime=%v hash=%016x\n", v.Steps, v.Time, v.Hash)
	fmt.Fprintf(&b, "replay:    %s\n\n", r.replayCommand(cfg))
	if v.Hash != r.verdict.Hash {
		fmt.Fprintf(&b, "WARNING: rerunning for this bundle gave hash %016x, the sweep saw %016x: the run is not reproducible\n\n", v.Hash, r.verdict.Hash)
	}
	b.WriteString(v.Report())
	_, err := io.WriteString(w, b.String())
	return err
}

func faultProfile(f sim.Faults) string {
	switch {
	case f.Off:
		return "off"
	case len(f.Only) > 0:
		return "only " + strings.Join(f.Only, ",")
	}
	return "swarm (each fault kind enabled per seed)"
}

// buildInfo names the commit and Go version the binary was built from.
func buildInfo() string {
	rev, dirty := "unknown commit", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision":
				rev = "commit " + s.Value
			case s.Key == "vcs.modified" && s.Value == "true":
				dirty = " (with uncommitted changes)"
			}
		}
	}
	return fmt.Sprintf("%s%s, %s %s/%s", rev, dirty, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// writeTrace reruns one run with its event log and writes it to path, in the format its
// extension names: .html (timeline), .json (Chrome trace events, for Perfetto), anything
// else JSON lines.
func writeTrace(cfg *invocation, sc *catalog.Scenario, seed uint64, path string) error {
	o := cfg.options(sc.Name, seed)
	o.Log = true
	return runfile.WriteTrace(path, sc.Run(o))
}
