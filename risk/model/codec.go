package model

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// encoder appends the binary encoding of a model's parts to a buffer.
type encoder struct{ b []byte }

func (e *encoder) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) f64(v float64)    { e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(v)) }
func (e *encoder) f32(v float32)    { e.b = binary.LittleEndian.AppendUint32(e.b, math.Float32bits(v)) }
func (e *encoder) byte1(v byte)     { e.b = append(e.b, v) }
func (e *encoder) bytes(v []byte)   { e.uvarint(uint64(len(v))); e.b = append(e.b, v...) }
func (e *encoder) str(v string)     { e.uvarint(uint64(len(v))); e.b = append(e.b, v...) }

// errShort is the decoder's error for data that ends too early.
var errShort = errors.New("unexpected end of data")

// decoder reads what encoder wrote. After the first error every read
// returns a zero value and err keeps that error, so a caller checks err
// once at the end of a section.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
	d.b = nil
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail(errShort)
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) take(n int) []byte {
	if n < 0 || len(d.b) < n {
		d.fail(errShort)
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) f64() float64 {
	b := d.take(8)
	if b == nil {
		return 0
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b))
}

func (d *decoder) f32() float32 {
	b := d.take(4)
	if b == nil {
		return 0
	}
	return math.Float32frombits(binary.LittleEndian.Uint32(b))
}

func (d *decoder) byte1() byte {
	b := d.take(1)
	if b == nil {
		return 0
	}
	return b[0]
}

func (d *decoder) bytes() []byte {
	n := d.count(1, "bytes")
	return d.take(n)
}

func (d *decoder) str() string { return string(d.bytes()) }

// count reads a number of items that each take at least minSize bytes,
// refusing one that the remaining data cannot hold, so that a corrupt
// count cannot make the reader allocate without bound.
func (d *decoder) count(minSize int, what string) int {
	v := d.uvarint()
	if d.err != nil {
		return 0
	}
	if v > uint64(len(d.b)/minSize) {
		d.fail(fmt.Errorf("%d %s do not fit in the %d bytes left", v, what, len(d.b)))
		return 0
	}
	return int(v)
}

// int32v reads a uvarint that must fit in an int32.
func (d *decoder) int32v(what string) int32 {
	v := d.uvarint()
	if v > math.MaxInt32 {
		d.fail(fmt.Errorf("%s %d is out of range", what, v))
		return 0
	}
	return int32(v)
}
