package wire

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
)

// outcome renders one Push result for table tests: "-" for nothing yet, the packet with
// its data, or the error's class.
func outcome(p Packet, ok bool, err error) string {
	switch {
	case err != nil:
		return errClass(err)
	case ok:
		return fmt.Sprintf("%v %q", p, p.Data)
	}
	return "-"
}

// want renders the packet a step should emit, in outcome's form.
func want(kind Kind, i ID, control bool, data string) string {
	return outcome(Packet{ID: i, Kind: kind, Control: control, Data: []byte(data)}, true, nil)
}

// TestAssemblerRules pushes frame sequences into an assembler for stream 1 and checks
// each step's outcome against storj v1.0.0's receive rules (reference/drpc.md §1.4).
func TestAssemblerRules(t *testing.T) {
	type step struct {
		f    Frame
		want string
	}
	for _, tc := range []struct {
		name      string
		steps     []step
		discarded uint64
	}{
		{name: "single frame", steps: []step{
			{frame(KindInvoke, id(1, 1), "/a"), want(KindInvoke, id(1, 1), false, "/a")},
			{frame(KindMessage, id(1, 2), ""), want(KindMessage, id(1, 2), false, "")},
		}},
		{name: "three frames", steps: []step{
			{more(frame(KindMessage, id(1, 1), "ab")), "-"},
			{more(frame(KindMessage, id(1, 1), "")), "-"},
			{frame(KindMessage, id(1, 1), "cd"), want(KindMessage, id(1, 1), false, "abcd")},
		}},
		{name: "gaps are legal", steps: []step{
			{frame(KindMessage, id(1, 5), "x"), want(KindMessage, id(1, 5), false, "x")},
			{frame(KindMessage, id(1, 9), "y"), want(KindMessage, id(1, 9), false, "y")},
		}},
		{name: "higher message abandons the partial packet", discarded: 3, steps: []step{
			{more(frame(KindMessage, id(1, 1), "abc")), "-"},
			{frame(KindError, id(1, 2), "e"), want(KindError, id(1, 2), false, "e")},
		}},
		{name: "higher message may change kind", discarded: 1, steps: []step{
			{more(frame(KindMessage, id(1, 1), "a")), "-"},
			{more(frame(KindInvoke, id(1, 3), "b")), "-"},
			{frame(KindInvoke, id(1, 3), "c"), want(KindInvoke, id(1, 3), false, "bc")},
		}},
		{name: "lower message mid-packet", steps: []step{
			{more(frame(KindMessage, id(1, 3), "a")), "-"},
			{frame(KindMessage, id(1, 2), "b"), "ProtocolError"},
		}},
		{name: "replay of a finished message", steps: []step{
			{frame(KindMessage, id(1, 2), "a"), want(KindMessage, id(1, 2), false, "a")},
			{frame(KindMessage, id(1, 2), "a"), "ProtocolError"},
		}},
		{name: "message 0", steps: []step{
			{frame(KindMessage, id(1, 0), ""), "ProtocolError"},
		}},
		{name: "kind change mid-packet", steps: []step{
			{more(frame(KindMessage, id(1, 1), "a")), "-"},
			{frame(KindError, id(1, 1), "b"), "ProtocolError"},
		}},
		{name: "frame of another stream", steps: []step{
			{frame(KindMessage, id(2, 1), ""), "ProtocolError"},
		}},
		{name: "errors are final", steps: []step{
			{frame(KindMessage, id(1, 0), ""), "ProtocolError"},
			{frame(KindMessage, id(1, 1), "ok"), "ProtocolError"},
		}},
		{name: "control if any frame is", steps: []step{
			{more(frame(KindMessage, id(1, 1), "a")), "-"},
			{more(control(frame(KindMessage, id(1, 1), "b"))), "-"},
			{frame(KindMessage, id(1, 1), "c"), want(KindMessage, id(1, 1), true, "abc")},
			{frame(KindMessage, id(1, 2), "d"), want(KindMessage, id(1, 2), false, "d")},
		}},
		{name: "unknown kind with control is emitted for the caller to ignore", steps: []step{
			{control(frame(Kind(9), id(1, 1), "?")), want(Kind(9), id(1, 1), true, "?")},
			{frame(KindMessage, id(1, 2), "m"), want(KindMessage, id(1, 2), false, "m")},
		}},
		{name: "unknown kind, control on an earlier frame", steps: []step{
			{more(control(frame(Kind(9), id(1, 1), "a"))), "-"},
			{frame(Kind(9), id(1, 1), "b"), want(Kind(9), id(1, 1), true, "ab")},
		}},
		{name: "unknown kind without control", steps: []step{
			{more(frame(Kind(9), id(1, 1), "a")), "-"},
			{frame(Kind(9), id(1, 1), "b"), "ProtocolError"},
		}},
		{name: "kind 0 without control", steps: []step{
			{frame(Kind(0), id(1, 1), ""), "ProtocolError"},
		}},
		{name: "abandoned unknown kind is not an error", discarded: 1, steps: []step{
			{more(frame(Kind(9), id(1, 1), "a")), "-"},
			{frame(KindMessage, id(1, 2), "b"), want(KindMessage, id(1, 2), false, "b")},
		}},
		{name: "last message id", steps: []step{
			{frame(KindMessage, id(1, math.MaxUint64), "z"), want(KindMessage, id(1, math.MaxUint64), false, "z")},
			{frame(KindMessage, id(1, math.MaxUint64), "z"), "ProtocolError"},
		}},
	} {
		asm := NewAssembler(1)
		for i, s := range tc.steps {
			if got := outcome(asm.Push(s.f)); got != s.want {
				t.Errorf("%s: step %d push %v: got %s, want %s", tc.name, i, s.f, got, s.want)
			}
		}
		if asm.Discarded() != tc.discarded {
			t.Errorf("%s: discarded %d bytes, want %d", tc.name, asm.Discarded(), tc.discarded)
		}
	}
}

