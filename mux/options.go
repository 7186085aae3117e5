package mux

import (
	"time"

	"muxsim/mux/wire"
	"muxsim/sim"
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
	// StreamBufferMax bounds the received bytes a stream holds for its consumer; a peer
	// that sends more has the stream cancelled with ResourceExhausted. Default 16 MiB.
	StreamBufferMax int
	// PacketMax bounds one received packet (message). Default 4 MiB, DRPC's.
	PacketMax int
	// PendingInvokesMax bounds the streams a server holds metadata for before their
	// Invoke arrives. Default 1024.
	PendingInvokesMax int
	// CloseTimeout bounds how long Close lets the writer send what was queued before it
	// closes the transport. Default 1s, on the runtime's clock.
	CloseTimeout time.Duration
}

// Defaults of Options.
const (
	DefaultWriterBufferMax   = 1 << 20
	DefaultWriteBatchMax     = 64 << 10
	DefaultStreamBufferMax   = 16 << 20
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
	if o.StreamBufferMax <= 0 {
		o.StreamBufferMax = DefaultStreamBufferMax
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
