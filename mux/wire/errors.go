package wire

import "github.com/zeebo/errs"

var (
	// ProtocolError is the class of errors for input that breaks the DRPC wire rules: a
	// malformed varint, a message ID that goes backwards, a kind change inside a packet, an
	// unknown kind without the control bit, malformed payloads.
	ProtocolError = errs.Class("protocol error")

	// LimitError is the class of errors for input that exceeds a limit: a frame longer than
	// the frame limit, a packet longer than the packet limit.
	LimitError = errs.Class("limit exceeded")
)
