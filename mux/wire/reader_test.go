package wire

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// readAll reads frames until an error and returns copies of them with that error.
func readAll(r *Reader) ([]Frame, error) {
	var frames []Frame
	for {
		f, err := r.ReadFrame()
		if err != nil {
			return frames, err
		}
		f.Data = bytes.Clone(f.Data)
		frames = append(frames, f)
	}
}

// TestReaderChunking checks that the same frames come out however the source splits the
// bytes: whole, one byte per read, half reads, and data returned together with io.EOF.
func TestReaderChunking(t *testing.T) {
	want := []Frame{
		frame(KindInvoke, id(1, 1), "/svc.Svc/Echo"),
		more(frame(KindMessage, id(1, 2), strings.Repeat("a", 5000))),
		frame(KindMessage, id(1, 2), strings.Repeat("b", 9000)),
		control(frame(KindCancel, id(1, 3), "")),
		frame(KindClose, id(1<<40, 1<<62), ""),
	}
	var wire []byte
	for _, f := range want {
		wire = AppendFrame(wire, f)
	}
	for name, src := range map[string]func() io.Reader{
		"whole":   func() io.Reader { return bytes.NewReader(wire) },
		"onebyte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(wire)) },
		"half":    func() io.Reader { return iotest.HalfReader(bytes.NewReader(wire)) },
		"dataerr": func() io.Reader { return iotest.DataErrReader(bytes.NewReader(wire)) },
	} {
		got, err := readAll(NewReader(src()))
		if err != io.EOF {
			t.Errorf("%s: final error %v, want io.EOF", name, err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: read %d frames, want %d", name, len(got), len(want))
		}
		for i := range want {
			if !sameFrame(got[i], want[i]) {
				t.Errorf("%s: frame %d = %v, want %v", name, i, got[i], want[i])
			}
		}
	}
}

// TestReaderEOF checks the end-of-stream errors: io.EOF between frames,
// io.ErrUnexpectedEOF inside one, and that both are returned again on later calls.
func TestReaderEOF(t *testing.T) {
	wire := AppendFrame(nil, frame(KindMessage, id(1, 1), "hi"))
	for _, tc := range []struct {
		name string
		wire []byte
		want error
	}{
		{"empty", nil, io.EOF},
		{"between frames", wire, io.EOF},
		{"inside the header", append(bytes.Clone(wire), 0x05, 0x01), io.ErrUnexpectedEOF},
		{"inside the data", wire[:len(wire)-1], io.ErrUnexpectedEOF},
	} {
		r := NewReader(bytes.NewReader(tc.wire))
		_, err := readAll(r)
		if err != tc.want {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
		if _, again := r.ReadFrame(); again != tc.want {
			t.Errorf("%s: second error %v, want %v again", tc.name, again, tc.want)
		}
	}
}

// TestReaderSourceError checks that frames read before a source error come out first and
// that the error is then returned unwrapped.
func TestReaderSourceError(t *testing.T) {
	boom := errors.New("boom")
	wire := AppendFrame(nil, frame(KindMessage, id(1, 1), "hi"))
	src := io.MultiReader(bytes.NewReader(wire), iotest.ErrReader(boom))
	got, err := readAll(NewReader(src))
	if len(got) != 1 || err != boom {
		t.Errorf("read %d frames then %v; want 1 frame then boom", len(got), err)
	}
}

// TestReaderNoProgress checks that a source that keeps returning (0, nil) ends with
// io.ErrNoProgress instead of a spin.
func TestReaderNoProgress(t *testing.T) {
	src := &emptyReader{}
	_, err := NewReader(src).ReadFrame()
	if err != io.ErrNoProgress || src.reads != readEmptyMax {
		t.Errorf("error %v after %d reads; want io.ErrNoProgress after %d", err, src.reads, readEmptyMax)
	}
}

type emptyReader struct{ reads int }

func (e *emptyReader) Read([]byte) (int, error) { e.reads++; return 0, nil }

// TestReaderDeclaredLength checks the memory bound: a peer that declares a huge length
// gets a LimitError without the buffer growing, and one that declares the maximum but
// sends little makes the buffer grow only with the bytes that arrive.
func TestReaderDeclaredLength(t *testing.T) {
	huge := AppendVarint([]byte{0x05, 1, 1}, 1<<40)
	r := NewReader(bytes.NewReader(huge))
	if _, err := r.ReadFrame(); !LimitError.Has(err) {
		t.Errorf("length 1 TiB: error %v, want a LimitError", err)
	}
	if len(r.buf) != readBufferInitial {
		t.Errorf("length 1 TiB: buffer grew to %d bytes", len(r.buf))
	}

	partial := append(AppendVarint([]byte{0x05, 1, 1}, FrameDataMax), make([]byte, 10000)...)
	r = NewReader(bytes.NewReader(partial))
	if _, err := r.ReadFrame(); err != io.ErrUnexpectedEOF {
		t.Errorf("length 4 MiB, 10000 bytes sent: error %v, want io.ErrUnexpectedEOF", err)
	}
	if len(r.buf) > 4*len(partial) {
		t.Errorf("length 4 MiB, 10000 bytes sent: buffer grew to %d bytes", len(r.buf))
	}
}

// TestReaderFrameLimit checks ReaderOptions.FrameDataMax: a frame of exactly the limit is
// read with a buffer of at most FrameHeaderMax + limit bytes, one byte more is refused.
func TestReaderFrameLimit(t *testing.T) {
	const limit = 10000
	opts := ReaderOptions{FrameDataMax: limit}
	atLimit := AppendFrame(nil, frame(KindMessage, id(1<<62, 1<<62), strings.Repeat("x", limit)))
	r := NewReaderWithOptions(iotest.HalfReader(bytes.NewReader(atLimit)), opts)
	if f, err := r.ReadFrame(); err != nil || len(f.Data) != limit {
		t.Fatalf("frame at the limit: %v, %v", f, err)
	}
	if len(r.buf) > FrameHeaderMax+limit {
		t.Errorf("buffer grew to %d bytes, above %d", len(r.buf), FrameHeaderMax+limit)
	}
	over := AppendFrame(nil, frame(KindMessage, id(1, 1), strings.Repeat("x", limit+1)))
	r = NewReaderWithOptions(bytes.NewReader(over), opts)
	if _, err := r.ReadFrame(); !LimitError.Has(err) {
		t.Errorf("frame one byte over the limit: error %v, want a LimitError", err)
	}
	if _, err := r.ReadFrame(); !LimitError.Has(err) {
		t.Errorf("second call after a LimitError: %v, want the same error", err)
	}
}

// TestReaderShrinks checks that the buffer grown for a large frame is dropped when the
// next read finds it empty, so one large message does not pin memory.
func TestReaderShrinks(t *testing.T) {
	large := AppendFrame(nil, frame(KindMessage, id(1, 1), strings.Repeat("x", 1<<20)))
	small := AppendFrame(nil, frame(KindMessage, id(1, 2), "small"))
	r := NewReader(io.MultiReader(bytes.NewReader(large), bytes.NewReader(small)))
	if _, err := r.ReadFrame(); err != nil {
		t.Fatal(err)
	}
	if len(r.buf) < 1<<20 {
		t.Fatalf("buffer of %d bytes held a 1 MiB frame?", len(r.buf))
	}
	if f, err := r.ReadFrame(); err != nil || string(f.Data) != "small" {
		t.Fatalf("second frame: %v, %v", f, err)
	}
	if len(r.buf) > bufferKeepMax {
		t.Errorf("buffer still %d bytes after the large frame, want at most %d", len(r.buf), bufferKeepMax)
	}
}

// TestReaderBadSource checks that a source reporting more bytes than it was given is an
// error, not an out-of-range slice.
func TestReaderBadSource(t *testing.T) {
	if _, err := NewReader(liarReader{}).ReadFrame(); err != errInvalidRead {
		t.Errorf("error %v, want errInvalidRead", err)
	}
}

type liarReader struct{}

func (liarReader) Read(p []byte) (int, error) { return len(p) + 1, nil }

// TestOptionsNegative checks that negative limits, a caller bug, panic.
func TestOptionsNegative(t *testing.T) {
	for name, build := range map[string]func(){
		"reader":    func() { NewReaderWithOptions(bytes.NewReader(nil), ReaderOptions{FrameDataMax: -1}) },
		"assembler": func() { NewAssemblerWithOptions(1, AssemblerOptions{PacketDataMax: -1}) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: negative limit did not panic", name)
				}
			}()
			build()
		}()
	}
}
