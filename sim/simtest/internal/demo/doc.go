// Package demo holds the tests that simtest's own tests run with go test in a subprocess:
// a counter that loses updates, whose tests fail only when SIMTEST_DEMO=1 is set (so that
// go test ./... stays green), and the fixed counter, which passes every seed.
package demo
