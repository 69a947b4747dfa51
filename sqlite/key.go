package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// A live seizure's FTS key (seizures.fts_key, the rowid of its row in
// seizure_fts) is the second of its occurred_at in the high bits and a
// number unique within that second in the low keyLowBits bits. Ordering FTS
// keys therefore orders seizures by the second they occurred, which lets a
// full-text search walk the FTS index newest first and stop after a page
// (see search.go) instead of sorting every match.
const (
	keyLowBits   = 23 // up to 8 million seizures in one second
	keyMaxBucket = 1<<(63-keyLowBits) - 1
)

// keyBucket returns the second of t as used in FTS keys, clamped to the range a
// key can hold (times before 1970 share bucket 0).
func keyBucket(t time.Time) int64 {
	sec := t.Unix()
	switch {
	case sec < 0:
		return 0
	case sec > keyMaxBucket:
		return keyMaxBucket
	}
	return sec
}

// bucketStart returns the smallest key of bucket b.
func bucketStart(b int64) int64 { return b << keyLowBits }

// bucketOf returns the bucket of key.
func bucketOf(key int64) int64 { return key >> keyLowBits }

// seqKey returns the FTS key a seizure that occurred at occurredAt gets
// with change sequence number seq: seq's low bits within the bucket of
// occurredAt. It is unique unless another live seizure of the same second
// has a seq equal modulo 2^keyLowBits; writers then fall back on freeKey.
func seqKey(occurredAt time.Time, seq int64) int64 {
	return bucketStart(keyBucket(occurredAt)) | seq&(1<<keyLowBits-1)
}

// freeKeySQL finds the highest FTS key used in a bucket.
const freeKeySQL = `SELECT max(fts_key) FROM seizures WHERE fts_key >= ? AND fts_key < ?`

// freeKey returns an unused FTS key in the bucket of occurredAt: one above
// the highest used in it. The caller holds the write lock.
func freeKey(ctx context.Context, st *sql.Stmt, occurredAt time.Time) (int64, error) {
	b := keyBucket(occurredAt)
	lo := bucketStart(b)
	hi := lo + 1<<keyLowBits // may overflow to a negative number for the last bucket
	if b == keyMaxBucket {
		hi = 1<<63 - 1
	}
	var max sql.NullInt64
	if err := st.QueryRowContext(ctx, lo, hi).Scan(&max); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("find a free key: %w", err)
	}
	if !max.Valid {
		return lo, nil
	}
	if max.Int64+1 >= hi || max.Int64 == 1<<63-1 {
		return 0, fmt.Errorf("find a free key: more than %d seizures occurred in the second %s", 1<<keyLowBits, occurredAt.UTC().Truncate(time.Second))
	}
	return max.Int64 + 1, nil
}

// keyAfterBucket returns the smallest key of the bucket after t's, an
// exclusive upper bound on the keys of seizures that occurred at or before
// t; -1 if t is in the last bucket and there is no bound.
func keyAfterBucket(t time.Time) int64 {
	b := keyBucket(t)
	if b == keyMaxBucket {
		return -1
	}
	return bucketStart(b + 1)
}

// unixTime converts nanoseconds since 1970 back to a time.
func unixTime(nanos int64) time.Time { return time.Unix(0, nanos).UTC() }
