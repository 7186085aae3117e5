// Package unmarked does not opt in, so simvet reports nothing here, although it breaks
// the rules.
package unmarked

import (
	"fmt"
	"math/rand"
	"sync"
	"time"
)

// The allow below would be unused and has no reason; unmarked packages ignore it.
//
//simvet:allow go
var mu sync.Mutex

func everything(m map[int]int, c chan int) string {
	go func() {}()
	select {
	case <-c:
	default:
	}
	for k := range m {
		_ = k
	}
	_ = rand.Intn(3)
	return fmt.Sprintf("%p %v", &mu, time.Now())
}
