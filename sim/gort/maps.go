package gort

import (
	"cmp"
	"reflect"
	"slices"
	"strings"
)

// MapIter is a range over a map in an order that is a function of the run's seed:
// MapRange sorts the keys and permutes them with a draw from the run's "map-order"
// stream. Go's own order is random, so a permuted order explores what Go allows, and
// the seed fixes it. The translator rewrites
//
//	for k, v := range m { body }
//
// into
//
//	for it := gort.MapRange(m); it.Next(); { k, v := it.Key(), it.Value(); { body } }
//
// which evaluates m once, keeps the body (break, continue, labels, goto, defer) as it
// was, and keeps Go's semantics for a map changed during the range: Next looks each key
// up when it reaches it, so an entry deleted before it is reached is not produced, the
// value is the one at that step, and an entry added during the range is not produced
// (Go allows either).
type MapIter[K comparable, V any] struct {
	m    map[K]V
	keys []K
	i    int // the next key to look up
	k    K
	v    V
}

// MapRange returns an iteration over m's entries in an order drawn from the run's seed.
//
// Keys are sorted by value: booleans, numbers and strings as Go orders them, arrays and
// structs element by element, interfaces by their dynamic type's name and then their
// value (a nil interface first). Keys holding a pointer, a channel or an unsafe.Pointer
// have no order that is the same from run to run (the translator leaves a range over a
// map whose key type has one alone): if an interface key holds one at run time, the
// keys stay in Go's order, unpermuted. A key not equal to itself (a NaN) cannot be
// looked up, so its entry is not produced.
func MapRange[M ~map[K]V, K comparable, V any](m M) *MapIter[K, V] {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	if len(keys) > 1 && sortKeys(keys) {
		rt().Rand("map-order").Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	}
	return &MapIter[K, V]{m: m, keys: keys}
}

// Next moves to the next key still in the map and reports whether there was one.
func (it *MapIter[K, V]) Next() bool {
	for it.i < len(it.keys) {
		k := it.keys[it.i]
		it.i++
		if v, ok := it.m[k]; ok {
			it.k, it.v = k, v
			return true
		}
	}
	return false
}

// Key is the current entry's key.
func (it *MapIter[K, V]) Key() K { return it.k }

// Value is the current entry's value, as it was when Next reached it.
func (it *MapIter[K, V]) Value() V { return it.v }

// sortKeys sorts keys by value and reports whether they have an order (none holds a
// pointer, a channel or an unsafe.Pointer); if they have none, keys is left as it was.
func sortKeys[K comparable](keys []K) bool {
	switch ks := any(keys).(type) {
	case []string:
		slices.Sort(ks)
		return true
	case []int:
		slices.Sort(ks)
		return true
	case []int64:
		slices.Sort(ks)
		return true
	case []uint64:
		slices.Sort(ks)
		return true
	}
	for _, k := range keys {
		if !orderable(reflect.ValueOf(&k).Elem()) {
			return false
		}
	}
	slices.SortFunc(keys, func(a, b K) int {
		return compareKeys(reflect.ValueOf(&a).Elem(), reflect.ValueOf(&b).Elem())
	})
	return true
}

// orderable reports whether compareKeys orders v: whether v holds no pointer, channel
// or unsafe.Pointer (func, map and slice values are not map keys).
func orderable(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Interface:
		return v.IsNil() || orderable(v.Elem())
	case reflect.Array:
		for i := range v.Len() {
			if !orderable(v.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := range v.NumField() {
			if !orderable(v.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Bool, reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return true
	}
	return false
}

// compareKeys orders two orderable values of one type.
func compareKeys(a, b reflect.Value) int {
	switch a.Kind() {
	case reflect.Bool:
		return cmp.Compare(b2i(a.Bool()), b2i(b.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return cmp.Compare(a.Int(), b.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return cmp.Compare(a.Uint(), b.Uint())
	case reflect.Float32, reflect.Float64:
		return cmp.Compare(a.Float(), b.Float())
	case reflect.Complex64, reflect.Complex128:
		if c := cmp.Compare(real(a.Complex()), real(b.Complex())); c != 0 {
			return c
		}
		return cmp.Compare(imag(a.Complex()), imag(b.Complex()))
	case reflect.String:
		return strings.Compare(a.String(), b.String())
	case reflect.Array:
		for i := range a.Len() {
			if c := compareKeys(a.Index(i), b.Index(i)); c != 0 {
				return c
			}
		}
		return 0
	case reflect.Struct:
		for i := range a.NumField() {
			if c := compareKeys(a.Field(i), b.Field(i)); c != 0 {
				return c
			}
		}
		return 0
	case reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return cmp.Compare(b2i(!a.IsNil()), b2i(!b.IsNil()))
		}
		ea, eb := a.Elem(), b.Elem()
		if ea.Type() != eb.Type() {
			// Two distinct types named alike (typeName includes the package path, so
			// only unnamed types could) compare equal: their relative order is Go's.
			return strings.Compare(typeName(ea.Type()), typeName(eb.Type()))
		}
		return compareKeys(ea, eb)
	}
	panic("gort: compareKeys of an unorderable " + a.Kind().String())
}

// typeName names a type with its package's path, so that types of two packages with
// one name differ.
func typeName(t reflect.Type) string {
	if t.Name() != "" && t.PkgPath() != "" {
		return t.PkgPath() + "." + t.Name()
	}
	return t.String()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
