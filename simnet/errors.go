package simnet

import (
	"errors"
	"net"
	"os"
	"syscall"
)

// The errors a simulated connection returns, wrapped in *net.OpError as the net package
// does, so that callers test them with errors.Is exactly as they would a TCP connection's.
var (
	// ErrReset: the connection was reset (a fault, or the peer vanished); pending and
	// later operations on both ends fail with it.
	ErrReset = syscall.ECONNRESET
	// ErrBrokenPipe: a write after the peer closed its end.
	ErrBrokenPipe = syscall.EPIPE
	// ErrRefused: a dial to an address nobody listens on, or whose backlog is full.
	ErrRefused = syscall.ECONNREFUSED
	// ErrUnreachable: a dial across a partition, once its context ends.
	ErrUnreachable = syscall.EHOSTUNREACH
	// ErrAddrInUse: a second Listen on the same address.
	ErrAddrInUse = syscall.EADDRINUSE
)

// errTimeout is what an operation past its deadline returns (inside an *net.OpError):
// errors.Is(err, os.ErrDeadlineExceeded) holds and Timeout() reports true.
var errTimeout = os.ErrDeadlineExceeded

// opError wraps err the way the net package does.
func opError(op string, local, remote net.Addr, err error) error {
	if err == nil {
		return nil
	}
	return &net.OpError{Op: op, Net: "simnet", Source: local, Addr: remote, Err: err}
}

// IsTimeout reports whether err is a deadline expiry.
func IsTimeout(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }
