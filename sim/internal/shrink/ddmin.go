package shrink

// DDMin is Zeller's delta debugging: it returns a 1-minimal subset of items for which
// fails still holds (removing any single item of the result makes it pass), assuming
// fails(items). It stops early, returning the smallest failing subset so far, once budget
// calls of fails are spent.
func DDMin(items []int, fails func([]int) bool, budget int) []int {
	n := 2
	for len(items) >= 2 && budget > 0 {
		chunks := split(items, n)
		reduced := false
		for i := range chunks {
			if budget--; budget < 0 {
				return items
			}
			if fails(chunks[i]) { // the failure lives in one chunk
				items, n, reduced = chunks[i], 2, true
				break
			}
			if n == 2 {
				continue // the complement of one half is the other half, just tried
			}
			if budget--; budget < 0 {
				return items
			}
			if c := complement(chunks, i); fails(c) {
				items, n, reduced = c, max(n-1, 2), true
				break
			}
		}
		if !reduced {
			if n >= len(items) {
				break
			}
			n = min(2*n, len(items))
		}
	}
	if len(items) == 1 && budget > 0 && fails(nil) {
		return nil
	}
	return items
}

// split cuts items into n nearly equal chunks.
func split(items []int, n int) [][]int {
	out := make([][]int, 0, n)
	for i := range n {
		lo, hi := i*len(items)/n, (i+1)*len(items)/n
		out = append(out, items[lo:hi])
	}
	return out
}

// complement is every chunk but chunks[skip], concatenated.
func complement(chunks [][]int, skip int) []int {
	var out []int
	for i, c := range chunks {
		if i != skip {
			out = append(out, c...)
		}
	}
	return out
}
