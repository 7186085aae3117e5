package wire

import "math"

// AssemblerOptions configures an Assembler. The zero value gives the defaults.
type AssemblerOptions struct {
	// PacketDataMax is the largest packet data, in bytes, the Assembler accepts; a packet
	// whose frames add up to more is a LimitError. Zero means PacketDataMaxDefault (4 MiB).
	PacketDataMax int
}

// Assembler turns one stream's frames, in the order they arrived, into packets. It is a
// pure state machine: no I/O, no goroutines, no locks. The caller keeps one per stream and
// pushes into it only that stream's frames.
//
// It applies storj.io/drpc v1.0.0's receive-side rules (reference/drpc.md §1.4), scoped to
// one stream as in the multiplexing fork:
//
//  1. A frame for another stream, or for stream 0, is a ProtocolError.
//  2. Message IDs never go backwards: a frame whose message ID is below the packet being
//     assembled, or not above the last finished packet, is a ProtocolError ("id
//     monotonicity violation"). Message 0 is always below.
//  3. A frame with a higher message ID starts a new packet and abandons the partial one:
//     its data is dropped and counted by Discarded. Gaps in message IDs are legal.
//  4. A frame with the same message ID but another kind is a ProtocolError ("packet kind
//     change").
//  5. A packet whose data would exceed PacketDataMax is a LimitError.
//  6. A done frame finishes the packet. It is Control if any of its frames was. A
//     finished packet of an unknown kind is a ProtocolError unless it is Control; the
//     caller ignores such control packets.
//
// Every error is final: later pushes return it again, since DRPC fails the connection.
type Assembler struct {
	stream  uint64
	dataMax int

	// next is the lowest acceptable message ID: the packet being assembled, or one past
	// the last finished packet (storj's Reader.id.Message). exhausted is set once a packet
	// with the largest message ID finished, after which no ID is acceptable.
	next      uint64
	exhausted bool

	// assembling is set between a packet's first frame and its done frame; pkt holds the
	// partial packet, whose data lives in buf.
	assembling bool
	pkt        Packet
	buf        []byte

	discarded uint64
	err       error
}

// NewAssembler returns an Assembler for stream with the default options.
func NewAssembler(stream uint64) *Assembler {
	return NewAssemblerWithOptions(stream, AssemblerOptions{})
}

// NewAssemblerWithOptions returns an Assembler for stream. It panics if
// opts.PacketDataMax is negative.
func NewAssemblerWithOptions(stream uint64, opts AssemblerOptions) *Assembler {
	if opts.PacketDataMax < 0 {
		panic("wire: negative AssemblerOptions.PacketDataMax")
	}
	if opts.PacketDataMax == 0 {
		opts.PacketDataMax = PacketDataMaxDefault
	}
	return &Assembler{stream: stream, dataMax: opts.PacketDataMax, next: 1}
}

// Discarded returns how many data bytes were dropped from packets abandoned by a frame
// with a higher message ID, for flow-control accounting.
func (a *Assembler) Discarded() uint64 { return a.discarded }

// Push adds the next frame of the stream. When f finishes a packet, ok is true and p is
// the packet.
//
// p.Data aliases either f.Data (a packet whose data came in its last frame, the common
// single-frame case) or the Assembler's buffer. It is valid until the next Push and until
// f.Data's memory is reused (the Reader's next ReadFrame): copy it to keep it.
func (a *Assembler) Push(f Frame) (p Packet, ok bool, err error) {
	if a.err != nil {
		return Packet{}, false, a.err
	}
	p, ok, err = a.push(f)
	if err != nil {
		a.err = err
		a.assembling, a.pkt, a.buf = false, Packet{}, nil
		return Packet{}, false, err
	}
	return p, ok, nil
}

// push applies the rules in the order of the type's doc.
func (a *Assembler) push(f Frame) (Packet, bool, error) {
	switch {
	case f.ID.Stream != a.stream || f.ID.Stream == 0:
		return Packet{}, false, ProtocolError.New("frame for stream %d pushed to assembler of stream %d", f.ID.Stream, a.stream)
	case a.exhausted:
		return Packet{}, false, ProtocolError.New("id monotonicity violation (frame %v after the last message id)", f.ID)
	case f.ID.Message < a.next:
		return Packet{}, false, ProtocolError.New("id monotonicity violation (frame %v, lowest acceptable message %d)", f.ID, a.next)
	case !a.assembling || f.ID.Message > a.next:
		a.start(f)
	case f.Kind != a.pkt.Kind:
		return Packet{}, false, ProtocolError.New("packet kind change (frame %v, packet %v)", f.Kind, a.pkt.Kind)
	}

	if len(f.Data) > a.dataMax-len(a.pkt.Data) {
		return Packet{}, false, LimitError.New("packet data overflow (%d bytes exceeds maximum %d)", len(a.pkt.Data)+len(f.Data), a.dataMax)
	}
	a.pkt.Control = a.pkt.Control || f.Control
	if !f.Done {
		a.pkt.Data = append(a.pkt.Data, f.Data...)
		a.buf = a.pkt.Data
		return Packet{}, false, nil
	}

	p := a.pkt
	if len(p.Data) == 0 {
		p.Data = f.Data
	} else {
		p.Data = append(p.Data, f.Data...)
		a.buf = p.Data
	}
	a.assembling, a.pkt = false, Packet{}
	if f.ID.Message == math.MaxUint64 {
		a.exhausted = true
	} else {
		a.next = f.ID.Message + 1
	}
	if !p.Kind.Known() && !p.Control {
		return Packet{}, false, ProtocolError.New("unknown packet kind: %v", p.Kind)
	}
	return p, true, nil
}

// start begins a packet with f's ID and kind, abandoning any partial packet.
func (a *Assembler) start(f Frame) {
	if a.assembling {
		a.discarded += uint64(len(a.pkt.Data))
	}
	if cap(a.buf) > bufferKeepMax {
		a.buf = nil
	}
	a.assembling = true
	a.next = f.ID.Message
	a.pkt = Packet{ID: f.ID, Kind: f.Kind, Data: a.buf[:0]}
}
