package wire

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
)

// FuzzParseFrame checks ParseFrame on arbitrary bytes: it never panics, a frame it parses
// re-encodes to exactly the bytes it consumed, and the Reader, fed one byte per read
// (half the rest per read for long inputs, to keep executions fast), returns the same
// frames and ends the same way.
func FuzzParseFrame(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := checkParseFrame(data); err != nil {
			t.Fatal(err)
		}
	})
}

// checkOneByteMax is the longest input checkParseFrame feeds the Reader one byte at a time.
const checkOneByteMax = 256

// checkParseFrame returns the first property data breaks.
func checkParseFrame(data []byte) error {
	var frames []Frame
	var parseErr error
	rest := data
	for {
		next, f, ok, err := ParseFrame(rest)
		if err != nil || !ok {
			if ok || len(next) != len(rest) {
				return fmt.Errorf("ParseFrame(%x) = ok %t, err %v, rest %d of %d bytes", rest, ok, err, len(next), len(rest))
			}
			parseErr = err
			break
		}
		if enc := AppendFrame(nil, f); !bytes.Equal(enc, rest[:len(rest)-len(next)]) {
			return fmt.Errorf("frame %v parsed from %x re-encodes to %x", f, rest[:len(rest)-len(next)], enc)
		}
		frames, rest = append(frames, f), next
	}
	if parseErr != nil && errClass(parseErr) != "ProtocolError" && errClass(parseErr) != "LimitError" {
		return fmt.Errorf("ParseFrame error %v has no class", parseErr)
	}

	src := iotest.OneByteReader(bytes.NewReader(data))
	if len(data) > checkOneByteMax {
		src = iotest.HalfReader(bytes.NewReader(data))
	}
	r := NewReader(src)
	for i, want := range frames {
		got, err := r.ReadFrame()
		if err != nil || !sameFrame(got, want) {
			return fmt.Errorf("Reader frame %d = %v, %v; ParseFrame gave %v", i, got, err, want)
		}
	}
	_, err := r.ReadFrame()
	switch {
	case parseErr != nil && errClass(err) != errClass(parseErr):
		return fmt.Errorf("Reader ended with %v, ParseFrame with %v", err, parseErr)
	case parseErr == nil && len(rest) == 0 && err != io.EOF:
		return fmt.Errorf("Reader ended with %v after whole frames, want io.EOF", err)
	case parseErr == nil && len(rest) > 0 && err != io.ErrUnexpectedEOF:
		return fmt.Errorf("Reader ended with %v inside a frame, want io.ErrUnexpectedEOF", err)
	}
	return nil
}

// FuzzAssemble runs byte programs (see runAssembleProgram) against the Assembler.
func FuzzAssemble(f *testing.F) {
	f.Fuzz(func(t *testing.T, prog []byte) {
		if err := runAssembleProgram(prog); err != nil {
			t.Fatal(err)
		}
	})
}

// TestAssemblePrograms runs seeded random byte programs through the same runner as
// FuzzAssemble, so the property is exercised by every plain go test run.
func TestAssemblePrograms(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 0))
			prog := make([]byte, rng.IntN(3*200))
			for i := range prog {
				prog[i] = byte(rng.Uint32())
			}
			if err := runAssembleProgram(prog); err != nil {
				t.Fatalf("%v\nprogram %x\nreplay: go test ./mux/wire -run '^TestAssemblePrograms$/^seed=%d$'", err, prog, seed)
			}
		})
	}
}

// programPacketMax is the packet limit in assembler programs, small so that programs
// reach it.
const programPacketMax = 64

// programKinds are the kinds a program picks from, weighted towards Message so that
// packets often continue with the same kind.
var programKinds = [8]Kind{KindMessage, KindMessage, KindMessage, KindInvoke, KindError, KindCancel, Kind(9), Kind(0)}

// runAssembleProgram interprets prog as frames pushed into an Assembler for stream 1
// whose packet limit is programPacketMax, and checks after every push that the result
// is what the receive rules allow. Each frame takes three bytes (missing ones read 0):
//
//	b0 bits 0-1  message ID step from the previous frame: 0 same, 1 +1, 2 +3, 3 -1
//	b0 bit 2     done
//	b0 bit 3     control
//	b0 bits 4-6  kind, from programKinds
//	b0 bit 7     with b1 bit 7: the frame is for stream 2
//	b1 bits 0-6  data length (0-127)
//	b2           data fill byte
//
// After an error it checks that the next push fails too, then starts a new Assembler.
func runAssembleProgram(prog []byte) error {
	m := newAssembleModel()
	msg := uint64(1)
	for i := 0; i < len(prog); i += 3 {
		var b [3]byte
		copy(b[:], prog[i:])
		msg += [4]uint64{0, 1, 3, 1<<64 - 1}[b[0]&3]
		f := Frame{
			ID:      ID{Stream: 1, Message: msg},
			Kind:    programKinds[b[0]>>4&7],
			Done:    b[0]&4 != 0,
			Control: b[0]&8 != 0,
			Data:    bytes.Repeat([]byte{b[2]}, int(b[1]&0x7f)),
		}
		if b[0]&b[1]&0x80 != 0 {
			f.ID.Stream = 2
		}
		if err := m.push(f); err != nil {
			return fmt.Errorf("frame %d %v: %w", i/3, f, err)
		}
	}
	return nil
}

