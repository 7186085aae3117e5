package wire

import (
	"errors"
	"io"
)

// Reader limits that are not part of the wire format.
const (
	// readBufferInitial is the Reader's first buffer size; it grows by doubling as bytes
	// of a large frame arrive, up to FrameHeaderMax + its frame limit.
	readBufferInitial = 4 << 10

	// readEmptyMax is how many reads in a row may return no bytes and no error before
	// ReadFrame gives up with io.ErrNoProgress (storj allows the same 100).
	readEmptyMax = 100
)

// errInvalidRead reports a source that broke the io.Reader contract.
var errInvalidRead = errors.New("wire: source returned an invalid read count")

// ReaderOptions configures a Reader. The zero value gives the defaults.
type ReaderOptions struct {
	// FrameDataMax is the largest frame data length, in bytes, the Reader accepts. A frame
	// that declares more is a LimitError as soon as its length field arrives, before any of
	// its data is buffered. Zero means FrameDataMax (4 MiB). Peers that send whole packets
	// as single frames need it at least as large as the packet limit.
	FrameDataMax int
}

// Reader reads frames from an io.Reader. Its buffer starts small and grows only as bytes
// arrive, never beyond FrameHeaderMax plus the frame limit, however large a length the
// peer declares. It is not safe for concurrent use; one task owns it.
type Reader struct {
	src     io.Reader
	dataMax int
	bufMax  int

	// buf[start:end] are bytes read but not yet returned as frames; len(buf) == cap(buf).
	buf        []byte
	start, end int

	// readErr is the error of the last read, reported once the buffered frames are used.
	readErr error
	// fatal is the error ReadFrame returned; every later call returns it again.
	fatal error
}

// NewReader returns a Reader of src with the default options.
func NewReader(src io.Reader) *Reader { return NewReaderWithOptions(src, ReaderOptions{}) }

// NewReaderWithOptions returns a Reader of src. It panics if opts.FrameDataMax is negative.
func NewReaderWithOptions(src io.Reader, opts ReaderOptions) *Reader {
	if opts.FrameDataMax < 0 {
		panic("wire: negative ReaderOptions.FrameDataMax")
	}
	if opts.FrameDataMax == 0 {
		opts.FrameDataMax = FrameDataMax
	}
	bufMax := FrameHeaderMax + opts.FrameDataMax
	return &Reader{
		src:     src,
		dataMax: opts.FrameDataMax,
		bufMax:  bufMax,
		buf:     make([]byte, min(readBufferInitial, bufMax)),
	}
}

// ReadFrame returns the next frame. f.Data aliases the Reader's buffer and is valid only
// until the next call to ReadFrame: copy it to keep it.
//
// Errors: io.EOF when the source ends between frames; io.ErrUnexpectedEOF when it ends
// inside one; a ProtocolError or LimitError for a malformed frame (see ParseFrame);
// io.ErrNoProgress after readEmptyMax empty reads in a row; otherwise the source's own
// error, unwrapped. Frames read before a source error are returned first. Every error is
// final: later calls return it again.
func (r *Reader) ReadFrame() (f Frame, err error) {
	if r.fatal != nil {
		return Frame{}, r.fatal
	}
	for {
		rest, f, ok, err := parseFrame(r.buf[r.start:r.end], r.dataMax)
		switch {
		case err != nil:
			r.fatal = err
			return Frame{}, err
		case ok:
			r.start = r.end - len(rest)
			return f, nil
		case r.readErr != nil:
			r.fatal = r.readErr
			if errors.Is(r.readErr, io.EOF) && r.start != r.end {
				r.fatal = io.ErrUnexpectedEOF
			}
			return Frame{}, r.fatal
		}
		r.readErr = r.fill()
	}
}

// fill reads at least one byte into the buffer, or returns why it could not. The bytes it
// read count even when it also returns an error.
func (r *Reader) fill() error {
	if r.start == r.end {
		r.start, r.end = 0, 0
		if len(r.buf) > bufferKeepMax {
			r.buf = make([]byte, min(readBufferInitial, r.bufMax))
		}
	}
	if r.end == len(r.buf) {
		r.makeRoom()
	}
	for range readEmptyMax {
		n, err := r.src.Read(r.buf[r.end:])
		if n < 0 || n > len(r.buf)-r.end {
			return errInvalidRead
		}
		r.end += n
		if n > 0 || err != nil {
			return err
		}
	}
	return io.ErrNoProgress
}

// makeRoom frees space after the buffered bytes: it moves them to the front, and if the
// buffer is still full it doubles the buffer up to bufMax.
func (r *Reader) makeRoom() {
	if r.start > 0 {
		r.end = copy(r.buf, r.buf[r.start:r.end])
		r.start = 0
		return
	}
	// A full buffer of bufMax bytes holds a whole frame or a parse error, because no
	// accepted frame is longer than FrameHeaderMax + dataMax; ReadFrame parsed it first.
	if len(r.buf) >= r.bufMax {
		panic("wire: reader buffer full at its maximum without a whole frame")
	}
	buf := make([]byte, min(2*len(r.buf), r.bufMax))
	r.end = copy(buf, r.buf[:r.end])
	r.buf = buf
}
