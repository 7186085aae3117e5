package mux

import (
	"net"
	"time"

	"github.com/muxsim/muxsim/mux/wire"
	"github.com/muxsim/muxsim/sim"
)

// Options configure a connection, client or server. The zero value is usable: every
// field documents its default.
type Options struct {
	// Runtime runs the connection's tasks. Default sim.Real().
	Runtime *sim.Runtime
	// WriterBufferMax bounds the data bytes queued for writing on the connection; a
	// sender beyond it blocks until the writer drains, its stream ends or its context is
	// done. Default 1 MiB.
	WriterBufferMax int
	// WriteBatchMax is how many bytes the writer gathers into one transport write.
	// Default 64 KiB.
	WriteBatchMax int
	// StreamWindow is the flow-control window of each stream and direction: the Message
	// bytes a sender may have outstanding before the receiver's consumer reads them. Both
	// ends must use the same value, since each assumes the other starts with it. A stream's
	// received bytes are bounded by StreamWindow plus one partial packet (PacketMax); a
	// peer that sends beyond its credit has the stream ended with a ResourceExhausted
	// Error frame.
	// Default 256 KiB.
	StreamWindow int
	// StreamBufferMax bounds the received bytes a stream holds for its consumer in legacy
	// mode, where there is no flow control; a peer that sends more has the stream ended
	// with a ResourceExhausted Error frame. Default 16 MiB.
	StreamBufferMax int
	// MaxStreams bounds a server connection's concurrent streams; an invoke beyond it is
	// rejected with a ResourceExhausted Error frame and the connection carries on.
	// Default 1000.
	MaxStreams int
	// MetadataMax bounds an invoke's metadata, in bytes; a larger one is rejected like an
	// excess stream. Default 64 KiB.
	MetadataMax int
	// Legacy speaks to stock storj.io/drpc v1.0.0 peers: one active stream at a time on a
	// client, frames never going back to a lower stream ID, whole packets in order, no
	// flow control. Default false.
	Legacy bool
	// PacketMax bounds one received packet (message); a peer that sends a larger message
	// has the stream ended with a ResourceExhausted Error frame, and a larger invoke or
	// metadata ends the connection. Default 4 MiB, DRPC's.
	PacketMax int
	// PendingInvokesMax bounds the streams a server holds metadata for before their
	// Invoke arrives. Default 1024.
	PendingInvokesMax int
	// CloseTimeout bounds how long Close lets the writer send what was queued before it
	// closes the transport. Default 1s, on the runtime's clock.
	CloseTimeout time.Duration
	// OnHandlerPanic, if set, is told of every handler panic that the server recovers
	// (see CrashOnHandlerPanic): the RPC's name, the value passed to panic and the
	// handler's stack as runtime/debug.Stack formats it. It runs in the handler's task
	// before the caller is sent the Internal error, and a panic of its own is not
	// recovered. The stack is for logs only: it holds goroutine IDs and addresses that
	// differ from run to run. Default nil: the panic is not logged.
	OnHandlerPanic func(rpc string, value any, stack []byte)
	// CrashOnHandlerPanic lets a handler's panic propagate, ending the process (under
	// the real runtime) or failing the simulated run with a panic verdict, instead of
	// failing only that call with Internal. Default false: the server recovers the
	// panic, the caller receives an *Error with code Internal whose message names the
	// panic value, and the connection and its other calls carry on.
	CrashOnHandlerPanic bool
	// OnConnEnd, if set, is told of the end of every connection a server serves, once
	// its handlers have returned: the peer's address and the cause, nil when the client
	// hung up, the context's error when ServeOne's context ended it, else the transport's
	// error or the protocol violation that ended it (mux.ProtocolError.Has(cause)). It
	// runs in ServeOne's task; Serve's connections report here too. Default nil: ends
	// are not reported (ServeOne still returns the cause).
	OnConnEnd func(peer net.Addr, cause error)
}

// Defaults of Options.
const (
	DefaultWriterBufferMax   = 1 << 20
	DefaultWriteBatchMax     = 64 << 10
	DefaultStreamWindow      = 256 << 10
	DefaultStreamBufferMax   = 16 << 20
	DefaultMaxStreams        = 1000
	DefaultMetadataMax       = 64 << 10
	DefaultPendingInvokesMax = 1024
	DefaultCloseTimeout      = time.Second
)

func (o Options) withDefaults() Options {
	if o.Runtime == nil {
		o.Runtime = sim.Real()
	}
	if o.WriterBufferMax <= 0 {
		o.WriterBufferMax = DefaultWriterBufferMax
	}
	if o.WriteBatchMax <= 0 {
		o.WriteBatchMax = DefaultWriteBatchMax
	}
	if o.StreamWindow <= 0 {
		o.StreamWindow = DefaultStreamWindow
	}
	if o.StreamBufferMax <= 0 {
		o.StreamBufferMax = DefaultStreamBufferMax
	}
	if o.MaxStreams <= 0 {
		o.MaxStreams = DefaultMaxStreams
	}
	if o.MetadataMax <= 0 {
		o.MetadataMax = DefaultMetadataMax
	}
	if o.PacketMax <= 0 {
		o.PacketMax = wire.PacketDataMaxDefault
	}
	if o.PendingInvokesMax <= 0 {
		o.PendingInvokesMax = DefaultPendingInvokesMax
	}
	if o.CloseTimeout <= 0 {
		o.CloseTimeout = DefaultCloseTimeout
	}
	return o
}
