package server

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// writeRecordsPage writes a sync page as the JSON that recordsResponse
// marshals to, without building it in memory first: record data is
// base64url-encoded straight into a pooled buffer of pageChunk bytes, which
// goes out each time it fills. A page then costs that buffer, not two more
// copies of its data (the base64 strings, then the encoder's output), and
// the response carries its exact Content-Length (counted by the same code,
// writing nothing), so it is not chunked. Record IDs are A-Z a-z 0-9 _ -
// and base64url has no other characters, so nothing needs JSON escaping; an
// ID that somehow did is marshalled by encoding/json. A test holds the
// output to encoding/json's, byte for byte.
func writeRecordsPage(w http.ResponseWriter, p RecordPage) error {
	count := pageEncoder{}
	count.page(p)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(count.n))
	w.WriteHeader(http.StatusOK)
	buf := chunks.Get().(*[]byte)
	defer chunks.Put(buf)
	e := pageEncoder{w: w, buf: (*buf)[:0]}
	e.page(p)
	e.flush()
	return e.err
}

// pageChunk is the size of the buffer a page is written through: large
// enough that a common page (a few records) goes out in one write.
const pageChunk = 32 << 10

var chunks = sync.Pool{New: func() any { b := make([]byte, 0, pageChunk); return &b }}

// pageEncoder writes JSON to w through buf, or with no w only counts the
// bytes it would write.
type pageEncoder struct {
	w   io.Writer
	buf []byte
	n   int
	err error
}

func (e *pageEncoder) page(p RecordPage) {
	e.raw(`{"records":[`)
	for i, r := range p.Records {
		if i > 0 {
			e.raw(",")
		}
		e.raw(`{"id":`)
		e.str(r.ID)
		e.raw(`,"rev":`)
		e.int(r.Rev)
		if r.Deleted {
			e.raw(`,"deleted":true,"data":null}`)
			continue
		}
		e.raw(`,"deleted":false,"data":"`)
		e.base64(r.Data)
		e.raw(`"}`)
	}
	e.raw(`],"cursor":"`)
	e.int(p.Cursor)
	if p.More {
		e.raw(`","more":true}` + "\n")
	} else {
		e.raw(`","more":false}` + "\n")
	}
}

// str writes s as a JSON string.
func (e *pageEncoder) str(s string) {
	if !validRecordID(s) {
		b, _ := json.Marshal(s) // cannot fail for a string
		e.raw(string(b))
		return
	}
	e.raw(`"`)
	e.raw(s)
	e.raw(`"`)
}

func (e *pageEncoder) int(v int64) {
	var d [20]byte
	e.raw(string(strconv.AppendInt(d[:0], v, 10)))
}

func (e *pageEncoder) raw(s string) {
	e.n += len(s)
	if e.w == nil {
		return
	}
	if len(e.buf)+len(s) > cap(e.buf) {
		e.flush()
	}
	e.buf = append(e.buf, s...)
}

// base64 encodes data in pieces that fill the buffer; each piece but the
// last is a multiple of 3 bytes, so the pieces join into one encoding.
func (e *pageEncoder) base64(data []byte) {
	enc := base64.RawURLEncoding
	e.n += enc.EncodedLen(len(data))
	if e.w == nil {
		return
	}
	for len(data) > 0 {
		room := (cap(e.buf) - len(e.buf)) / 4 * 3
		if room == 0 {
			e.flush()
			continue
		}
		piece := data
		if len(piece) > room {
			piece = piece[:room]
		}
		out := e.buf[len(e.buf) : len(e.buf)+enc.EncodedLen(len(piece))]
		enc.Encode(out, piece)
		e.buf = e.buf[:len(e.buf)+len(out)]
		data = data[len(piece):]
	}
}

func (e *pageEncoder) flush() {
	if len(e.buf) > 0 && e.err == nil {
		_, e.err = e.w.Write(e.buf)
	}
	e.buf = e.buf[:0]
}
