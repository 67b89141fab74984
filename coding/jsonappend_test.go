package coding

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

func TestCodingAppendJSONIsWhatMarshalWrites(t *testing.T) {
	created := time.Date(2026, 12, 5, 7, 15, 0, 123456789, time.UTC)
	for _, c := range []Coding{
		{},
		{ID: "3f1c2f9e-8a43-4c55-9d9a-2d1e0b8a7c11", ProjectID: "p", DocumentID: "d", CodeID: "c", CoderID: "u", Start: 3, End: 17, Created: created},
		{ID: "x", Memo: `she said "no" <b>&</b> \ then left`, Start: 0, End: 1, Created: created.In(time.FixedZone("CET", 3600))},
		{Memo: "line\nbreak\ttab\u0001\u2028 café 🙂 \xff", Created: created.Truncate(time.Second)},
		{Start: -1, End: 1 << 40},
	} {
		want, err := json.Marshal(&c)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.AppendJSON(nil); !bytes.Equal(got, want) {
			t.Errorf("AppendJSON:\n got %s\nwant %s", got, want)
		}
	}
}

func FuzzCodingAppendJSON(f *testing.F) {
	f.Add("id", "memo <&> \"q\"", 1, 5, int64(1764918900123456789))
	f.Add("\xff\x00", "\u2028", -3, 0, int64(0))
	f.Fuzz(func(t *testing.T, id, memo string, start, end int, nanos int64) {
		c := Coding{ID: id, ProjectID: id, DocumentID: id, CodeID: id, CoderID: id, Start: start, End: end, Memo: memo, Created: time.Unix(0, nanos).UTC()}
		want, err := json.Marshal(&c)
		if err != nil {
			return // a time json.Marshal refuses; AppendJSON writes null
		}
		if got := c.AppendJSON(nil); !bytes.Equal(got, want) {
			t.Fatalf("AppendJSON:\n got %s\nwant %s", got, want)
		}
	})
}
