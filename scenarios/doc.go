// Package scenarios is muxsim's catalogue: small simulated workloads with invariants,
// each a Scenario value that runs under the simulated runtime for a seed. Canaries plant
// a known kind of concurrency bug and measure the framework (how many seeds each strategy
// needs to find it); the default catalogue must pass for every seed.
package scenarios
