package translate

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"

	"github.com/muxsim/muxsim/sim/gort"
)

// ReplayPrefix is how a failure's replay command starts; the directory follows.
const ReplayPrefix = "go run ./cmd/simrun test"

// Main is simrun test: it translates each directory's package (default "."), builds it
// and runs its Test functions under the scheduler, one run per (test, seed), printing one
// verdict line per run in simrun's format, and each test's first failure's report, which
// ends with the command that replays it. It returns 1 if any run failed or a directory
// could not be translated or built, 0 if all passed, 2 on bad usage. args may start with
// "test"; flags and directories may be mixed:
//
//	simrun test [dirs] [-run REGEXP] [-seeds LIST] [-strategy S] [-failfast] [-json]
//	            [-check-determinism] [-shard i/n] [-parallel N] [-out DIR] [-max-steps N] [-watchdog D] [-v]
//	simrun test DIR -replay FILE [-max-steps N] [-watchdog D] [-json] [-v]
//
// A flag of simrun's scenario sweep that simrun test does not read (-trace, -shrink...),
// or one that -replay does not read, is a usage error, not silently ignored.
func Main(args []string, stdout, stderr io.Writer) int {
	inv, code := parseArgs(args, stderr)
	if inv == nil {
		return code
	}
	root, err := Root()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	code = 0
	for _, dir := range inv.dirs {
		c, err := inv.runDir(context.Background(), dir, root, stdout, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "simrun test %s: %v\n", dir, err)
		}
		code = max(code, c)
	}
	return code
}

// invocation is simrun test's parsed command line.
type invocation struct {
	dirs     []string
	run      *regexp.Regexp
	seeds    []uint64
	seedList string
	parallel int
	replay   bool // -replay: one run of a decision file
	// pass are the flags every run of the test binary gets, -run and -seeds aside.
	pass []string
}

// sweepOnly are simrun's flags that simrun test does not read; each bool says whether
// the flag takes no value.
var sweepOnly = map[string]bool{
	"seed": false, "scenario": false, "canaries": true, "list": true, "jitter": false, "baton": false,
	"power": true, "bug": false, "bugs": true, "real": true, "for": false, "trace": false,
	"shrink": true, "param": false,
}

// unread is a flag that simrun test does not read: setting it is a usage error.
type unread struct {
	name   string
	isBool bool
	set    *string
}

func (u unread) String() string   { return "" }
func (u unread) IsBoolFlag() bool { return u.isBool }
func (u unread) Set(string) error {
	if *u.set == "" {
		*u.set = u.name
	}
	return nil
}

func parseArgs(args []string, stderr io.Writer) (*invocation, int) {
	if len(args) > 0 && args[0] == "test" {
		args = args[1:]
	}
	fs := flag.NewFlagSet("simrun test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	run := fs.String("run", "", "run only the tests matching this regexp")
	seeds := fs.String("seeds", "1-10", "seeds to run, as 1-100,200")
	strategy := fs.String("strategy", "portfolio", "portfolio, random, sequential, pct, pctD, with +jitter")
	failfast := fs.Bool("failfast", false, "stop a test's seeds at its first failure")
	maxSteps := fs.String("max-steps", "1000000", "step limit of a run")
	watchdog := fs.String("watchdog", "5s", "wall time a task may run without a scheduling point")
	verbose := fs.Bool("v", false, "print the tests' log lines")
	jsonOut := fs.Bool("json", false, "print one JSON object per run instead of verdict lines")
	checkDet := fs.Bool("check-determinism", false, "run each (test, seed) twice and compare the hashes")
	shard := fs.String("shard", "1/1", "run only slice i of n of the (test, seed) pairs")
	parallel := fs.Int("parallel", 1, "test processes at once, over disjoint seed slices")
	outDir := fs.String("out", "", "directory for failure bundles")
	replay := fs.String("replay", "", "run a decision file of a failure bundle")
	var unreadSet string
	for name, isBool := range sweepOnly {
		fs.Var(unread{name, isBool, &unreadSet}, name, "not read by simrun test")
	}
	inv := &invocation{}
	for {
		if err := fs.Parse(args); err != nil {
			return nil, 2
		}
		if fs.NArg() == 0 {
			break
		}
		inv.dirs = append(inv.dirs, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(inv.dirs) == 0 {
		inv.dirs = []string{"."}
	}
	var err error
	switch {
	case *replay != "":
		err = replayFlags(fs)
	}
	switch {
	case err != nil:
	case unreadSet != "":
		err = fmt.Errorf("-%s does nothing with simrun test: leave it out", unreadSet)
	case *parallel < 1:
		err = fmt.Errorf("-parallel must be at least 1")
	}
	if err == nil {
		inv.run, err = regexp.Compile(*run)
	}
	if err == nil {
		inv.seeds, err = gort.ParseSeeds(*seeds)
	}
	if err == nil {
		_, _, err = gort.ParseShard(*shard)
	}
	if err != nil {
		fmt.Fprintf(stderr, "simrun test: %v\n", err)
		return nil, 2
	}
	inv.parallel, inv.seedList = *parallel, *seeds
	inv.pass = []string{"-strategy", *strategy, "-max-steps", *maxSteps, "-watchdog", *watchdog, "-shard", *shard}
	if *outDir != "" {
		inv.pass = append(inv.pass, "-out", *outDir)
	}
	if *replay != "" {
		inv.replay = true
		inv.pass = []string{"-replay", *replay, "-max-steps", *maxSteps, "-watchdog", *watchdog}
	}
	for _, f := range []struct {
		set  bool
		name string
	}{{*failfast, "-failfast"}, {*verbose, "-v"}, {*jsonOut, "-json"}, {*checkDet, "-check-determinism"}} {
		if f.set {
			inv.pass = append(inv.pass, f.name)
		}
	}
	return inv, 0
}

// runDir translates and builds one directory and runs its tests, returning the exit code
// (1 when it could not run).
func (inv *invocation) runDir(ctx context.Context, dir, root string, stdout, stderr io.Writer) (int, error) {
	p, err := Dir(dir)
	if err != nil {
		return 1, fmt.Errorf("translation: %w", err)
	}
	bin, tmp, err := Build(ctx, p, root)
	if tmp != "" {
		defer os.RemoveAll(tmp)
	}
	if err != nil {
		return 1, err
	}
	base := append([]string{"-replay-cmd", ReplayPrefix + " " + gort.ShellQuote(dir)}, inv.pass...)
	if inv.replay {
		return runBinary(ctx, bin, base, stdout, stderr)
	}
	if inv.parallel > 1 {
		return inv.runSlices(ctx, bin, p.Tests, base, stdout, stderr)
	}
	args := append(base, "-run", inv.run.String(), "-seeds", inv.seedList)
	return runBinary(ctx, bin, args, stdout, stderr)
}

// replayReads are the flags that -replay reads: the file names the test, the seed and the
// decisions.
var replayReads = []string{"replay", "max-steps", "watchdog", "json", "v"}

// replayFlags fails on a flag given with -replay that it does not read.
func replayFlags(fs *flag.FlagSet) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		if err == nil && !slices.Contains(replayReads, f.Name) {
			err = fmt.Errorf("-%s does nothing with -replay: leave it out", f.Name)
		}
	})
	return err
}

// runBinary runs the test binary and returns its exit code.
func runBinary(ctx context.Context, bin string, args []string, stdout, stderr io.Writer) (int, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() > 0 {
		return exit.ExitCode(), nil
	}
	if err != nil {
		return 1, fmt.Errorf("running %s: %v", strings.Join(cmd.Args, " "), err)
	}
	return 0, nil
}
