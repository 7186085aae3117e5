package wire

import "fmt"

// Frame is one unit on the wire: part or all of a packet.
type Frame struct {
	// ID is the packet the frame belongs to.
	ID ID
	// Kind is the packet's kind.
	Kind Kind
	// Control is the header's control bit: a peer that does not know Kind ignores the
	// packet instead of failing the connection.
	Control bool
	// Done marks the last frame of the packet.
	Done bool
	// Data is this frame's share of the packet data.
	Data []byte
}

// The header byte's fields.
const (
	headerControl   = 0x80
	headerKindMask  = 0x7e
	headerKindShift = 1
	headerDone      = 0x01
)

// String returns a debug form that names the frame by ID and never prints its data.
func (f Frame) String() string {
	return fmt.Sprintf("<frame s:%d m:%d kind:%v control:%t done:%t len:%d>",
		f.ID.Stream, f.ID.Message, f.Kind, f.Control, f.Done, len(f.Data))
}

// header returns the frame's header byte.
func (f Frame) header() byte {
	h := byte(f.Kind) << headerKindShift
	if f.Control {
		h |= headerControl
	}
	if f.Done {
		h |= headerDone
	}
	return h
}

// AppendFrame appends the encoding of f to buf: the header byte, the stream ID, the
// message ID and the data length as varints, then the data. It writes exactly the bits
// in f; senders that want storj's rules (splitting, Cancel with the control bit) use
// AppendPacket. It panics if f.Kind exceeds KindMax, which no parsed frame does.
func AppendFrame(buf []byte, f Frame) []byte {
	if f.Kind > KindMax {
		panic(fmt.Sprintf("wire: kind %d does not fit the header's six kind bits", f.Kind))
	}
	buf = append(buf, f.header())
	buf = AppendVarint(buf, f.ID.Stream)
	buf = AppendVarint(buf, f.ID.Message)
	buf = AppendVarint(buf, uint64(len(f.Data)))
	return append(buf, f.Data...)
}

// ParseFrame reads one frame from the front of buf and returns the bytes after it.
//
// ok is false, with a nil error and rest == buf, when buf holds only the start of a frame:
// read more bytes and call again. The error is a ProtocolError for a malformed varint and
// a LimitError for a declared data length above FrameDataMax; it is reported as soon as
// the bad field has arrived, without waiting for the data. ParseFrame does not check
// kinds or IDs: the Assembler does.
//
// f.Data aliases buf, with its capacity clipped so that appending to it cannot overwrite
// the bytes that follow.
func ParseFrame(buf []byte) (rest []byte, f Frame, ok bool, err error) {
	return parseFrame(buf, FrameDataMax)
}

// parseFrame is ParseFrame with the frame data limit as a parameter, for the Reader.
func parseFrame(buf []byte, dataMax int) (rest []byte, f Frame, ok bool, err error) {
	if len(buf) == 0 {
		return buf, Frame{}, false, nil
	}
	h := buf[0]
	f.Control = h&headerControl != 0
	f.Kind = Kind(h&headerKindMask) >> headerKindShift
	f.Done = h&headerDone != 0

	var length uint64
	rest = buf[1:]
	if rest, f.ID.Stream, ok, err = parseField(rest, "stream id"); !ok {
		return buf, Frame{}, false, err
	}
	if rest, f.ID.Message, ok, err = parseField(rest, "message id"); !ok {
		return buf, Frame{}, false, err
	}
	if rest, length, ok, err = parseField(rest, "data length"); !ok {
		return buf, Frame{}, false, err
	}
	if length > uint64(dataMax) {
		return buf, Frame{}, false, LimitError.New("frame data length %d exceeds maximum %d", length, dataMax)
	}
	if length > uint64(len(rest)) {
		return buf, Frame{}, false, nil
	}
	f.Data = rest[:length:length]
	return rest[length:], f, true, nil
}

// parseField reads one of the frame's varints; a malformed one is a ProtocolError that
// names the field, and ok is false whenever err is set.
func parseField(buf []byte, name string) (rest []byte, x uint64, ok bool, err error) {
	rest, x, ok, err = parseVarint(buf)
	if err != nil {
		return buf, 0, false, ProtocolError.New("frame %s: %v", name, err)
	}
	return rest, x, ok, nil
}
