// Package wire is the DRPC wire codec: it encodes and decodes the frames, packets and
// payloads that storj.io/drpc v1.0.0 puts on a connection, byte for byte (DESIGN §6.1,
// reference/drpc.md §1). It does no I/O of its own beyond the Reader, keeps no clock,
// starts no goroutines and takes no locks, so the engine and the simulator can drive it
// step by step.
//
// # Frames
//
// A frame is one header byte, three unsigned varints and the data:
//
//	+--------+-----------+------------+--------+--------------+
//	| header | stream id | message id | length | data[length] |
//	| 1 byte | uvarint   | uvarint    | uvarint|              |
//	+--------+-----------+------------+--------+--------------+
//
//	header bit 7    (0x80) control: unknown kinds with this bit are ignored by peers
//	header bits 6-1 (0x7e) kind (Invoke 1 ... InvokeMetadata 7)
//	header bit 0    (0x01) done: the last frame of its packet
//
// Varints are protobuf (LEB128) unsigned varints of at most VarintLenMax (10) bytes. There
// is no preface, padding or checksum. AppendFrame and ParseFrame convert one frame; a
// Reader pulls frames from an io.Reader through a bounded buffer.
//
// # Packets
//
// A packet is a run of frames with the same stream, message and kind that ends with a done
// frame. Senders split packets into frames with SplitFrame or AppendPacket. A receiver
// keeps one Assembler per stream and pushes that stream's frames into it; the Assembler
// applies storj's receive-side rules: message IDs never go backwards, a frame with a higher
// message ID abandons the partial packet, a kind change inside a packet is an error, and a
// finished packet of an unknown kind is an error unless it carries the control bit (the
// caller ignores such packets).
//
// # Payloads
//
// Error packets carry an 8-byte big-endian code and the message text (AppendErrorData,
// ParseErrorData). InvokeMetadata packets carry protobuf-compatible entries
// 0x0a len (0x0a len key 0x12 len value) (AppendMetadata, ParseMetadata).
//
// # Limits
//
//   - VarintLenMax = 10 bytes per varint; FrameHeaderMax = 31 bytes before a frame's data.
//   - FrameDataMax = 4 MiB of data in one frame: ParseFrame's limit and the Reader's
//     default (ReaderOptions.FrameDataMax). The Reader's buffer never exceeds
//     FrameHeaderMax + its frame limit, however large a length the peer declares.
//   - SplitDataMax = 64 KiB of data per frame when splitting, as storj sends.
//   - PacketDataMaxDefault = 4 MiB of data per packet: the Assembler's default
//     (AssemblerOptions.PacketDataMax).
//
// # Errors
//
// Malformed input is a ProtocolError; input beyond a limit is a LimitError. Both are
// fatal to the connection in DRPC. Nothing in this package panics on peer input; it
// panics only when its caller breaks a documented precondition.
package wire

//simvet:simulated
