package server

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/http/httptest"
	"strconv"
	"testing"
)

// recordsResponse is the wire form of a sync page, marshalled by
// encoding/json: what writeRecordsPage must write.
type recordsResponse struct {
	Records []recordJSON `json:"records"`
	Cursor  string       `json:"cursor"`
	More    bool         `json:"more"`
}

// TestRecordsPageJSON: the streamed page is byte for byte what
// encoding/json makes of it, with a Content-Length that matches, for pages
// of every shape: empty, tombstones, data of every length mod 3, data
// spanning several buffers, IDs that need escaping.
func TestRecordsPageJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	data := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		return b
	}
	pages := []RecordPage{
		{Records: []Record{}},
		{Records: []Record{}, Cursor: 17, More: true},
		{Records: []Record{{ID: "a", Rev: 1, Data: []byte{0}}}, Cursor: 1},
		{Records: []Record{{ID: "t", Rev: 9, Deleted: true}, {ID: "u", Rev: 1 << 62, Data: data(2)}}, Cursor: 1<<63 - 1},
		{Records: []Record{{ID: `needs "escaping" <&>`, Rev: 2, Data: data(5)}}, Cursor: 3},
		{Records: []Record{{ID: "big", Rev: 3, Data: data(MaxRecordData)}, {ID: "big2", Rev: 1, Data: data(pageChunk/4*3 + 1)}}, Cursor: 8, More: true},
	}
	for range 200 {
		p := RecordPage{Cursor: rng.Int64N(1 << 40), More: rng.IntN(2) == 0, Records: []Record{}}
		for range rng.IntN(6) {
			r := Record{ID: "r-" + strconv.Itoa(rng.IntN(1000)) + "_X", Rev: rng.Int64N(1 << 20)}
			if rng.IntN(4) == 0 {
				r.Deleted = true
			} else {
				r.Data = data(1 + rng.IntN([]int{10, 3000, 50000}[rng.IntN(3)]))
			}
			p.Records = append(p.Records, r)
		}
		pages = append(pages, p)
	}
	for i, p := range pages {
		want := recordsResponse{Records: make([]recordJSON, len(p.Records)), Cursor: strconv.FormatInt(p.Cursor, 10), More: p.More}
		for j, r := range p.Records {
			want.Records[j] = toRecordJSON(r)
		}
		var wantBody bytes.Buffer
		if err := json.NewEncoder(&wantBody).Encode(want); err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		if err := writeRecordsPage(rec, p); err != nil {
			t.Fatal(err)
		}
		if got := rec.Body.Bytes(); !bytes.Equal(got, wantBody.Bytes()) {
			t.Fatalf("page %d: streamed JSON differs from encoding/json's:\n got %.300s\nwant %.300s", i, got, wantBody.Bytes())
		}
		if cl := rec.Header().Get("Content-Length"); cl != strconv.Itoa(rec.Body.Len()) {
			t.Fatalf("page %d: Content-Length %s for a body of %d bytes", i, cl, rec.Body.Len())
		}
		if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
			t.Fatalf("page %d: Content-Type %q", i, ct)
		}
	}
}
