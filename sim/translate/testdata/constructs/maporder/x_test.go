// Maporder ranges over maps in every form the translator rewrites, and checks what Go's
// specification promises whatever the order: each entry once, an entry deleted before
// it is reached not produced, the value read when the entry is reached, the map
// expression evaluated once, and break, continue, labels, goto, defer and per-iteration
// variables working in the body. Translated, the order is drawn from the seed; the
// goroutines started in map order make the schedule depend on it.
package maporder

import (
	"sort"
	"sync"
	"testing"
)

type named map[string]int

type point struct {
	x, y int
	tag  string
}

func TestMapOrder(t *testing.T) {
	m := named{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}

	// Each entry once, with k and v; k only; v only; neither.
	var keys []string
	sum := 0
	for k, v := range m {
		keys = append(keys, k)
		sum += v
	}
	sort.Strings(keys)
	if len(keys) != 5 || keys[0] != "a" || keys[4] != "e" || sum != 15 {
		t.Fatalf("k, v: keys %v sum %d", keys, sum)
	}
	n := 0
	for k := range m {
		n += m[k]
	}
	for _, v := range m {
		n += v
	}
	for range m {
		n++
	}
	for _ = range m {
		n++
	}
	if n != 40 {
		t.Fatalf("k only, v only, neither: %d, want 40", n)
	}

	// The assignment form leaves the last entry's key and value in the variables.
	var k string
	var v int
	count := 0
	for k, v = range m {
		count++
	}
	if count != 5 || m[k] != v {
		t.Fatalf("assignment form: %d entries, last %q=%d", count, k, v)
	}
	var k2 string
	for k2, _ = range m {
	}
	if _, ok := m[k2]; !ok {
		t.Fatalf("k, _ = : %q not a key", k2)
	}

	// Deleting every other entry on the first step: none of them is produced after it.
	d := map[int]bool{}
	for i := range 10 {
		d[i] = true
	}
	seen := map[int]bool{}
	first := true
	for k := range d {
		seen[k] = true
		if first {
			first = false
			for j := range 10 {
				if j != k {
					delete(d, j)
				}
			}
		}
	}
	if len(seen) != 1 || len(d) != 1 {
		t.Fatalf("delete during range: produced %v, left %v", seen, d)
	}

	// A value changed before its entry is reached is read as changed.
	w := map[int]int{1: 0, 2: 0, 3: 0, 4: 0}
	step := 0
	for k, v := range w {
		step++
		if step > 1 && v != 7 {
			t.Fatalf("entry %d read %d, want the 7 written on the first step", k, v)
		}
		for j := range w {
			w[j] = 7
		}
	}

	// The map expression is evaluated once: reassigning the variable changes nothing.
	r := map[int]int{1: 1, 2: 2, 3: 3}
	got := 0
	for _, v := range r {
		got += v
		r = map[int]int{}
	}
	if got != 6 {
		t.Fatalf("reassigned map: sum %d, want 6", got)
	}

	// break, continue, labels, goto, and a body redeclaring its variables.
	hits := 0
outer:
	for k, v := range m {
		k := k + "!"
		v := v * 10
		if v == 10 && k == "a!" {
			continue
		}
		for range m {
			hits++
			if hits%3 == 0 {
				continue outer
			}
			if hits > 9 {
				break outer
			}
		}
	}
	if hits < 1 || hits > 10 {
		t.Fatalf("labels: hits %d", hits)
	}
	loops := 0
again:
	for range m {
		loops++
		if loops < 3 {
			goto again
		}
		break
	}
	if loops != 3 {
		t.Fatalf("goto: %d loops, want 3", loops)
	}

	// defer in the body runs when the function returns; a return from the body works.
	if got := deferred(m); got != 5 {
		t.Fatalf("deferred: %d, want 5", got)
	}
	if k, ok := find(m, 3); !ok || k != "c" {
		t.Fatalf("find: %q %t", k, ok)
	}

	// Struct and interface keys; goroutines started in map order, each seeing its own
	// iteration's variables.
	pts := map[point]int{{1, 2, "p"}: 1, {1, 1, "q"}: 2, {0, 5, "r"}: 3}
	ifs := map[any]int{1: 1, "x": 2, 2.5: 3, point{}: 4, nil: 5}
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
	for p, v := range pts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range v { // a number of steps that depends on the entry
				mu.Lock()
				total += p.x + p.y
				mu.Unlock()
			}
		}()
	}
	for _, v := range ifs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range v {
				mu.Lock()
				total += 100
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if total != 3+4+15+1500 {
		t.Fatalf("struct and interface keys: total %d", total)
	}

	// A pointer key has no deterministic order; the range is left to Go's.
	a, b := new(int), new(int)
	ptrs := map[*int]int{a: 1, b: 2}
	ps := 0
	for _, v := range ptrs {
		ps += v
	}
	if ps != 3 {
		t.Fatalf("pointer keys: %d", ps)
	}
}

func deferred(m named) (n int) {
	for range m {
		defer func() { n++ }()
	}
	return 0
}

func find(m named, want int) (string, bool) {
	for k, v := range m {
		if v == want {
			return k, true
		}
	}
	return "", false
}
