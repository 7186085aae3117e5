// Package bench compares the muxsim RPC engine (github.com/muxsim/muxsim/mux) with storj.io/drpc v1.0.0 and
// google.golang.org/grpc, side by side, on the same echo service over the same transports.
//
// It is a module of its own, so that the engine's module does not depend on drpc or gRPC.
// Everything but cmd/benchtable is in its tests:
//
//   - bench_test.go: the benchmarks (unary, streams, bidi ping-pong, concurrent callers),
//     named BenchmarkX/stack=S/transport=T so that `benchstat -col /stack` compares the
//     stacks in columns;
//   - service_test.go: the echo service every stack serves; ops_test.go: the client side
//     of each operation and the checks of every reply;
//   - muxsim_test.go, drpc_test.go, grpc_test.go: one adapter per stack;
//   - transport_test.go: TCP on 127.0.0.1 and net.Pipe; watchdog_test.go: a watchdog that
//     closes a connection that stops moving bytes, so that a hang becomes an error;
//   - bugs_test.go: the bugs these found, which skip (or retry) instead of failing while
//     they reproduce;
//   - stacks_test.go: every operation on every stack and transport, as a plain test;
//   - interop_test.go: a storj.io/drpc v1.0.0 client calling a muxsim server;
//   - cmd/benchtable: the README's table of medians and ratios from `go test -bench`.
//
// README.md says how to run them and holds the results.
package bench
