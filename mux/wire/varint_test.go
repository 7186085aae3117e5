package wire

import (
	"bytes"
	"math"
	"testing"
)

// TestVarint checks the encoding against hand-written protobuf varints and that parsing
// inverts it, leaving the bytes after the varint alone.
func TestVarint(t *testing.T) {
	for _, tc := range []struct {
		x    uint64
		wire string
	}{
		{0, "00"},
		{1, "01"},
		{127, "7f"},
		{128, "80 01"},
		{300, "ac 02"},
		{16383, "ff 7f"},
		{16384, "80 80 01"},
		{1 << 63, "80 80 80 80 80 80 80 80 80 01"},
		{math.MaxUint64, "ff ff ff ff ff ff ff ff ff 01"},
	} {
		want := unhex(t, tc.wire)
		got := AppendVarint(nil, tc.x)
		if !bytes.Equal(got, want) {
			t.Errorf("AppendVarint(%d) = %s, want %s", tc.x, spaced(got), tc.wire)
		}
		if n := varintLen(tc.x); n != len(want) {
			t.Errorf("varintLen(%d) = %d, want %d", tc.x, n, len(want))
		}
		rest, x, ok, err := ParseVarint(append(want, 0xee))
		if x != tc.x || !ok || err != nil || !bytes.Equal(rest, []byte{0xee}) {
			t.Errorf("ParseVarint(%s ee) = rest %s, %d, %t, %v; want rest ee, %d, true, nil",
				tc.wire, spaced(rest), x, ok, err, tc.x)
		}
	}
}

// TestVarintTruncated checks that a varint cut short asks for more bytes without error.
func TestVarintTruncated(t *testing.T) {
	for _, wire := range []string{"", "80", "ff ff", "ff ff ff ff ff ff ff ff ff"} {
		buf := unhex(t, wire)
		rest, _, ok, err := ParseVarint(buf)
		if ok || err != nil || len(rest) != len(buf) {
			t.Errorf("ParseVarint(%s) = ok %t, err %v, %d bytes left; want need-more", wire, ok, err, len(rest))
		}
	}
}

// TestVarintMalformed checks the encodings ParseVarint rejects: longer than ten bytes,
// more than 64 bits, or not the shortest encoding.
func TestVarintMalformed(t *testing.T) {
	for _, wire := range []string{
		"ff ff ff ff ff ff ff ff ff ff",    // ten continuation bytes: an eleventh would follow
		"ff ff ff ff ff ff ff ff ff ff 01", // eleven bytes
		"80 80 80 80 80 80 80 80 80 80 00", // eleven bytes, value 0
		"ff ff ff ff ff ff ff ff ff 02",    // bit 64 set
		"80 80 80 80 80 80 80 80 80 7f",    // bits above 63
		"80 00",                            // 0 in two bytes
		"ff 80 00",                         // 127 in three bytes
		"80 80 80 80 80 80 80 80 80 00",    // 0 in ten bytes
	} {
		_, _, ok, err := ParseVarint(unhex(t, wire))
		if ok || !ProtocolError.Has(err) {
			t.Errorf("ParseVarint(%s) = ok %t, err %v; want a ProtocolError", wire, ok, err)
		}
	}
}
