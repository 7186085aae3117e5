package wire

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
)

// TestSplitSizes checks how packets are cut into frames: the data sizes of the frames and
// that only the last is done, for the default split size and for explicit ones.
func TestSplitSizes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		size    int
		dataMax int
		want    []int
	}{
		{"150 KiB", 150 << 10, 0, []int{64 << 10, 64 << 10, 22 << 10}},
		{"empty", 0, 0, []int{0}},
		{"one byte", 1, 0, []int{1}},
		{"exactly 64 KiB", 64 << 10, 0, []int{64 << 10}},
		{"64 KiB + 1", 64<<10 + 1, 0, []int{64 << 10, 1}},
		{"never split", 1 << 20, -1, []int{1 << 20}},
		{"split 10", 25, 10, []int{10, 10, 5}},
	} {
		p := pkt(KindMessage, id(1, 3), strings.Repeat("x", tc.size))
		var got []int
		for more := true; more; {
			var f Frame
			f, p, more = SplitFrame(p, tc.dataMax)
			if f.Done == more || f.ID != id(1, 3) || f.Kind != KindMessage || f.Control {
				t.Errorf("%s: frame %d is %v with more=%t", tc.name, len(got), f, more)
			}
			got = append(got, len(f.Data))
			if len(got) > len(tc.want) {
				break
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: frame sizes %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestAppendPacketBytes checks the exact bytes of split and unsplit packets: an empty
// packet is one done frame with length 0, the first frames of a split packet have the done
// bit clear (0x04), and Cancel always carries the control bit (0x89).
func TestAppendPacketBytes(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    Packet
		wire string
	}{
		{"empty CloseSend", pkt(KindCloseSend, id(1, 4), ""), "0d 01 04 00"},
		{"empty Close", pkt(KindClose, id(1, 5), ""), "0b 01 05 00"},
		{"Cancel", pkt(KindCancel, id(1, 6), ""), "89 01 06 00"},
		{"control Message", Packet{ID: id(1, 6), Kind: KindMessage, Control: true}, "85 01 06 00"},
		{"unknown control kind", Packet{ID: id(2, 1), Kind: Kind(9), Control: true, Data: []byte{7}}, "93 02 01 01 07"},
	} {
		if got := AppendPacket(nil, tc.p); !bytes.Equal(got, unhex(t, tc.wire)) {
			t.Errorf("%s: AppendPacket = %s, want %s", tc.name, spaced(got), tc.wire)
		}
	}

	data := strings.Repeat("a", 64<<10) + "b"
	got := AppendPacket(nil, pkt(KindMessage, id(3, 2), data))
	head := unhex(t, "04 03 02 80 80 04") // 65536 = 80 80 04
	tail := unhex(t, "05 03 02 01 62")
	if !bytes.HasPrefix(got, head) || !bytes.HasSuffix(got, tail) || len(got) != len(head)+64<<10+len(tail) {
		t.Errorf("64 KiB + 1 packet: got %d bytes starting %s, ending %s; want %s ... %s",
			len(got), spaced(got[:6]), spaced(got[len(got)-5:]), spaced(head), spaced(tail))
	}
}

// TestSplitControlEveryFrame checks that every frame of a split control packet carries
// the control bit, as storj sets it per frame.
func TestSplitControlEveryFrame(t *testing.T) {
	p := Packet{ID: id(1, 1), Kind: Kind(8), Control: true, Data: []byte("abcdefg")}
	for more := true; more; {
		var f Frame
		f, p, more = SplitFrame(p, 3)
		if !f.Control {
			t.Errorf("frame %v lost the control bit", f)
		}
	}
}

// TestSplitRoundTrip sends packets of several sizes through AppendPacket, the Reader and
// an Assembler, and checks that the same packets come out.
func TestSplitRoundTrip(t *testing.T) {
	sent := []Packet{
		pkt(KindInvoke, id(1, 1), "/svc.Svc/Bidi"),
		pkt(KindMessage, id(1, 2), strings.Repeat("x", 150<<10)),
		pkt(KindMessage, id(1, 3), ""),
		pkt(KindMessage, id(1, 4), strings.Repeat("y", 64<<10)),
		{ID: id(1, 5), Kind: KindCancel, Control: true},
	}
	var wire []byte
	for _, p := range sent {
		wire = AppendPacket(wire, p)
	}
	r, asm := NewReader(bytes.NewReader(wire)), NewAssembler(1)
	var got []Packet
	for {
		f, err := r.ReadFrame()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		p, ok, err := asm.Push(f)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			p.Data = bytes.Clone(p.Data)
			got = append(got, p)
		}
	}
	if len(got) != len(sent) {
		t.Fatalf("got %d packets, want %d", len(got), len(sent))
	}
	for i := range sent {
		if !samePacket(got[i], sent[i]) {
			t.Errorf("packet %d = %v, want %v", i, got[i], sent[i])
		}
	}
}

// samePacket compares packets, treating nil and empty data alike.
func samePacket(a, b Packet) bool {
	return a.ID == b.ID && a.Kind == b.Kind && a.Control == b.Control && bytes.Equal(a.Data, b.Data)
}
