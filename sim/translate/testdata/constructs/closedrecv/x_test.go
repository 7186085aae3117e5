// A closed channel drains its buffer, then yields the zero value with ok false; range ends.
package closedrecv

import "testing"

func TestClosedRecv(t *testing.T) {
	ch := make(chan int, 2)
	ch <- 1
	close(ch)
	if v, ok := <-ch; v != 1 || !ok {
		t.Fatalf("got %d, %t; want 1, true", v, ok)
	}
	if v, ok := <-ch; v != 0 || ok {
		t.Fatalf("got %d, %t; want 0, false", v, ok)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range ch {
			t.Error("range over a closed, drained channel yielded")
		}
	}()
	<-done
	defer func() {
		if recover() == nil {
			t.Error("send on a closed channel did not panic")
		}
	}()
	ch <- 2
}
