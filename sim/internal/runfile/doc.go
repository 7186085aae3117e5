// Package runfile is the one implementation of the files and lists that both front ends
// of the simulator read and write: simrun (package sim/simcli) and go test (package
// sim/simtest). It holds seed lists like 1-1000,4242 (ParseSeeds, FormatSeeds), the
// decision file that replays a run (Script, Read, Write), the failure bundle's four files
// (WriteBundle), a run's trace in the format its file's extension names (WriteTrace), a
// run's outcome as its verdict line and -json object (Result), and the report of two
// runs of one seed that differ (Divergence). simrun test (packages sim/translate and
// sim/gort) uses the same ones, with the test as the scenario.
//
// Each front end fills the fields of a Script that it knows and checks, after Read, that
// a file gives it what it needs and nothing it cannot honour; the format itself, and the
// error for a header key no one knows, live here once. The formats are the ones the two
// front ends wrote before they shared this package, byte for byte, so every decision file
// written since still reads.
package runfile
