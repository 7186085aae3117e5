package wire

import (
	"bytes"
	"strings"
	"testing"
)

// TestFrameHeader checks the header byte for each kind and flag against the table in
// reference/drpc.md §1.2, and that ParseFrame reads back the same frame.
func TestFrameHeader(t *testing.T) {
	for _, tc := range []struct {
		f    Frame
		wire string
	}{
		{frame(KindInvoke, id(1, 1), ""), "03 01 01 00"},
		{more(frame(KindInvoke, id(1, 1), "")), "02 01 01 00"},
		{frame(KindMessage, id(1, 1), ""), "05 01 01 00"},
		{more(frame(KindMessage, id(1, 1), "")), "04 01 01 00"},
		{frame(KindError, id(1, 1), ""), "07 01 01 00"},
		{control(frame(KindCancel, id(1, 1), "")), "89 01 01 00"},
		{frame(KindClose, id(1, 1), ""), "0b 01 01 00"},
		{frame(KindCloseSend, id(1, 1), ""), "0d 01 01 00"},
		{frame(KindInvokeMetadata, id(1, 1), ""), "0f 01 01 00"},
		{control(frame(Kind(8), id(1, 1), "")), "91 01 01 00"}, // cockroach's WindowUpdate
		{control(frame(Kind(9), id(1, 1), "")), "93 01 01 00"},
		{control(frame(KindMax, id(1, 1), "")), "ff 01 01 00"},
		{more(frame(Kind(0), id(0, 0), "")), "00 00 00 00"},
		{frame(KindMessage, id(300, 128), "hi"), "05 ac 02 80 01 02 68 69"},
	} {
		want := unhex(t, tc.wire)
		if got := AppendFrame(nil, tc.f); !bytes.Equal(got, want) {
			t.Errorf("AppendFrame(%v) = %s, want %s", tc.f, spaced(got), tc.wire)
		}
		rest, f, ok, err := ParseFrame(want)
		if !ok || err != nil || len(rest) != 0 || !sameFrame(f, tc.f) {
			t.Errorf("ParseFrame(%s) = %v, %t, %v, %d left; want %v", tc.wire, f, ok, err, len(rest), tc.f)
		}
	}
}

// TestFrameHeaderBits checks every header byte: the control, kind and done bits decode to
// the right fields and re-encode to the same byte.
func TestFrameHeaderBits(t *testing.T) {
	for h := range 256 {
		buf := []byte{byte(h), 1, 2, 0}
		_, f, ok, err := ParseFrame(buf)
		if !ok || err != nil {
			t.Fatalf("ParseFrame(%02x 01 02 00) = %t, %v", h, ok, err)
		}
		if f.Control != (h&0x80 != 0) || f.Done != (h&1 != 0) || f.Kind != Kind(h>>1&63) {
			t.Errorf("header %02x parsed as %v", h, f)
		}
		if got := AppendFrame(nil, f); !bytes.Equal(got, buf) {
			t.Errorf("header %02x re-encoded as %s", h, spaced(got))
		}
	}
}

// TestParseFrameTruncated checks that every proper prefix of a frame asks for more bytes,
// with no error and buf returned whole, and that the whole frame parses.
func TestParseFrameTruncated(t *testing.T) {
	full := AppendFrame(nil, frame(KindMessage, id(1<<40, 1<<63), "hello, world"))
	for n := range len(full) {
		rest, _, ok, err := ParseFrame(full[:n])
		if ok || err != nil || len(rest) != n {
			t.Errorf("ParseFrame(first %d of %d bytes) = ok %t, err %v, %d left; want need-more", n, len(full), ok, err, len(rest))
		}
	}
	if _, _, ok, err := ParseFrame(full); !ok || err != nil {
		t.Errorf("ParseFrame(whole frame) = %t, %v", ok, err)
	}
}

// TestParseFrameMalformed checks that bad varints and over-long lengths are errors of the
// right class, reported before the frame's data has arrived.
func TestParseFrameMalformed(t *testing.T) {
	tooLong := strings.Repeat("ff ", 10)
	for _, tc := range []struct {
		name, wire, class string
	}{
		{"stream varint too long", "05 " + tooLong + "01 00", "ProtocolError"},
		{"message varint too long", "05 01 " + tooLong + "00", "ProtocolError"},
		{"length varint too long", "05 01 01 " + tooLong, "ProtocolError"},
		{"stream varint overflows", "05 ff ff ff ff ff ff ff ff ff 02 01 00", "ProtocolError"},
		{"message varint not minimal", "05 01 81 00 00", "ProtocolError"},
		{"length above FrameDataMax", "05 01 01 81 80 80 02", "LimitError"},           // 4 MiB + 1
		{"length max uint64", "05 01 01 ff ff ff ff ff ff ff ff ff 01", "LimitError"}, // and no data
	} {
		buf := unhex(t, tc.wire)
		rest, _, ok, err := ParseFrame(buf)
		if ok || errClass(err) != tc.class || len(rest) != len(buf) {
			t.Errorf("%s: ParseFrame(%s) = ok %t, err %v; want %s", tc.name, tc.wire, ok, err, tc.class)
		}
	}
}

// TestParseFrameLimit checks that a length of exactly FrameDataMax is accepted: with its
// data missing it asks for more rather than failing.
func TestParseFrameLimit(t *testing.T) {
	buf := AppendVarint([]byte{0x05, 1, 1}, FrameDataMax)
	if _, _, ok, err := ParseFrame(buf); ok || err != nil {
		t.Errorf("ParseFrame(length FrameDataMax, no data) = %t, %v; want need-more", ok, err)
	}
	buf = append(buf, make([]byte, FrameDataMax)...)
	if _, f, ok, err := ParseFrame(buf); !ok || err != nil || len(f.Data) != FrameDataMax {
		t.Errorf("ParseFrame(length FrameDataMax) = %v, %t, %v", f, ok, err)
	}
}

// TestParseFrameSequence checks that rest continues at the next frame and that a frame's
// data cannot be appended into the bytes that follow it.
func TestParseFrameSequence(t *testing.T) {
	a, b := frame(KindMessage, id(1, 1), "ab"), control(frame(KindCancel, id(1, 2), ""))
	buf := AppendFrame(AppendFrame(nil, a), b)
	rest, f, ok, err := ParseFrame(buf)
	if !ok || err != nil || !sameFrame(f, a) {
		t.Fatalf("first frame: %v, %t, %v", f, ok, err)
	}
	_ = append(f.Data, 'x')
	rest, f, ok, err = ParseFrame(rest)
	if !ok || err != nil || !sameFrame(f, b) || len(rest) != 0 {
		t.Fatalf("second frame: %v, %t, %v, %d left; appending to the first frame's data clobbered it?", f, ok, err, len(rest))
	}
}

// TestAppendFrameKindTooLarge checks that a kind beyond the header's six bits panics: it
// is a caller bug, never peer input.
func TestAppendFrameKindTooLarge(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("AppendFrame with kind 64 did not panic")
		}
	}()
	AppendFrame(nil, frame(KindMax+1, id(1, 1), ""))
}

// sameFrame compares frames, treating nil and empty data alike.
func sameFrame(a, b Frame) bool {
	return a.ID == b.ID && a.Kind == b.Kind && a.Control == b.Control && a.Done == b.Done &&
		bytes.Equal(a.Data, b.Data)
}
