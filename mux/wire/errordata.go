package wire

import "encoding/binary"

// errorCodeLen is the size of the code at the front of an Error packet's data.
const errorCodeLen = 8

// AppendErrorData appends an Error packet's data to buf: code as 8 bytes big-endian, then
// msg. storj sends 0 for errors without a code; drpcerr.Unimplemented is 12.
func AppendErrorData(buf []byte, code uint64, msg string) []byte {
	buf = binary.BigEndian.AppendUint64(buf, code)
	return append(buf, msg...)
}

// ParseErrorData splits an Error packet's data into its code and message. Data shorter
// than the 8-byte code is a ProtocolError; storj instead reports such data as a code-0
// error whose text is the whole data, which a caller can do with string(data).
func ParseErrorData(data []byte) (code uint64, msg string, err error) {
	if len(data) < errorCodeLen {
		return 0, "", ProtocolError.New("invalid error data (%d bytes, need at least %d)", len(data), errorCodeLen)
	}
	return binary.BigEndian.Uint64(data), string(data[errorCodeLen:]), nil
}
