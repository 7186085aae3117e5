package wire

// Limits of the wire format and this codec. Each is a maximum; see the package doc for
// where each applies.
const (
	// VarintLenMax is the longest varint, in bytes, that ParseVarint accepts: ten
	// seven-bit groups hold a uint64.
	VarintLenMax = 10

	// FrameHeaderMax is the most bytes a frame takes before its data: the header byte and
	// three varints.
	FrameHeaderMax = 1 + 3*VarintLenMax

	// FrameDataMax is the largest data length, in bytes, that ParseFrame accepts in one
	// frame, and the Reader's default: 4 MiB. It equals the default packet limit because a
	// storj peer configured not to split sends a whole packet as one frame.
	FrameDataMax = 4 << 20

	// SplitDataMax is the most data bytes SplitFrame (with dataMax 0) and AppendPacket put
	// in one frame: 64 KiB, storj's default split size.
	SplitDataMax = 64 << 10

	// PacketDataMaxDefault is the Assembler's default limit on one packet's data: 4 MiB,
	// storj's default ReaderOptions.MaximumBufferSize.
	PacketDataMaxDefault = 4 << 20
)

// bufferKeepMax is the largest buffer the Reader and the Assembler keep for reuse once it
// is empty; larger ones, grown for a large frame or packet, are dropped so that one large
// message does not pin memory for the life of a connection or stream.
const bufferKeepMax = FrameHeaderMax + SplitDataMax
