package mux

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/zeebo/errs"

	"github.com/muxsim/muxsim/mux/wire"
)

// Code is an RPC status code. The values are gRPC's, so that codes survive a trip through
// DRPC's Error frame (an 8-byte big-endian code) and mean the same on both stacks.
type Code uint64

// The status codes.
const (
	OK                 Code = 0
	Canceled           Code = 1
	Unknown            Code = 2
	InvalidArgument    Code = 3
	DeadlineExceeded   Code = 4
	NotFound           Code = 5
	AlreadyExists      Code = 6
	PermissionDenied   Code = 7
	ResourceExhausted  Code = 8
	FailedPrecondition Code = 9
	Aborted            Code = 10
	OutOfRange         Code = 11
	Unimplemented      Code = 12
	Internal           Code = 13
	Unavailable        Code = 14
	DataLoss           Code = 15
	Unauthenticated    Code = 16
)

var codeNames = [...]string{"ok", "canceled", "unknown", "invalid argument", "deadline exceeded",
	"not found", "already exists", "permission denied", "resource exhausted",
	"failed precondition", "aborted", "out of range", "unimplemented", "internal",
	"unavailable", "data loss", "unauthenticated"}

// String returns the code's name, or "code N" for a code without one. Any 64-bit value
// prints: a stock DRPC peer may send any code, and converting it to int first would wrap
// the codes from 2^63 up to negative indexes.
func (c Code) String() string {
	if c < Code(len(codeNames)) {
		return codeNames[c]
	}
	return fmt.Sprintf("code %d", uint64(c))
}

// Error is an RPC error with a status code: what a handler returns to fail a call with a
// code, and what a caller receives. It unwraps to its cause, so that a cancelled call's
// error satisfies errors.Is(err, context.Canceled).
type Error struct {
	Code  Code
	Msg   string
	cause error
}

func (e *Error) Error() string { return e.Code.String() + ": " + e.Msg }

// Unwrap returns the error's cause, if any.
func (e *Error) Unwrap() error { return e.cause }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code Code, format string, args ...any) error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// CodeOf returns the status code of err: OK for nil, the code of an *Error in its chain,
// Canceled and DeadlineExceeded for the context errors, Unknown otherwise.
func CodeOf(err error) Code {
	var e *Error
	switch {
	case err == nil:
		return OK
	case errors.As(err, &e):
		return e.Code
	case errors.Is(err, context.Canceled):
		return Canceled
	case errors.Is(err, context.DeadlineExceeded):
		return DeadlineExceeded
	}
	return Unknown
}

// statusOf turns a context error into the error a caller sees: Canceled or
// DeadlineExceeded, unwrapping to the context error.
func statusOf(err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Code: DeadlineExceeded, Msg: "context deadline exceeded", cause: context.DeadlineExceeded}
	case errors.Is(err, context.Canceled):
		return &Error{Code: Canceled, Msg: "context canceled", cause: context.Canceled}
	}
	return err
}

// Operating errors, by class.
var (
	// ProtocolError marks a peer that broke the wire protocol; the connection ends.
	ProtocolError = errs.Class("protocol error")
	// ClosedError marks operations on a connection that has ended.
	ClosedError = errs.Class("connection closed")
)

// Errors a stream reports.
var (
	errSendClosed = errors.New("send after CloseSend")
	errClosed     = errors.New("stream closed")
)

// errorData is the data of the Error packet that reports err to the peer.
func errorData(err error) []byte {
	return wire.AppendErrorData(nil, wireCode(err), errorText(err))
}

// parseErrorData turns an Error packet's data into the error its receiver sees (an
// *Error); data too short to hold a code is a ProtocolError.
func parseErrorData(data []byte) (error, error) {
	code, msg, err := wire.ParseErrorData(data)
	if err != nil {
		return nil, ProtocolError.Wrap(err)
	}
	return remoteError(code, msg), nil
}

// wireCode is the code an Error frame carries for err: its *Error code, or 0 (storj's "no
// code") for a plain error.
func wireCode(err error) uint64 {
	if CodeOf(err) == Unknown {
		return 0
	}
	return uint64(CodeOf(err))
}

// errorText is the message an Error frame carries for err: an *Error's Msg without its
// code (the frame carries that), any other error's text.
func errorText(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Msg
	}
	return err.Error()
}

// remoteError turns an Error frame's code and message into the error a receiver sees.
func remoteError(code uint64, msg string) error {
	c := Code(code)
	if c == OK {
		c = Unknown // storj sends code 0 for errors without one
	}
	return &Error{Code: c, Msg: msg}
}

// unavailable is what a client's calls see when its connection dies under them.
func unavailable(cause error) error {
	return &Error{Code: Unavailable, Msg: "connection lost: " + cause.Error(), cause: cause}
}

// isEOF reports a clean end of the transport.
func isEOF(err error) bool { return errors.Is(err, io.EOF) }

// errCanceledByPeer is the cause a server stream records when its client cancels.
var errCanceledByPeer = errorsCanceled{}

type errorsCanceled struct{}

func (errorsCanceled) Error() string { return "canceled by the peer" }
func (errorsCanceled) Is(target error) bool {
	return target == context.Canceled
}
