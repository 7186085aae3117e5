package wire

import (
	"errors"
	"slices"
)

// Protobuf tags of the metadata encoding, which is wire-identical to
//
//	message Metadata { repeated Entry entries = 1; }
//	message Entry { string key = 1; string value = 2; }
const (
	tagEntry = 0x0a // field 1, length-delimited
	tagKey   = 0x0a // field 1, length-delimited
	tagValue = 0x12 // field 2, length-delimited
)

// AppendMetadata appends an InvokeMetadata packet's data to buf: one entry
// 0x0a len (0x0a len key 0x12 len value) per key, keys in increasing order so that the
// same map always gives the same bytes (storj writes them in map order). Empty keys and
// values are written like any other.
func AppendMetadata(buf []byte, md map[string]string) []byte {
	keys := make([]string, 0, len(md))
	for k := range md {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		buf = appendEntry(buf, k, md[k])
	}
	return buf
}

// appendEntry appends one metadata entry.
func appendEntry(buf []byte, key, value string) []byte {
	size := stringFieldLen(key) + stringFieldLen(value)
	buf = append(buf, tagEntry)
	buf = AppendVarint(buf, uint64(size))
	buf = append(buf, tagKey)
	buf = AppendVarint(buf, uint64(len(key)))
	buf = append(buf, key...)
	buf = append(buf, tagValue)
	buf = AppendVarint(buf, uint64(len(value)))
	return append(buf, value...)
}

// stringFieldLen is the encoded size of a length-delimited field holding s.
func stringFieldLen(s string) int { return 1 + varintLen(uint64(len(s))) + len(s) }

// ParseMetadata decodes an InvokeMetadata packet's data. It is as strict as storj: every
// entry is tag 0x0a with a length, holding exactly a key field (0x0a) then a value field
// (0x12), and nothing else; anything else is a ProtocolError. A repeated key keeps its
// last value. Empty data gives an empty map.
func ParseMetadata(data []byte) (map[string]string, error) {
	md := make(map[string]string)
	for rest := data; len(rest) > 0; {
		key, value, next, err := parseEntry(rest)
		if err != nil {
			return nil, ProtocolError.New("invalid metadata entry at offset %d: %v", len(data)-len(rest), err)
		}
		md[string(key)] = string(value)
		rest = next
	}
	return md, nil
}

// parseEntry reads one metadata entry from the front of buf.
func parseEntry(buf []byte) (key, value, rest []byte, err error) {
	entry, rest, err := parseDelimited(buf, tagEntry)
	if err != nil {
		return nil, nil, nil, err
	}
	if key, entry, err = parseDelimited(entry, tagKey); err != nil {
		return nil, nil, nil, err
	}
	if value, entry, err = parseDelimited(entry, tagValue); err != nil {
		return nil, nil, nil, err
	}
	if len(entry) != 0 {
		return nil, nil, nil, errTrailing
	}
	return key, value, rest, nil
}

// Reasons metadata is malformed.
var (
	errWrongTag = errors.New("unexpected field tag")
	errTrailing = errors.New("trailing bytes in entry")
	errShort    = errors.New("field longer than its container")
)

// parseDelimited reads one length-delimited protobuf field with the given tag from the front
// of buf and returns its contents and the bytes after it.
func parseDelimited(buf []byte, tag byte) (field, rest []byte, err error) {
	if len(buf) == 0 || buf[0] != tag {
		return nil, nil, errWrongTag
	}
	rest, n, ok, err := parseVarint(buf[1:])
	switch {
	case err != nil:
		return nil, nil, err
	case !ok || n > uint64(len(rest)):
		return nil, nil, errShort
	}
	return rest[:n], rest[n:], nil
}