// assembleModel is a reference model of one Assembler: it predicts each push's outcome
// from the run of frames that carry the latest message ID, written from the rules in the
// Assembler's doc rather than from its state.
type assembleModel struct {
	asm *Assembler
	// run are the accepted frames with the latest message ID; runDone is set once one of
	// them was done. emitted is the last packet's message ID, 0 before the first.
	run       []Frame
	runDone   bool
	emitted   uint64
	discarded uint64
}

func newAssembleModel() *assembleModel {
	return &assembleModel{asm: NewAssemblerWithOptions(1, AssemblerOptions{PacketDataMax: programPacketMax})}
}

// expect returns the error class pushing f must give, or "" if f must be accepted.
func (m *assembleModel) expect(f Frame) string {
	var runMsg uint64
	if len(m.run) > 0 {
		runMsg = m.run[0].ID.Message
	}
	switch {
	case f.ID.Stream != 1, f.ID.Message == 0:
		return "ProtocolError"
	case len(m.run) > 0 && (f.ID.Message < runMsg || f.ID.Message == runMsg && m.runDone):
		return "ProtocolError"
	}
	var prior []Frame // the frames f continues
	if len(m.run) > 0 && f.ID.Message == runMsg {
		prior = m.run
	}
	control := f.Control
	for _, p := range prior {
		if p.Kind != f.Kind {
			return "ProtocolError"
		}
		control = control || p.Control
	}
	switch {
	case dataLen(prior)+len(f.Data) > programPacketMax:
		return "LimitError"
	case f.Done && !f.Kind.Known() && !control:
		return "ProtocolError"
	}
	return ""
}

// push pushes f and checks the answer against the model.
func (m *assembleModel) push(f Frame) error {
	want := m.expect(f)
	p, ok, err := m.asm.Push(f)
	if got := errClass(err); got != want {
		return fmt.Errorf("push gave error %q (%v), model expects %q", got, err, want)
	}
	if err != nil {
		if _, _, again := m.asm.Push(f); !errors.Is(again, err) {
			return fmt.Errorf("error %v was not final: next push gave %v", err, again)
		}
		*m = *newAssembleModel()
		return nil
	}

	if len(m.run) > 0 && f.ID.Message > m.run[0].ID.Message {
		if !m.runDone {
			m.discarded += uint64(dataLen(m.run))
		}
		m.run, m.runDone = nil, false
	}
	m.run = append(m.run, f)
	m.runDone = f.Done
	if got := m.asm.Discarded(); got != m.discarded {
		return fmt.Errorf("Discarded() = %d, want %d", got, m.discarded)
	}
	if ok != f.Done {
		return fmt.Errorf("done frame gave ok=%t", ok)
	}
	if ok {
		return m.checkPacket(p)
	}
	return nil
}

// checkPacket checks an emitted packet against the run of frames that made it.
func (m *assembleModel) checkPacket(p Packet) error {
	var data []byte
	control := false
	for _, f := range m.run {
		data = append(data, f.Data...)
		control = control || f.Control
		if f.Kind != p.Kind {
			return fmt.Errorf("packet %v assembled from a %v frame", p, f.Kind)
		}
	}
	switch {
	case p.ID != m.run[0].ID:
		return fmt.Errorf("packet %v, frames of %v", p, m.run[0].ID)
	case !bytes.Equal(p.Data, data):
		return fmt.Errorf("packet %v data %x, frames carried %x", p, p.Data, data)
	case p.Control != control:
		return fmt.Errorf("packet %v control %t, frames %t", p, p.Control, control)
	case len(p.Data) > programPacketMax:
		return fmt.Errorf("packet %v over the limit %d", p, programPacketMax)
	case !p.Kind.Known() && !p.Control:
		return fmt.Errorf("packet %v of unknown kind without control", p)
	case p.ID.Message <= m.emitted:
		return fmt.Errorf("packet %v after message %d", p, m.emitted)
	}
	m.emitted = p.ID.Message
	return nil
}

func dataLen(frames []Frame) int {
	n := 0
	for _, f := range frames {
		n += len(f.Data)
	}
	return n
}
