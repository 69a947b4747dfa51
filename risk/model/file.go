package model

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// The model file: an 8-byte magic, the format version (uint32, little
// endian), the length of the payload (uint64), the payload (the model's
// binary encoding, deflated) and the SHA-256 of everything before it.
//
// FormatVersion changes whenever the payload or the feature layout
// changes; Read refuses any other version.
//
//	1 (2026-11-27): first version.
const FormatVersion = 1

// magic starts every model file.
var magic = [8]byte{'C', 'G', 'R', 'I', 'S', 'K', 'M', 0}

// Limits that keep a corrupt file from exhausting memory.
const (
	headerSize     = 8 + 4 + 8
	maxPayload     = 256 << 20
	maxInflated    = 1 << 30
	checksumLength = sha256.Size
)

// Why Read refuses a file; test with errors.Is.
var (
	ErrNotModel  = errors.New("not a model file")
	ErrVersion   = errors.New("incompatible model format version")
	ErrTruncated = errors.New("truncated model file")
	ErrCorrupt   = errors.New("corrupt model file")
)

// FileError is why a model file was refused: Kind is one of ErrNotModel,
// ErrVersion, ErrTruncated and ErrCorrupt, and the message says what was
// found.
type FileError struct {
	Kind error
	Msg  string
}

func (e *FileError) Error() string { return e.Msg }

// Unwrap returns the kind, for errors.Is.
func (e *FileError) Unwrap() error { return e.Kind }

func fileErr(kind error, format string, args ...any) error {
	return &FileError{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// WriteTo writes the model file to w.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	var z bytes.Buffer
	fw, err := flate.NewWriter(&z, flate.BestCompression)
	if err != nil {
		return 0, fmt.Errorf("model: compress: %w", err)
	}
	if _, err := fw.Write(m.marshal()); err != nil {
		return 0, fmt.Errorf("model: compress: %w", err)
	}
	if err := fw.Close(); err != nil {
		return 0, fmt.Errorf("model: compress: %w", err)
	}
	file := make([]byte, 0, headerSize+z.Len()+checksumLength)
	file = append(file, magic[:]...)
	file = binary.LittleEndian.AppendUint32(file, FormatVersion)
	file = binary.LittleEndian.AppendUint64(file, uint64(z.Len()))
	file = append(file, z.Bytes()...)
	sum := sha256.Sum256(file)
	file = append(file, sum[:]...)
	n, err := w.Write(file)
	if err != nil {
		return int64(n), fmt.Errorf("model: write: %w", err)
	}
	return int64(n), nil
}

// Read reads a model file. It refuses, with a *FileError saying why, a
// file that is not a model file, is from another format version, is
// truncated or is corrupt.
func Read(r io.Reader) (*Model, error) {
	head := make([]byte, headerSize)
	if n, err := io.ReadFull(r, head); err != nil {
		if n == 0 && errors.Is(err, io.EOF) {
			return nil, fileErr(ErrTruncated, "model file is empty")
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			if n < len(magic) || !bytes.Equal(head[:len(magic)], magic[:]) {
				return nil, fileErr(ErrNotModel, "not a crossguard model file (%d bytes)", n)
			}
			return nil, fileErr(ErrTruncated, "model file is truncated: %d bytes, shorter than its header", n)
		}
		return nil, fmt.Errorf("model: read: %w", err)
	}
	if !bytes.Equal(head[:len(magic)], magic[:]) {
		return nil, fileErr(ErrNotModel, "not a crossguard model file (it starts with %q)", head[:len(magic)])
	}
	if v := binary.LittleEndian.Uint32(head[8:]); v != FormatVersion {
		return nil, fileErr(ErrVersion, "model file is from format version %d; this crossguard reads version %d", v, FormatVersion)
	}
	size := binary.LittleEndian.Uint64(head[12:])
	if size > maxPayload {
		return nil, fileErr(ErrCorrupt, "model file is corrupt: it claims a payload of %d bytes, more than the %d allowed", size, maxPayload)
	}
	// Read what is there rather than allocate what the header claims.
	want := int64(size) + checksumLength
	rest, err := io.ReadAll(io.LimitReader(r, want))
	if err != nil {
		return nil, fmt.Errorf("model: read: %w", err)
	}
	if int64(len(rest)) < want {
		return nil, fileErr(ErrTruncated, "model file is truncated: %d of %d bytes", headerSize+len(rest), headerSize+want)
	}
	payload, stored := rest[:size], rest[size:]
	h := sha256.New()
	h.Write(head)
	h.Write(payload)
	if !bytes.Equal(h.Sum(nil), stored) {
		return nil, fileErr(ErrCorrupt, "model file is corrupt: its checksum does not match its content")
	}
	raw, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(payload)), maxInflated+1))
	if err != nil {
		return nil, fileErr(ErrCorrupt, "model file is corrupt: %v", err)
	}
	if len(raw) > maxInflated {
		return nil, fileErr(ErrCorrupt, "model file is corrupt: it inflates to more than %d bytes", maxInflated)
	}
	m, err := unmarshal(raw)
	if err != nil {
		return nil, fileErr(ErrCorrupt, "model file is corrupt: %v", err)
	}
	return m, nil
}
