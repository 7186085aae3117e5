package wire

import "fmt"

// Packet is one complete DRPC message: the data of a run of frames with the same ID and
// kind, the last of them done.
type Packet struct {
	// ID names the packet.
	ID ID
	// Kind is the packet's kind.
	Kind Kind
	// Control is set if any frame of the packet had the control bit. When sending, it is
	// set on every frame; Cancel packets are sent with it whatever this field says.
	Control bool
	// Data is the packet's payload.
	Data []byte
}

// String returns a debug form that names the packet by ID and never prints its data.
func (p Packet) String() string {
	return fmt.Sprintf("<packet s:%d m:%d kind:%v control:%t len:%d>",
		p.ID.Stream, p.ID.Message, p.Kind, p.Control, len(p.Data))
}
