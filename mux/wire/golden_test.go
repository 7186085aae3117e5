package wire

import (
	"bytes"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the decoded part of testdata/*.txt golden transcripts")

// goldenPackets are the packets of each wire section of the golden files, built by hand
// from the reference's descriptions, so that the encoder is checked independently of the
// decoder. Keys are "file section".
var goldenPackets = map[string][]Packet{
	"trace_unary_metadata.txt c2s": {
		pkt(KindInvokeMetadata, id(1, 1), string(AppendMetadata(nil, map[string]string{"k": "v"}))),
		pkt(KindInvoke, id(1, 2), "/svc.Svc/Echo"),
		pkt(KindMessage, id(1, 3), "hi"),
		pkt(KindCloseSend, id(1, 4), ""),
		pkt(KindClose, id(1, 5), ""),
	},
	"trace_unary_metadata.txt s2c": {
		pkt(KindMessage, id(1, 1), "echo:hi md=v"),
		pkt(KindCloseSend, id(1, 2), ""),
	},
	"trace_unary_error.txt c2s": {
		pkt(KindInvoke, id(2, 1), "/svc.Svc/Echo"),
		pkt(KindMessage, id(2, 2), "fail"),
		pkt(KindCloseSend, id(2, 3), ""),
	},
	"trace_unary_error.txt s2c": {
		pkt(KindError, id(2, 1), string(AppendErrorData(nil, 7, "boom"))),
	},
	"trace_bidi.txt c2s": {
		pkt(KindInvoke, id(3, 1), "/svc.Svc/Bidi"),
		pkt(KindMessage, id(3, 2), "a"),
		pkt(KindMessage, id(3, 3), "b"),
		pkt(KindCloseSend, id(3, 4), ""),
	},
	"trace_bidi.txt s2c": {
		pkt(KindMessage, id(3, 1), "a"),
		pkt(KindMessage, id(3, 2), "b"),
		pkt(KindCloseSend, id(3, 3), ""),
	},
	"kinds.txt c2s": {
		pkt(KindInvoke, id(1, 1), "/m"),
		pkt(KindMessage, id(1, 2), ""),
		pkt(KindError, id(1, 3), string(AppendErrorData(nil, 12, "unimpl"))),
		{ID: id(1, 4), Kind: KindCancel, Control: true}, // AppendPacket sets the bit anyway
		pkt(KindClose, id(1, 5), ""),
		pkt(KindCloseSend, id(1, 6), ""),
		pkt(KindInvokeMetadata, id(1, 7), ""),
		{ID: id(1, 8), Kind: Kind(9), Control: true, Data: []byte{0x2a}},
	},
}

// TestGolden checks every golden file: each wire section is what AppendPacket makes of
// goldenPackets, and decodes (Reader, one Assembler per stream) to those same packets
// and to the transcript after "----".
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	seen := 0
	for _, file := range files {
		g := readGolden(t, file)
		var transcript strings.Builder
		for _, sec := range g.sections {
			key := filepath.Base(file) + " " + sec.name
			want, ok := goldenPackets[key]
			if !ok {
				t.Errorf("%s: no goldenPackets entry for section %q", file, sec.name)
				continue
			}
			seen++
			var enc []byte
			for _, p := range want {
				enc = AppendPacket(enc, p)
			}
			if !bytes.Equal(enc, sec.wire) {
				t.Errorf("%s: encoder wrote\n%s\nwant\n%s", key, spaced(enc), spaced(sec.wire))
			}
			got := decodeAll(t, key, sec.wire)
			if !slices.EqualFunc(got, want, samePacket) {
				t.Errorf("%s: decoder read %v, want %v", key, got, want)
			}
			for _, p := range got {
				fmt.Fprintf(&transcript, "%s %s\n", sec.name, describe(p))
			}
		}
		if *rewrite {
			g.output = transcript.String()
			if err := os.WriteFile(file, []byte(g.input+"----\n"+g.output), 0o644); err != nil {
				t.Fatal(err)
			}
		} else if transcript.String() != g.output {
			t.Errorf("%s: decoded transcript\n%s\nwant\n%s\nrerun with: go test ./mux/wire -run TestGolden -rewrite",
				file, transcript.String(), g.output)
		}
	}
	if seen != len(goldenPackets) {
		t.Errorf("golden files have %d sections, goldenPackets %d entries", seen, len(goldenPackets))
	}
}

// decodeAll reads wire with a Reader and one Assembler per stream, and returns copies of
// the packets in the order they finished.
func decodeAll(t *testing.T, name string, wire []byte) []Packet {
	t.Helper()
	r := NewReader(bytes.NewReader(wire))
	asms := map[uint64]*Assembler{}
	var out []Packet
	for {
		f, err := r.ReadFrame()
		if err == io.EOF {
			return out
		} else if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		asm := asms[f.ID.Stream]
		if asm == nil {
			asm = NewAssembler(f.ID.Stream)
			asms[f.ID.Stream] = asm
		}
		p, ok, err := asm.Push(f)
		if err != nil {
			t.Fatalf("%s: push %v: %v", name, f, err)
		}
		if ok {
			p.Data = bytes.Clone(p.Data)
			out = append(out, p)
		}
	}
}

// describe renders a packet for a transcript, decoding the payloads this package knows.
func describe(p Packet) string {
	s := fmt.Sprintf("s%d m%d %v", p.ID.Stream, p.ID.Message, p.Kind)
	if p.Control {
		s += " control"
	}
	switch p.Kind {
	case KindError:
		code, msg, err := ParseErrorData(p.Data)
		if err != nil {
			return fmt.Sprintf("%s invalid %q", s, p.Data)
		}
		return fmt.Sprintf("%s code=%d %q", s, code, msg)
	case KindInvokeMetadata:
		md, err := ParseMetadata(p.Data)
		if err != nil {
			return fmt.Sprintf("%s invalid %q", s, p.Data)
		}
		var kv []string
		for k, v := range md {
			kv = append(kv, fmt.Sprintf("%q: %q", k, v))
		}
		slices.Sort(kv)
		return fmt.Sprintf("%s {%s}", s, strings.Join(kv, ", "))
	}
	return fmt.Sprintf("%s %q", s, p.Data)
}

// golden is one parsed golden file: input is everything up to the "----" line, output
// everything after it.
type golden struct {
	input, output string
	sections      []section
}

// section is a "wire NAME" block: the bytes one side sent.
type section struct {
	name string
	wire []byte
}

// readGolden parses a golden file. In wire sections, bytes are written as hex (spaces
// optional) or Go-quoted strings; "|" separates frames for the eye, and "#" starts a
// comment outside strings.
func readGolden(t *testing.T, file string) golden {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	input, output, found := strings.Cut(string(data), "----\n")
	if !found {
		t.Fatalf("%s: no ---- line", file)
	}
	g := golden{input: input, output: output}
	for n, line := range strings.Split(input, "\n") {
		if name, ok := strings.CutPrefix(line, "wire "); ok {
			g.sections = append(g.sections, section{name: strings.TrimSpace(name)})
			continue
		}
		b, err := lineBytes(line)
		switch {
		case err != nil:
			t.Fatalf("%s:%d: %v", file, n+1, err)
		case len(b) > 0 && len(g.sections) == 0:
			t.Fatalf("%s:%d: bytes before the first wire line", file, n+1)
		case len(b) > 0:
			last := &g.sections[len(g.sections)-1]
			last.wire = append(last.wire, b...)
		}
	}
	return g
}

// lineBytes returns the bytes one wire line spells.
func lineBytes(line string) ([]byte, error) {
	var out []byte
	for line = strings.TrimSpace(line); line != "" && line[0] != '#'; line = strings.TrimSpace(line) {
		switch {
		case line[0] == '|':
			line = line[1:]
		case line[0] == '"':
			quoted, err := strconv.QuotedPrefix(line)
			if err != nil {
				return nil, err
			}
			s, _ := strconv.Unquote(quoted)
			out, line = append(out, s...), line[len(quoted):]
		default:
			word, rest, _ := strings.Cut(line, " ")
			b, err := hex.DecodeString(word)
			if err != nil {
				return nil, fmt.Errorf("bad hex %q: %v", word, err)
			}
			out, line = append(out, b...), rest
		}
	}
	return out, nil
}
