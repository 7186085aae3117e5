package main

import (
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/muxsim/muxsim/mux"
	"github.com/muxsim/muxsim/scenarios"
	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
)

//go:embed doc.go
var docSource string

// config is the parsed command line.
type config struct {
	bug       string
	seeds     []seedSpan
	scenarios []*scenarios.Scenario
	strategy  sim.Strategy
	jitter    sim.Jitter // -jitter: the time perturbation per run
	baton     string
	parallel  int
	json      bool
	verbose   bool
	power     bool
	real      bool          // run stress-style scenarios on the real runtime over TCP
	realFor   time.Duration // with real: a wall-time budget per scenario instead of a seed count
	maxSteps  uint64
	watchdog  time.Duration
	coverage  map[string]*sim.Coverage // per scenario, for the sweep's report

	shard            shard
	checkDeterminism bool
	outDir           string // failure bundles and shrunk scripts
	traceFile        string
	shrink           bool
	replay           string     // a decision file to run
	params           sim.Params // workload size overrides
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cfg, list, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "simrun: %v\n", err)
		return 2
	}
	if list {
		printList(stdout, cfg.verbose)
		return 0
	}
	if cfg.power {
		return measurePower(cfg, stdout, stderr)
	}
	if cfg.real {
		return runReal(cfg, stdout, stderr)
	}
	if cfg.replay != "" {
		return replayFile(cfg, cfg.replay, stdout, stderr)
	}
	if cfg.shrink {
		return shrink(cfg, stdout, stderr)
	}
	return sweep(cfg, stdout, stderr)
}

func parseFlags(args []string, stderr io.Writer) (*config, bool, error) {
	fs := flag.NewFlagSet("simrun", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, helpText()) }
	seed := fs.Uint64("seed", 1, "run one seed")
	seeds := fs.String("seeds", "", "seeds to sweep, e.g. 1-1000,4242")
	names := fs.String("scenario", "", "comma-separated scenarios")
	canaries := fs.Bool("canaries", false, "include the canaries")
	list := fs.Bool("list", false, "list the scenarios")
	strategy := fs.String("strategy", "portfolio", "exploration strategy")
	jitter := fs.String("jitter", "portfolio", "time perturbation: on, off, or portfolio (as the strategy says)")
	baton := fs.String("baton", "", "coro or chan")
	parallel := fs.Int("parallel", runtime.NumCPU(), "runs at once")
	jsonOut := fs.Bool("json", false, "JSON lines")
	verbose := fs.Bool("v", false, "print every verdict line")
	power := fs.Bool("power", false, "measure seeds-to-first-failure")
	maxSteps := fs.Uint64("max-steps", scheduler.DefaultMaxSteps, "step limit per run")
	bug := fs.String("bug", "", "switch a known bug on (needs -tags muxbugs)")
	listBugs := fs.Bool("bugs", false, "list the known bugs")
	watchdog := fs.Duration("watchdog", scheduler.DefaultWatchdog, "escape watchdog")
	real := fs.Bool("real", false, "run on real goroutines over loopback TCP")
	realFor := fs.Duration("for", 0, "with -real: wall time per scenario")
	shardFlag := fs.String("shard", "1/1", "run slice i of n")
	checkDet := fs.Bool("check-determinism", false, "run each seed twice and compare")
	outDir := fs.String("out", "", "directory for failure bundles")
	traceFile := fs.String("trace", "", "write one run's trace")
	shrinkFlag := fs.Bool("shrink", false, "minimise a failing run")
	replay := fs.String("replay", "", "run a decision file")
	paramList := fs.String("param", "", "workload sizes, name=value,...")
	if err := fs.Parse(args); err != nil {
		return nil, false, err
	}
	if *listBugs {
		if !mux.BugsCompiled {
			return nil, false, fmt.Errorf("known bugs exist only in a build with -tags muxbugs: go run -tags muxbugs ./cmd/simrun -bugs")
		}
		for _, b := range mux.Bugs() {
			fmt.Fprintf(stderr, "%-9s %s\n", b.Name, b.Doc)
		}
		return nil, false, flag.ErrHelp
	}
	if *bug == "all" && !*power {
		return nil, false, fmt.Errorf("-bug all measures every known bug and needs -power")
	}
	if *bug != "" && *bug != "all" {
		if err := mux.EnableBug(*bug); err != nil {
			return nil, false, fmt.Errorf("-bug %s: %v", *bug, err)
		}
	}
	if fs.NArg() > 0 {
		return nil, false, fmt.Errorf("unexpected argument %q (flags only; see -h)", fs.Arg(0))
	}
	cfg := &config{bug: *bug, baton: *baton, parallel: *parallel, json: *jsonOut, verbose: *verbose,
		power: *power, maxSteps: *maxSteps, watchdog: *watchdog, real: *real, realFor: *realFor}
	if cfg.realFor > 0 && !cfg.real {
		return nil, false, fmt.Errorf("-for needs -real")
	}
	cfg.checkDeterminism, cfg.outDir, cfg.traceFile, cfg.shrink, cfg.replay = *checkDet, *outDir, *traceFile, *shrinkFlag, *replay
	var err error
	if cfg.shard, err = parseShard(*shardFlag); err != nil {
		return nil, false, err
	}
	if cfg.params, err = parseParams(*paramList); err != nil {
		return nil, false, err
	}
	if cfg.traceFile != "" && (*seeds != "" || strings.Contains(*names, ",") || (*names == "" && cfg.replay == "")) {
		return nil, false, fmt.Errorf("-trace writes one run: give -scenario NAME -seed N (or -replay FILE)")
	}
	if cfg.strategy, err = sim.ParseStrategy(*strategy); err != nil {
		return nil, false, err
	}
	var ok bool
	if cfg.jitter, ok = scheduler.ParseJitter(*jitter); !ok {
		return nil, false, fmt.Errorf("unknown -jitter %q (want on, off or portfolio)", *jitter)
	}
	switch cfg.baton {
	case "", "coro", "chan":
	default:
		return nil, false, fmt.Errorf("unknown baton %q (want coro or chan)", cfg.baton)
	}
	if cfg.parallel < 1 {
		return nil, false, fmt.Errorf("-parallel must be at least 1")
	}
	if *seeds != "" {
		if cfg.seeds, err = parseSeeds(*seeds); err != nil {
			return nil, false, err
		}
	} else if cfg.realFor > 0 {
		cfg.seeds = []seedSpan{{1, maxSeeds}}
	} else {
		cfg.seeds = []seedSpan{{*seed, *seed}}
	}
	if cfg.scenarios, err = pickScenarios(*names, *canaries, cfg.real); err != nil {
		return nil, false, err
	}
	for _, sc := range cfg.scenarios {
		if err := sc.CheckParams(cfg.params); err != nil {
			return nil, false, fmt.Errorf("-param: %v (simrun -list -v shows each scenario's)", err)
		}
	}
	return cfg, *list, nil
}

