// Package mux is a DRPC-compatible, stream-multiplexing RPC engine: many concurrent RPCs
// (unary, client-stream, server-stream, bidi) over one transport, byte-compatible with
// storj.io/drpc's wire format (package mux/wire). It is written only against the sim
// runtime, so the same code serves RPCs over TCP in production and runs under the
// deterministic scheduler in simulation.
//
// # Architecture
//
//  1. One reader task per connection is the only authority on the transport's health: it
//     reads frames, hands each to its stream's assembler, and on a server registers a new
//     stream (and starts its handler task) before it reads the next frame. Frames for
//     unknown streams are dropped; stream 0, a non-control unknown kind, an invoke on an
//     existing stream or a malformed frame end the connection.
//  2. One writer task owns the transport's write side. Streams hand it packets without
//     doing I/O. It serves the streams' queues round-robin, one frame (at most 64 KiB) at a
//     time, and Cancel frames before anything else; it bounds the bytes queued
//     (Options.WriterBufferMax), so a sender to a peer that stopped reading blocks. Stopping
//     it never waits for it, and it marks itself stopped before it reports its own write
//     error, so the error path cannot wait on itself.
//  3. Each stream's received messages are copied into its own queue, bounded in bytes
//     (Options.StreamBufferMax): the reader never waits for a consumer; a peer that
//     overruns the bound has that stream cancelled with ResourceExhausted.
//  4. A stream's state machine (state.go) is a pure function, tested without tasks.
//     A client's metadata and invoke are queued as one unit, so a cancellation cannot
//     fall between them.
//  5. Termination is synchronous: when the connection dies, every stream is ended with the
//     connection's error before terminate returns. Close lets the writer send what was
//     queued (for at most Options.CloseTimeout), then terminates, then waits for every
//     task the connection started.
//
// # Error semantics
//
// As gRPC's (DESIGN §6.3): after the caller's context ends, Send returns io.EOF and Recv,
// unary calls and CloseAndRecv return Canceled (DeadlineExceeded for deadlines) as an
// *Error; a unary call never returns io.EOF. After a handler returns an error, Send returns
// io.EOF and Recv returns that error with its code, every time. A client that loses its
// connection sees Unavailable; a handler whose client went away sees Canceled. Handler
// errors, remote Close, CloseSend, Cancel and Error end only their stream; transport
// errors, protocol errors and Close end the connection.
//
// A handler that panics fails only its own call: the server recovers the panic, reports
// it with its stack to Options.OnHandlerPanic (default: not reported), and sends the
// caller an *Error with code Internal whose message names the panic value
// ("handler panicked: boom"); the connection, its other calls and the server carry on,
// and under the simulator the run does not fail. Set Options.CrashOnHandlerPanic to let
// the panic propagate instead (it ends the process, or fails the simulated run with a
// panic verdict). The simulator's own unwinding of a task is never recovered.
//
// Codes are 64-bit on the wire and any value is kept: a code without a name prints as
// "code N". DRPC's code 0 means "no code", so an error sent with OK or without a code
// arrives as Unknown.
package mux

//simvet:simulated
