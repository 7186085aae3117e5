package gort

import "sync/atomic"

// The sync/atomic functions: each is a scheduling point (a yield, so that a spin loop on
// a flag lets the task that sets it run) and then the real atomic operation; loads and
// compare-and-swaps, what spin loops poll with, are polls (PollEvery).

func AddInt32(p *int32, d int32) int32     { yield(); return atomic.AddInt32(p, d) }
func AddInt64(p *int64, d int64) int64     { yield(); return atomic.AddInt64(p, d) }
func AddUint32(p *uint32, d uint32) uint32 { yield(); return atomic.AddUint32(p, d) }
func AddUint64(p *uint64, d uint64) uint64 { yield(); return atomic.AddUint64(p, d) }
func LoadInt32(p *int32) int32             { Gosched(); return atomic.LoadInt32(p) }
func LoadInt64(p *int64) int64             { Gosched(); return atomic.LoadInt64(p) }
func LoadUint32(p *uint32) uint32          { Gosched(); return atomic.LoadUint32(p) }
func LoadUint64(p *uint64) uint64          { Gosched(); return atomic.LoadUint64(p) }
func StoreInt32(p *int32, v int32)         { yield(); atomic.StoreInt32(p, v) }
func StoreInt64(p *int64, v int64)         { yield(); atomic.StoreInt64(p, v) }
func StoreUint32(p *uint32, v uint32)      { yield(); atomic.StoreUint32(p, v) }
func StoreUint64(p *uint64, v uint64)      { yield(); atomic.StoreUint64(p, v) }
func SwapInt32(p *int32, v int32) int32    { yield(); return atomic.SwapInt32(p, v) }
func SwapInt64(p *int64, v int64) int64    { yield(); return atomic.SwapInt64(p, v) }
func SwapUint32(p *uint32, v uint32) uint32 {
	yield()
	return atomic.SwapUint32(p, v)
}
func SwapUint64(p *uint64, v uint64) uint64 {
	yield()
	return atomic.SwapUint64(p, v)
}
func CompareAndSwapInt32(p *int32, old, new int32) bool {
	Gosched()
	return atomic.CompareAndSwapInt32(p, old, new)
}
func CompareAndSwapInt64(p *int64, old, new int64) bool {
	Gosched()
	return atomic.CompareAndSwapInt64(p, old, new)
}
func CompareAndSwapUint32(p *uint32, old, new uint32) bool {
	Gosched()
	return atomic.CompareAndSwapUint32(p, old, new)
}
func CompareAndSwapUint64(p *uint64, old, new uint64) bool {
	Gosched()
	return atomic.CompareAndSwapUint64(p, old, new)
}

// Int32 is atomic.Int32, each method a scheduling point.
type Int32 struct{ v atomic.Int32 }

func (x *Int32) Load() int32        { Gosched(); return x.v.Load() }
func (x *Int32) Store(v int32)      { yield(); x.v.Store(v) }
func (x *Int32) Add(d int32) int32  { yield(); return x.v.Add(d) }
func (x *Int32) Swap(v int32) int32 { yield(); return x.v.Swap(v) }
func (x *Int32) CompareAndSwap(old, new int32) bool {
	Gosched()
	return x.v.CompareAndSwap(old, new)
}

// Int64 is atomic.Int64, each method a scheduling point.
type Int64 struct{ v atomic.Int64 }

func (x *Int64) Load() int64        { Gosched(); return x.v.Load() }
func (x *Int64) Store(v int64)      { yield(); x.v.Store(v) }
func (x *Int64) Add(d int64) int64  { yield(); return x.v.Add(d) }
func (x *Int64) Swap(v int64) int64 { yield(); return x.v.Swap(v) }
func (x *Int64) CompareAndSwap(old, new int64) bool {
	Gosched()
	return x.v.CompareAndSwap(old, new)
}

// Bool is atomic.Bool, each method a scheduling point.
type Bool struct{ v atomic.Bool }

func (x *Bool) Load() bool       { Gosched(); return x.v.Load() }
func (x *Bool) Store(v bool)     { yield(); x.v.Store(v) }
func (x *Bool) Swap(v bool) bool { yield(); return x.v.Swap(v) }
func (x *Bool) CompareAndSwap(old, new bool) bool {
	Gosched()
	return x.v.CompareAndSwap(old, new)
}

// Uint32 is atomic.Uint32, each method a scheduling point.
type Uint32 struct{ v atomic.Uint32 }

func (x *Uint32) Load() uint32         { Gosched(); return x.v.Load() }
func (x *Uint32) Store(v uint32)       { yield(); x.v.Store(v) }
func (x *Uint32) Add(d uint32) uint32  { yield(); return x.v.Add(d) }
func (x *Uint32) Swap(v uint32) uint32 { yield(); return x.v.Swap(v) }
func (x *Uint32) CompareAndSwap(old, new uint32) bool {
	Gosched()
	return x.v.CompareAndSwap(old, new)
}

// Uint64 is atomic.Uint64, each method a scheduling point.
type Uint64 struct{ v atomic.Uint64 }

func (x *Uint64) Load() uint64         { Gosched(); return x.v.Load() }
func (x *Uint64) Store(v uint64)       { yield(); x.v.Store(v) }
func (x *Uint64) Add(d uint64) uint64  { yield(); return x.v.Add(d) }
func (x *Uint64) Swap(v uint64) uint64 { yield(); return x.v.Swap(v) }
func (x *Uint64) CompareAndSwap(old, new uint64) bool {
	Gosched()
	return x.v.CompareAndSwap(old, new)
}

// Pointer is atomic.Pointer, each method a scheduling point.
type Pointer[T any] struct{ v atomic.Pointer[T] }

func (x *Pointer[T]) Load() *T     { Gosched(); return x.v.Load() }
func (x *Pointer[T]) Store(v *T)   { yield(); x.v.Store(v) }
func (x *Pointer[T]) Swap(v *T) *T { yield(); return x.v.Swap(v) }
func (x *Pointer[T]) CompareAndSwap(old, new *T) bool {
	Gosched()
	return x.v.CompareAndSwap(old, new)
}

// Value is atomic.Value, each method a scheduling point.
type Value struct{ v atomic.Value }

func (x *Value) Load() any      { Gosched(); return x.v.Load() }
func (x *Value) Store(v any)    { yield(); x.v.Store(v) }
func (x *Value) Swap(v any) any { yield(); return x.v.Swap(v) }
func (x *Value) CompareAndSwap(old, new any) bool {
	Gosched()
	return x.v.CompareAndSwap(old, new)
}
