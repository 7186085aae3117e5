package main

import (
	"fmt"
	"io"

	"github.com/muxsim/muxsim/mux"
	"github.com/muxsim/muxsim/scenarios"
)

// replayFile runs the script in a decision file once and prints its verdict line, the
// report if it fails, and the trace with -trace.
func replayFile(cfg *config, path string, stdout, stderr io.Writer) int {
	s, err := readScript(path)
	if err != nil {
		fmt.Fprintf(stderr, "simrun: -replay: %v\n", err)
		return 2
	}
	sc := scenarios.Lookup(s.scenario)
	if sc == nil {
		fmt.Fprintf(stderr, "simrun: -replay: unknown scenario %q\n", s.scenario)
		return 2
	}
	if s.bug != "" {
		if err := mux.EnableBug(s.bug); err != nil {
			fmt.Fprintf(stderr, "simrun: -replay: the file switches bug %s on: %v\n", s.bug, err)
			return 2
		}
		cfg.bug = s.bug
	}
	if err := sc.CheckParams(s.params); err != nil {
		fmt.Fprintf(stderr, "simrun: -replay: %v\n", err)
		return 2
	}
	v, fl := cfg.replayRun(sc, s, true)
	r := newResult(sc, v)
	fmt.Fprintln(stdout, r.line())
	fmt.Fprintf(stdout, "replayed: %s\n", measure(v, fl))
	if cfg.traceFile != "" {
		if err := writeTraceOf(v, cfg.traceFile); err != nil {
			fmt.Fprintf(stderr, "simrun: -trace: %v\n", err)
			return 2
		}
	}
	if !r.OK {
		fmt.Fprintf(stderr, "--- FAIL %s (replay of %s)\n%s", sc.Name, path, v.Report())
		return 1
	}
	return 0
}
