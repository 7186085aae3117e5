// Package catalog declares scenarios: a Scenario is a named workload with its invariants,
// its fault profile and its workload sizes, and a Catalog is a set of them that the
// simrun command (package sim/simcli) runs, sweeps, shrinks and replays.
//
// It is a package of its own, not part of sim, for two reasons. It imports only sim, so a
// user's package can declare scenarios without importing muxsim's engine (mux, simnet)
// or its scenarios. And sim stays the runtime that code under test is written against:
// names, catalogues and workload sizes are the harness's concern, not the runtime's.
//
// # Declaring scenarios
//
//  1. Write the workload as a func(rt *sim.Runtime) that checks its invariants with
//     rt.Always and rt.Fail (package sim's documentation says how to write it).
//  2. Wrap it in a *Scenario with a unique Name and a Doc whose first sentence is the
//     one-line summary that simrun -list prints.
//  3. Add it to a Catalog: either one of your own (New, then Add), which you hand to
//     simcli.Config, or the process-wide one with Register from an init function, which
//     Registered returns.
//
// Add and Register panic on a duplicate name: two scenarios with one name would make a
// seed ambiguous.
package catalog
