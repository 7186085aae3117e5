// Package mux is a DRPC-compatible, stream-multiplexing RPC engine written against the
// sim runtime, so that the same code serves RPCs over TCP in production and runs under
// the deterministic scheduler in simulation (DESIGN §6).
//
// Not built yet: this package is a placeholder in the layout until its issue lands.
package mux
