package translate

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// Main is simrun test: it translates each directory's package (default "."), builds it
// and runs its Test functions under the scheduler, one run per (test, seed), printing one
// verdict line per run in simrun's format. It returns 1 if any run failed or a directory
// could not be translated or built, 0 if all passed, 2 on bad usage. args may start with
// "test"; flags and directories may be mixed:
//
//	simrun test [dirs] [-run REGEXP] [-seeds LIST] [-strategy S] [-step-time D] [-failfast] [-v]
func Main(args []string, stdout, stderr io.Writer) int {
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
	stepTime := fs.String("step-time", "1ns", "virtual time each scheduling step costs")
	watchdog := fs.String("watchdog", "5s", "wall time a task may run without a scheduling point")
	verbose := fs.Bool("v", false, "print the tests' log lines")
	var dirs []string
	for {
		if err := fs.Parse(args); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		dirs = append(dirs, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(dirs) == 0 {
		dirs = []string{"."}
	}
	root, err := Root()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	pass := []string{"-run", *run, "-seeds", *seeds, "-strategy", *strategy, "-max-steps", *maxSteps, "-watchdog", *watchdog, "-step-time", *stepTime}
	if *failfast {
		pass = append(pass, "-failfast")
	}
	if *verbose {
		pass = append(pass, "-v")
	}
	code := 0
	for _, dir := range dirs {
		c, err := runDir(context.Background(), dir, root, pass, stdout, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "simrun test %s: %v\n", dir, err)
		}
		code = max(code, c)
	}
	return code
}

// runDir translates, builds and runs one directory, returning the binary's exit code (1
// when it could not run).
func runDir(ctx context.Context, dir, root string, args []string, stdout, stderr io.Writer) (int, error) {
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
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() > 0 {
		return exit.ExitCode(), nil
	}
	if err != nil {
		return 1, fmt.Errorf("running %s: %v", strings.Join(cmd.Args, " "), err)
	}
	return 0, nil
}
