package wire

import "errors"

// Reasons a varint is malformed. They are wrapped in ProtocolError with the field they
// were found in.
var (
	errVarintTooLong    = errors.New("varint too long")
	errVarintOverflow   = errors.New("varint overflows uint64")
	errVarintNonMinimal = errors.New("varint not minimally encoded")
)

// The varint layout: seven-bit groups, a continuation bit on every byte but the last.
const (
	varintContinuation = 0x80
	varintGroupMask    = 0x7f
	varintGroupBits    = 7
	varintLastByteMax  = 1 // the tenth byte holds only bit 63
)

// AppendVarint appends the protobuf (LEB128) unsigned varint encoding of x to buf: seven
// bits per byte, least significant group first, the high bit set on every byte but the
// last. The encoding is the shortest one, between 1 and VarintLenMax bytes.
func AppendVarint(buf []byte, x uint64) []byte {
	for x >= varintContinuation {
		buf = append(buf, byte(x)|varintContinuation)
		x >>= varintGroupBits
	}
	return append(buf, byte(x))
}

// varintLen returns how many bytes AppendVarint writes for x.
func varintLen(x uint64) int {
	n := 1
	for ; x >= varintContinuation; x >>= varintGroupBits {
		n++
	}
	return n
}

// ParseVarint reads a varint from the front of buf and returns the bytes after it.
// ok is false, with a nil error, when buf ends before the varint does. The error is a
// ProtocolError when the varint runs past VarintLenMax bytes, overflows a uint64, or is
// longer than its shortest encoding. storj accepts the last two silently, but no
// conforming sender produces them, and rejecting them makes every parsed frame re-encode
// to the bytes it came from.
func ParseVarint(buf []byte) (rest []byte, x uint64, ok bool, err error) {
	rest, x, ok, err = parseVarint(buf)
	return rest, x, ok, ProtocolError.Wrap(err)
}

// parseVarint is ParseVarint with an unclassed error, so that callers can say which field
// was malformed.
func parseVarint(buf []byte) (rest []byte, x uint64, ok bool, err error) {
	for i := 0; i < VarintLenMax; i++ {
		if i == len(buf) {
			return buf, 0, false, nil
		}
		b := buf[i]
		if i == VarintLenMax-1 && b > varintLastByteMax {
			if b&varintContinuation != 0 {
				return buf, 0, false, errVarintTooLong
			}
			return buf, 0, false, errVarintOverflow
		}
		x |= uint64(b&varintGroupMask) << (varintGroupBits * i)
		if b&varintContinuation == 0 {
			if b == 0 && i > 0 {
				return buf, 0, false, errVarintNonMinimal
			}
			return buf[i+1:], x, true, nil
		}
	}
	panic("wire: varint loop ended without a verdict")
}
