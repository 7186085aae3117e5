package scenarios

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/muxsim/muxsim/mux"
)

// The service behind TestProperty and what its handlers answer (serverReply); the check
// of each stream's observations against it is in model_test.go.

// failMsg makes a stream handler fail with failCode and failText; a unary slot's fail
// calls /prop/Fail instead.
const (
	failMsg  = "!fail"
	failCode = mux.Aborted
	failText = "fail requested"
)

// propService is the property's service: the catalogue's (muxService) shapes, with
// stream handlers that fail on request.
func propService() *mux.Router {
	r := mux.NewRouter()
	type str = wrapperspb.StringValue
	mux.Unary(r, "/prop/Echo", func(_ context.Context, in *str) (*str, error) {
		return wrapperspb.String("echo:" + in.Value), nil
	})
	mux.Unary(r, "/prop/Fail", func(_ context.Context, in *str) (*str, error) {
		return nil, mux.Errorf(mux.InvalidArgument, "rejected %s", in.Value)
	})
	mux.ClientStream(r, "/prop/Concat", func(_ context.Context, recv func() (*str, error)) (*str, error) {
		var b strings.Builder
		for {
			m, err := recv()
			switch {
			case err == io.EOF:
				return wrapperspb.String(b.String()), nil
			case err != nil:
				return nil, err
			case m.Value == failMsg:
				return nil, mux.Errorf(failCode, failText)
			}
			b.WriteString(m.Value)
		}
	})
	mux.ServerStream(r, "/prop/Repeat", func(_ context.Context, in *str, send func(*str) error) error {
		if in.Value == failMsg {
			return mux.Errorf(failCode, failText)
		}
		for i := range 3 {
			if err := send(wrapperspb.String(fmt.Sprint(in.Value, "/", i))); err != nil {
				return err
			}
		}
		return nil
	})
	mux.Bidi(r, "/prop/Bidi", func(_ context.Context, recv func() (*str, error), send func(*str) error) error {
		for {
			m, err := recv()
			switch {
			case err == io.EOF:
				return nil
			case err != nil:
				return err
			case m.Value == failMsg:
				return mux.Errorf(failCode, failText)
			}
			if err := send(m); err != nil {
				return err
			}
		}
	})
	return r
}

// reply is what a stream's handler does with the messages it has received: the messages
// it sends, and whether it has returned, with what (Code OK: nil, the client reads
// io.EOF after the messages).
type reply struct {
	out  []string
	done bool
	code mux.Code
	msg  string
}

// serverReply is the handlers' sequential model: their reply to the client's messages in,
// in order, and, if closed, its CloseSend.
func serverReply(kind rpcKind, in []string, closed bool) reply {
	var r reply
	switch kind {
	case kindBidi, kindClientStream:
		concat := ""
		for _, m := range in {
			if m == failMsg {
				return reply{out: r.out, done: true, code: failCode, msg: failText}
			}
			if kind == kindBidi {
				r.out = append(r.out, m)
			}
			concat += m
		}
		if closed && kind == kindClientStream {
			r.out = append(r.out, concat)
		}
		r.done = closed
	case kindServerStream:
		switch {
		case len(in) > 0 && in[0] == failMsg:
			return reply{done: true, code: failCode, msg: failText}
		case len(in) > 0:
			return reply{out: []string{in[0] + "/0", in[0] + "/1", in[0] + "/2"}, done: true}
		case closed:
			return reply{done: true, code: mux.InvalidArgument, msg: "the call ended without a request"}
		}
	}
	return r
}

// isCode reports whether err is an *Error (or a context error) of code; Canceled must
// also unwrap to context.Canceled, as the semantics table requires.
func isCode(err error, code mux.Code) bool {
	if err == nil || err == io.EOF || mux.CodeOf(err) != code {
		return false
	}
	return code != mux.Canceled || errors.Is(err, context.Canceled)
}

// isReply reports whether err is the handler's error r (code and message), or io.EOF for
// a handler that returned nil.
func isReply(err error, r reply) bool {
	if r.code == mux.OK {
		return err == io.EOF
	}
	var e *mux.Error
	return errors.As(err, &e) && e.Code == r.code && e.Msg == r.msg
}

// sameError reports whether a and b are the same outcome: Recv's error is sticky.
func sameError(a, b error) bool {
	if a == io.EOF || b == io.EOF {
		return a == b
	}
	var ea, eb *mux.Error
	if errors.As(a, &ea) && errors.As(b, &eb) {
		return ea.Code == eb.Code && ea.Msg == eb.Msg
	}
	return mux.CodeOf(a) == mux.CodeOf(b)
}
