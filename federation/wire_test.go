package federation

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"crossguard"
)

// proto is the protocol version as pages write it.
var proto = strconv.Itoa(crossguard.ProtocolVersion)

// TestParsePage checks that a well-formed page decodes and that each kind
// of malformed page is refused whole.
func TestParsePage(t *testing.T) {
	good := `{"protocol":` + proto + `,"from":"pk-customs/hq","items":[{"seq":3,"type":"record","signed":{"record":{"id":"x"},"sig":"AA=="}},{"seq":5,"type":"withdrawal","withdrawal":{"id":"y","kind":"seizure","origin":"pk-customs/hq","reason":"r"}}],"next_cursor":9,"head":12}`
	p, err := ParsePage([]byte(good))
	if err != nil {
		t.Fatalf("ParsePage: %v", err)
	}
	if len(p.Items) != 2 || p.NextCursor != 9 || p.Head != 12 || p.Items[1].Withdrawal.Reason != "r" {
		t.Fatalf("page = %+v", p)
	}
	for name, page := range map[string]string{
		"unknown field":      strings.Replace(good, `"head"`, `"heads"`, 1),
		"trailing data":      good + `{}`,
		"other protocol":     strings.Replace(good, `"protocol":`+proto, `"protocol":9`+proto, 1),
		"items out of order": strings.Replace(good, `"seq":5`, `"seq":2`, 1),
		"both kinds in one":  strings.Replace(good, `"type":"withdrawal",`, `"type":"withdrawal","signed":{"record":{},"sig":""},`, 1),
		"unknown item type":  strings.Replace(good, `"type":"record"`, `"type":"gift"`, 1),
		"cursor before item": strings.Replace(good, `"next_cursor":9`, `"next_cursor":4`, 1),
		"not JSON":           `<html>`,
	} {
		if _, err := ParsePage([]byte(page)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := DecodePage(bytes.NewReader([]byte(good)), int64(len(good)-1)); !errors.Is(err, ErrPageTooLarge) {
		t.Errorf("oversized page: %v", err)
	}
}

// FuzzParsePage checks that no input makes the page decoder panic and that
// every accepted page keeps the decoder's promises.
func FuzzParsePage(f *testing.F) {
	f.Add([]byte(`{"protocol":` + proto + `,"from":"a/b","items":[],"next_cursor":0,"head":0}`))
	f.Add([]byte(`{"protocol":` + proto + `,"from":"a/b","items":[{"seq":1,"type":"withdrawal","withdrawal":{"id":"x"}}],"next_cursor":1,"head":1}`))
	f.Add([]byte(`{"protocol":` + proto + `,"from":"a/b","items":[{"seq":1,"type":"record","signed":{"record":{"id":"x"},"sig":""}}],"next_cursor":1,"head":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePage(b)
		if err != nil {
			return
		}
		last := int64(-1)
		for _, it := range p.Items {
			if it.Seq <= last || (it.Signed == nil) == (it.Withdrawal == nil) {
				t.Fatalf("accepted a bad item %+v", it)
			}
			last = it.Seq
		}
		if p.NextCursor < last {
			t.Fatalf("accepted next_cursor %d before item %d", p.NextCursor, last)
		}
	})
}

// TestEncodeRecordItem checks that the hand-written item encoding decodes
// to the item it encodes.
func TestEncodeRecordItem(t *testing.T) {
	it := Item{Seq: 42, Type: ItemRecord, Signed: &crossguard.SignedRecord{Record: []byte(`{"id":"x","text":"a \"quoted\" line"}`), Signature: "c2ln+/=="},
		Path: []string{"pk-customs/sost", "pk-customs/hq"}}
	b := encodeRecordItem(&it)
	page := `{"protocol":` + proto + `,"from":"pk-customs/hq","items":[` + string(b) + `],"next_cursor":42,"head":42}`
	p, err := ParsePage([]byte(page))
	if err != nil {
		t.Fatalf("ParsePage(%s): %v", b, err)
	}
	got := p.Items[0]
	if got.Seq != 42 || string(got.Signed.Record) != string(it.Signed.Record) || got.Signed.Signature != it.Signed.Signature ||
		strings.Join(got.Path, ",") != "pk-customs/sost,pk-customs/hq" {
		t.Fatalf("decoded %+v from %s", got, b)
	}
}
