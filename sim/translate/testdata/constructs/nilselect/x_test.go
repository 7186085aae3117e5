// A nil channel's select case is never ready.
package nilselect

import "testing"

func TestNilSelect(t *testing.T) {
	var nilc chan int
	c := make(chan int, 1)
	c <- 1
	for i := 0; i < 10; i++ {
		select {
		case <-nilc:
			t.Fatal("received from a nil channel")
		case nilc <- 1:
			t.Fatal("sent on a nil channel")
		case v := <-c:
			if v != 1 {
				t.Fatalf("got %d", v)
			}
			c <- 1
		}
	}
}
