package wire

import (
	"bytes"
	"maps"
	"strings"
	"testing"
)

// TestErrorData checks the Error payload: 8-byte big-endian code then text, as in the
// reference trace for drpcerr.WithCode(errors.New("boom"), 7).
func TestErrorData(t *testing.T) {
	for _, tc := range []struct {
		code uint64
		msg  string
		wire string
	}{
		{7, "boom", "00 00 00 00 00 00 00 07 62 6f 6f 6d"},
		{0, "", "00 00 00 00 00 00 00 00"},
		{12, "x", "00 00 00 00 00 00 00 0c 78"},
		{1<<64 - 1, "", "ff ff ff ff ff ff ff ff"},
	} {
		want := unhex(t, tc.wire)
		if got := AppendErrorData(nil, tc.code, tc.msg); !bytes.Equal(got, want) {
			t.Errorf("AppendErrorData(%d, %q) = %s, want %s", tc.code, tc.msg, spaced(got), tc.wire)
		}
		code, msg, err := ParseErrorData(want)
		if code != tc.code || msg != tc.msg || err != nil {
			t.Errorf("ParseErrorData(%s) = %d, %q, %v", tc.wire, code, msg, err)
		}
	}
	for n := range 8 {
		if _, _, err := ParseErrorData(make([]byte, n)); !ProtocolError.Has(err) {
			t.Errorf("ParseErrorData(%d bytes) = %v, want a ProtocolError", n, err)
		}
	}
}

// TestMetadataEncoding checks the InvokeMetadata bytes: the reference's {k: v} vector,
// keys in sorted order, empty strings, and lengths that need two-byte varints.
func TestMetadataEncoding(t *testing.T) {
	long := strings.Repeat("v", 200)
	for _, tc := range []struct {
		name string
		md   map[string]string
		wire string
	}{
		{"reference {k: v}", map[string]string{"k": "v"}, "0a 06 0a 01 6b 12 01 76"},
		{"empty map", map[string]string{}, ""},
		{"empty key and value", map[string]string{"": ""}, "0a 04 0a 00 12 00"},
		{"sorted keys", map[string]string{"b": "2", "a": "1", "c": ""},
			"0a 06 0a 01 61 12 01 31  0a 06 0a 01 62 12 01 32  0a 05 0a 01 63 12 00"},
		{"two-byte lengths", map[string]string{"k": long},
			"0a ce 01 0a 01 6b 12 c8 01 " + strings.Repeat("76", 200)},
	} {
		want := unhex(t, tc.wire)
		if got := AppendMetadata(nil, tc.md); !bytes.Equal(got, want) {
			t.Errorf("%s: AppendMetadata = %s, want %s", tc.name, spaced(got), spaced(want))
		}
		md, err := ParseMetadata(want)
		if err != nil || !maps.Equal(md, tc.md) {
			t.Errorf("%s: ParseMetadata = %v, %v; want %v", tc.name, md, err, tc.md)
		}
	}
}

// TestMetadataDuplicateKeys checks that a repeated key keeps its last value, as storj's
// decoder does.
func TestMetadataDuplicateKeys(t *testing.T) {
	md, err := ParseMetadata(unhex(t, "0a 06 0a 01 6b 12 01 31  0a 06 0a 01 6b 12 01 32"))
	if err != nil || len(md) != 1 || md["k"] != "2" {
		t.Errorf("ParseMetadata = %v, %v; want map[k:2]", md, err)
	}
}

// TestMetadataMalformed checks that the decoder is as strict as storj's: anything but
// entries holding exactly a key then a value is a ProtocolError.
func TestMetadataMalformed(t *testing.T) {
	for _, tc := range []struct{ name, wire string }{
		{"wrong entry tag", "12 06 0a 01 6b 12 01 76"},
		{"entry longer than data", "0a 07 0a 01 6b 12 01 76"},
		{"entry length truncated", "0a"},
		{"entry length not minimal", "0a 86 00 0a 01 6b 12 01 76"},
		{"value before key", "0a 06 12 01 76 0a 01 6b"},
		{"key only", "0a 03 0a 01 6b"},
		{"key longer than entry", "0a 06 0a 05 6b 12 01 76"},
		{"value longer than entry", "0a 06 0a 01 6b 12 02 76"},
		{"extra field in entry", "0a 08 0a 01 6b 12 01 76 18 01"},
		{"trailing byte", "0a 06 0a 01 6b 12 01 76 00"},
	} {
		if md, err := ParseMetadata(unhex(t, tc.wire)); !ProtocolError.Has(err) || md != nil {
			t.Errorf("%s: ParseMetadata(%s) = %v, %v; want a ProtocolError", tc.name, tc.wire, md, err)
		}
	}
}
