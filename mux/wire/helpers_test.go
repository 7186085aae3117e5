package wire

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
)

// Tiny constructors so that tables read like the wire: frame(KindMessage, id(1, 2), "hi")
// is a done, non-control frame; more() and control() adjust it.

func id(stream, message uint64) ID { return ID{Stream: stream, Message: message} }

func frame(kind Kind, i ID, data string) Frame {
	return Frame{ID: i, Kind: kind, Done: true, Data: []byte(data)}
}

// more clears f's done bit: f is not its packet's last frame.
func more(f Frame) Frame { f.Done = false; return f }

// control sets f's control bit.
func control(f Frame) Frame { f.Control = true; return f }

func pkt(kind Kind, i ID, data string) Packet {
	return Packet{ID: i, Kind: kind, Data: []byte(data)}
}

// unhex decodes hex written with optional spaces, as the reference writes bytes.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// spaced formats b as space-separated hex bytes, for failure messages.
func spaced(b []byte) string {
	var sb strings.Builder
	for i, c := range b {
		if i > 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "%02x", c)
	}
	return sb.String()
}

// errClass names the class of err for table tests, which compare classes and never text.
func errClass(err error) string {
	switch {
	case err == nil:
		return ""
	case ProtocolError.Has(err):
		return "ProtocolError"
	case LimitError.Has(err):
		return "LimitError"
	}
	return fmt.Sprintf("unclassed(%v)", err)
}
