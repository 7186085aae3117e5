package wire

import "fmt"

// ID names a packet: the stream it belongs to and its message number within that stream
// and direction. Stream IDs are chosen by the client starting at 1; message IDs count the
// sender's packets on the stream starting at 1. Zero is never valid in either.
type ID struct {
	Stream  uint64
	Message uint64
}

// Less orders IDs by stream, then message.
func (i ID) Less(j ID) bool {
	if i.Stream != j.Stream {
		return i.Stream < j.Stream
	}
	return i.Message < j.Message
}

// String returns "<id s:STREAM m:MESSAGE>".
func (i ID) String() string { return fmt.Sprintf("<id s:%d m:%d>", i.Stream, i.Message) }