func pickScenarios(names string, canaries, real bool) ([]*scenarios.Scenario, error) {
	if names == "" {
		switch {
		case real:
			return scenarios.RealOnes(), nil
		case canaries:
			return scenarios.All(), nil
		}
		return scenarios.Default(), nil
	}
	var out []*scenarios.Scenario
	for _, n := range strings.Split(names, ",") {
		sc := scenarios.Lookup(strings.TrimSpace(n))
		if sc == nil {
			return nil, fmt.Errorf("unknown scenario %q (simrun -list shows them)", n)
		}
		out = append(out, sc)
	}
	return out, nil
}

func printList(w io.Writer, verbose bool) {
	width := 0
	for _, sc := range scenarios.All() {
		width = max(width, len(sc.Name))
	}
	for _, sc := range scenarios.All() {
		tag := ""
		if sc.Canary {
			tag = " [canary]"
		}
		if sc.Real {
			tag = " [real]"
		}
		fmt.Fprintf(w, "%-*s  %s%s\n", width, sc.Name, sc.Summary(), tag)
		if !verbose {
			continue
		}
		for _, p := range sc.Params {
			fmt.Fprintf(w, "%-*s    -param %s=%d  %s (at least %d)\n", width, "", p.Name, p.Default, p.Doc, p.Min)
		}
	}
}

// helpText is the package doc of doc.go, without the comment markers.
func helpText() string {
	start := strings.Index(docSource, "/*")
	end := strings.Index(docSource, "*/")
	if start < 0 || end < start {
		return "simrun: see the package documentation\n"
	}
	return strings.TrimLeft(docSource[start+2:end], "\n")
}

// options builds the simulator options of one run of the named scenario.
func (cfg *config) options(name string, seed uint64) scenarios.RunOptions {
	var o scenarios.RunOptions
	o.Seed = seed
	o.Strategy = cfg.strategy
	o.TimeJitter = cfg.jitter
	o.MaxSteps = cfg.maxSteps
	o.Watchdog = cfg.watchdog
	o.Coverage = cfg.coverage[name]
	o.Params = cfg.params
	switch cfg.baton {
	case "coro":
		o.Baton = scheduler.BatonCoroutine
	case "chan":
		o.Baton = scheduler.BatonChannel
	}
	return o
}
