package mux

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/muxsim/muxsim/mux/wire"
)

// TestCodeBoundaries checks that every 64-bit code prints and crosses the wire unchanged.
// A stock DRPC peer may send any uint64 code, and String once converted the code to int
// before indexing its names, so the codes from 2^63 up panicked. The method: the boundary
// codes of the name table and of the signed conversion, each printed and round-tripped.
func TestCodeBoundaries(t *testing.T) {
	lastNamed := Code(len(codeNames) - 1)
	cases := []struct {
		code Code
		want string
	}{
		{OK, "ok"},
		{lastNamed, "unauthenticated"},
		{lastNamed + 1, "code 17"},
		{math.MaxInt64, "code 9223372036854775807"},
		{math.MaxInt64 + 1, "code 9223372036854775808"},
		{math.MaxUint64, "code 18446744073709551615"},
	}
	for _, tc := range cases {
		if got := tc.code.String(); got != tc.want {
			t.Errorf("Code(%d).String() = %q, want %q", uint64(tc.code), got, tc.want)
		}
		e := &Error{Code: tc.code, Msg: "m"}
		if got, want := e.Error(), tc.want+": m"; got != want {
			t.Errorf("Error{Code: %d}.Error() = %q, want %q", uint64(tc.code), got, want)
		}
		checkErrorRoundTrip(t, uint64(tc.code), "m")
	}
}

// FuzzErrorCode checks, for any code and message, that the Error payload mux writes
// decodes to the same code and message and that printing the result never panics. The
// seeds are the boundary codes of TestCodeBoundaries; plain go test runs only them.
func FuzzErrorCode(f *testing.F) {
	for _, code := range []uint64{0, 1, uint64(Unknown), uint64(len(codeNames) - 1),
		uint64(len(codeNames)), math.MaxInt64, math.MaxInt64 + 1, math.MaxUint64} {
		f.Add(code, "boom")
	}
	f.Add(uint64(Internal), "")
	f.Add(uint64(1<<63|7), "\x00\xff not utf-8 \x80")
	f.Fuzz(checkErrorRoundTrip)
}

// checkErrorRoundTrip sends an *Error with code and msg through errorData and
// parseErrorData, mux's encoder and decoder of Error payloads (over wire.AppendErrorData
// and wire.ParseErrorData, checked exact on their own), and checks what arrives: the same
// code and message, except OK, which DRPC's code 0 ("no code") turns into
// Unknown on arrival, as a storj peer's code-0 errors are.
func checkErrorRoundTrip(t *testing.T, code uint64, msg string) {
	if c, m, err := wire.ParseErrorData(wire.AppendErrorData(nil, code, msg)); c != code || m != msg || err != nil {
		t.Fatalf("wire: code %d, msg %q: parsed code %d, msg %q, %v", code, msg, c, m, err)
	}
	sent := &Error{Code: Code(code), Msg: msg}
	_ = sent.Error() // must not panic
	got, err := parseErrorData(errorData(sent))
	if err != nil {
		t.Fatalf("code %d, msg %q: parseErrorData: %v", code, msg, err)
	}
	var e *Error
	if !errors.As(got, &e) {
		t.Fatalf("code %d, msg %q: received %T %v, want an *Error", code, msg, got, got)
	}
	want := Code(code)
	if want == OK {
		want = Unknown
	}
	if e.Code != want || e.Msg != msg {
		t.Fatalf("code %d, msg %q: received code %d, msg %q", code, msg, uint64(e.Code), e.Msg)
	}
	if s, want := e.Error(), fmt.Sprintf("%v: %s", want, msg); s != want {
		t.Fatalf("code %d: Error() = %q, want %q", code, s, want)
	}
}