// TestAssemblerStreamZero checks that stream 0, never valid on the wire, is refused even
// by an assembler made for it.
func TestAssemblerStreamZero(t *testing.T) {
	if got := outcome(NewAssembler(0).Push(frame(KindInvoke, id(0, 1), ""))); got != "ProtocolError" {
		t.Errorf("frame on stream 0: %s, want ProtocolError", got)
	}
}

// TestAssemblerLimit checks the packet size limit: a packet of exactly the limit passes,
// one byte more in any frame is a LimitError, and the default is 4 MiB.
func TestAssemblerLimit(t *testing.T) {
	opts := AssemblerOptions{PacketDataMax: 10}
	asm := NewAssemblerWithOptions(1, opts)
	steps := []Frame{more(frame(KindMessage, id(1, 1), "12345")), frame(KindMessage, id(1, 1), "67890")}
	for _, f := range steps {
		if _, _, err := asm.Push(f); err != nil {
			t.Fatalf("packet at the limit: %v", err)
		}
	}
	asm = NewAssemblerWithOptions(1, opts)
	asm.Push(more(frame(KindMessage, id(1, 1), "12345")))
	if _, _, err := asm.Push(more(frame(KindMessage, id(1, 1), "678901"))); !LimitError.Has(err) {
		t.Errorf("packet one byte over the limit: %v, want a LimitError", err)
	}
	if _, _, err := NewAssemblerWithOptions(1, opts).Push(frame(KindMessage, id(1, 1), "12345678901")); !LimitError.Has(err) {
		t.Errorf("single frame over the limit: %v, want a LimitError", err)
	}

	asm = NewAssembler(1)
	chunk := strings.Repeat("x", 1<<20)
	for range 4 {
		if _, _, err := asm.Push(more(frame(KindMessage, id(1, 1), chunk))); err != nil {
			t.Fatalf("default limit: 4 MiB refused: %v", err)
		}
	}
	if _, _, err := asm.Push(frame(KindMessage, id(1, 1), "x")); !LimitError.Has(err) {
		t.Errorf("default limit: 4 MiB + 1 gave %v, want a LimitError", err)
	}
}

// TestAssemblerInterleaved checks that packets of different streams, interleaved frame by
// frame on one connection, come out whole when the caller keeps one assembler per stream.
func TestAssemblerInterleaved(t *testing.T) {
	frames := []Frame{
		more(frame(KindMessage, id(1, 1), "a1")),
		more(frame(KindMessage, id(3, 1), "b1")),
		frame(KindInvoke, id(5, 1), "/c"),
		more(frame(KindMessage, id(1, 1), "a2")),
		frame(KindMessage, id(3, 1), "b2"),
		control(frame(KindCancel, id(5, 2), "")),
		frame(KindMessage, id(1, 1), "a3"),
		frame(KindMessage, id(3, 2), "b3"),
	}
	asms := map[uint64]*Assembler{}
	var got []string
	for _, f := range frames {
		asm := asms[f.ID.Stream]
		if asm == nil {
			asm = NewAssembler(f.ID.Stream)
			asms[f.ID.Stream] = asm
		}
		if o := outcome(asm.Push(f)); o != "-" {
			got = append(got, o)
		}
	}
	wantPackets := []string{
		want(KindInvoke, id(5, 1), false, "/c"),
		want(KindMessage, id(3, 1), false, "b1b2"),
		want(KindCancel, id(5, 2), true, ""),
		want(KindMessage, id(1, 1), false, "a1a2a3"),
		want(KindMessage, id(3, 2), false, "b3"),
	}
	if strings.Join(got, "\n") != strings.Join(wantPackets, "\n") {
		t.Errorf("packets:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantPackets, "\n"))
	}
}

// TestAssemblerAliasing checks the documented ownership of packet data: a single-frame
// packet aliases the frame's data, and the assembler reuses its own buffer, so a caller
// must copy before the next Push.
func TestAssemblerAliasing(t *testing.T) {
	asm := NewAssembler(1)
	f := frame(KindMessage, id(1, 1), "single")
	p, _, _ := asm.Push(f)
	if &p.Data[0] != &f.Data[0] {
		t.Error("single-frame packet copied its data")
	}
	asm.Push(more(frame(KindMessage, id(1, 2), "abc")))
	p, _, _ = asm.Push(frame(KindMessage, id(1, 2), "def"))
	kept := bytes.Clone(p.Data)
	asm.Push(more(frame(KindMessage, id(1, 3), "XYZ")))
	if string(kept) != "abcdef" || string(p.Data) != "XYZdef" {
		t.Errorf("multi-frame packet: kept %q, alias now %q; want abcdef and XYZdef (buffer reused)", kept, p.Data)
	}
}
