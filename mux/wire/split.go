package wire

// SplitFrame cuts the next frame off p and returns it with what remains of p. more is
// false when f is the packet's last frame (f.Done is set).
//
// Each frame carries at most dataMax bytes of data: 0 means SplitDataMax (64 KiB) and a
// negative value means never split. As storj does, a packet whose data fits in one frame,
// including an empty one, is sent as a single done frame, so an empty Close on stream 1
// message 5 is 0b 01 05 00. Every frame carries the packet's control bit, and Cancel
// packets always carry it (header 0x89).
//
// A writer that interleaves streams keeps rest per stream and calls SplitFrame once per
// turn; f.Data and rest.Data alias p.Data.
func SplitFrame(p Packet, dataMax int) (f Frame, rest Packet, more bool) {
	if dataMax == 0 {
		dataMax = SplitDataMax
	}
	f = Frame{
		ID:      p.ID,
		Kind:    p.Kind,
		Control: p.Control || p.Kind.alwaysControl(),
		Done:    true,
		Data:    p.Data,
	}
	rest = p
	rest.Data = nil
	if dataMax > 0 && len(p.Data) > dataMax {
		f.Data, rest.Data = p.Data[:dataMax:dataMax], p.Data[dataMax:]
		f.Done = false
	}
	return f, rest, !f.Done
}

// AppendPacket appends p to buf as storj.io/drpc sends it: frames of at most SplitDataMax
// bytes of data, the last one done (see SplitFrame).
func AppendPacket(buf []byte, p Packet) []byte {
	for more := true; more; {
		var f Frame
		f, p, more = SplitFrame(p, 0)
		buf = AppendFrame(buf, f)
	}
	return buf
}
