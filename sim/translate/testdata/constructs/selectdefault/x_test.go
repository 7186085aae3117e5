// Select with a default clause: nothing ready takes default; a ready case is taken.
package selectdefault

import "testing"

func TestSelectDefault(t *testing.T) {
	ch := make(chan int, 1)
	select {
	case v := <-ch:
		t.Fatalf("received %d from an empty channel", v)
	default:
	}
	ch <- 7
	select {
	case v, ok := <-ch:
		if v != 7 || !ok {
			t.Fatalf("got %d, %t; want 7, true", v, ok)
		}
	default:
		t.Fatal("default taken with a value buffered")
	}
	select {
	case ch <- 8:
	default:
		t.Fatal("default taken with room in the buffer")
	}
	if len(ch) != 1 || cap(ch) != 1 {
		t.Fatalf("len %d cap %d, want 1 1", len(ch), cap(ch))
	}
}
