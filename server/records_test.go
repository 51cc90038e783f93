package server_test

import (
	"bytes"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heyan-dev/heyan/server"
)

func putReq(token, id string, data []byte, headers map[string]string) request {
	return request{method: "PUT", path: "/api/v1/records/" + id, token: token, body: map[string]string{"data": b64(data)}, headers: headers}
}

func create(token, id string, data []byte) request {
	return putReq(token, id, data, map[string]string{"If-None-Match": "*"})
}

func update(token, id string, rev int, data []byte) request {
	return putReq(token, id, data, map[string]string{"If-Match": fmt.Sprintf(`"%d"`, rev)})
}

func del(token, id string, rev int) request {
	return request{method: "DELETE", path: "/api/v1/records/" + id, token: token, headers: map[string]string{"If-Match": fmt.Sprintf(`"%d"`, rev)}}
}

func TestRecordWrites(t *testing.T) {
	h := newHarness(t)
	_, g := h.register()
	tok := g.AccessToken
	d1, d2, d3 := randBytes(100), randBytes(200), randBytes(300)

	r := h.do(create(tok, "note-1", d1))
	if r.status != http.StatusCreated || r.header.Get("ETag") != `"1"` || string(r.body) != `{"id":"note-1","rev":1}`+"\n" {
		t.Fatalf("create = %d %q ETag %q", r.status, r.body, r.header.Get("ETag"))
	}
	h.run(t, []scenario{
		{name: "update at the current rev", req: update(tok, "note-1", 1, d2), wantStatus: http.StatusOK, wantBody: []string{`"rev":2`}},
		{name: "update at a stale rev", req: update(tok, "note-1", 1, d3), wantStatus: http.StatusPreconditionFailed,
			wantBody: []string{`"code":"rev_mismatch"`, `"current":{"id":"note-1","rev":2,"deleted":false,"data":"` + b64(d2) + `"}`}},
		{name: "create over a live record", req: create(tok, "note-1", d3), wantStatus: http.StatusPreconditionFailed, wantBody: []string{`"rev":2`}},
		{name: "update of a missing record", req: update(tok, "nothing", 1, d3), wantStatus: http.StatusPreconditionFailed, wantBody: []string{`"rev_mismatch"`}},
		{name: "PUT without a precondition", req: putReq(tok, "note-1", d3, nil), wantStatus: http.StatusPreconditionRequired, wantBody: []string{`"code":"precondition_required"`, "If-Match"}},
		{name: "DELETE without a precondition", req: request{method: "DELETE", path: "/api/v1/records/note-1", token: tok}, wantStatus: http.StatusPreconditionRequired},
		{name: "both preconditions", req: putReq(tok, "note-1", d3, map[string]string{"If-Match": `"2"`, "If-None-Match": "*"}), wantStatus: http.StatusBadRequest},
		{name: "weak ETag", req: putReq(tok, "note-1", d3, map[string]string{"If-Match": `W/"2"`}), wantStatus: http.StatusBadRequest, wantBody: []string{"If-Match"}},
		{name: "unquoted rev", req: putReq(tok, "note-1", d3, map[string]string{"If-Match": `2`}), wantStatus: http.StatusBadRequest},
		{name: "If-Match star", req: putReq(tok, "note-1", d3, map[string]string{"If-Match": `*`}), wantStatus: http.StatusBadRequest},
		{name: "two ETags", req: putReq(tok, "note-1", d3, map[string]string{"If-Match": `"1", "2"`}), wantStatus: http.StatusBadRequest},
		{name: "If-None-Match not star", req: putReq(tok, "note-1", d3, map[string]string{"If-None-Match": `"2"`}), wantStatus: http.StatusBadRequest},
		{name: "DELETE with If-None-Match", req: request{method: "DELETE", path: "/api/v1/records/note-1", token: tok, headers: map[string]string{"If-None-Match": "*"}}, wantStatus: http.StatusBadRequest},
		{name: "bad record id", req: create(tok, "has.dot", d1), wantStatus: http.StatusBadRequest, wantBody: []string{"record id"}},
		{name: "id too long", req: create(tok, strings.Repeat("x", 65), d1), wantStatus: http.StatusBadRequest},
		{name: "empty data", req: putReq(tok, "empty", nil, map[string]string{"If-None-Match": "*"}), wantStatus: http.StatusBadRequest, wantBody: []string{"data"}},
		{name: "data not base64url", req: request{method: "PUT", path: "/api/v1/records/x", token: tok, body: `{"data":"a+b/"}`, headers: map[string]string{"If-None-Match": "*"}}, wantStatus: http.StatusBadRequest, wantBody: []string{"base64url"}},
		{name: "64 KiB exactly", req: create(tok, "big", randBytes(server.MaxRecordData)), wantStatus: http.StatusCreated},
		{name: "64 KiB + 1 (body still under the limit)", req: create(tok, "bigger", randBytes(server.MaxRecordData+1)), wantStatus: http.StatusRequestEntityTooLarge, wantBody: []string{`"code":"too_large"`}},
		{name: "delete at a stale rev", req: del(tok, "note-1", 1), wantStatus: http.StatusPreconditionFailed, wantBody: []string{`"rev":2`}},
		{name: "delete", req: del(tok, "note-1", 2), wantStatus: http.StatusNoContent},
		{name: "delete of the tombstone", req: del(tok, "note-1", 3), wantStatus: http.StatusPreconditionFailed, wantBody: []string{`"current":{"id":"note-1","rev":3,"deleted":true,"data":null}`}},
		{name: "update of the tombstone", req: update(tok, "note-1", 3, d3), wantStatus: http.StatusPreconditionFailed},
		{name: "create over the tombstone continues the revs", req: create(tok, "note-1", d3), wantStatus: http.StatusCreated, wantBody: []string{`"rev":4`}},
	})
	if r := h.do(update(tok, "note-1", 1, d3)); r.header.Get("ETag") != `"4"` {
		t.Errorf("412 ETag = %q, want the current rev", r.header.Get("ETag"))
	}
}

func TestRecordSync(t *testing.T) {
	h := newHarness(t)
	u, g := h.register()
	tok := g.AccessToken
	type page struct {
		Records []struct {
			ID      string  `json:"id"`
			Rev     int     `json:"rev"`
			Deleted bool    `json:"deleted"`
			Data    *string `json:"data"`
		} `json:"records"`
		Cursor string `json:"cursor"`
		More   bool   `json:"more"`
	}
	sync := func(since string, limit int) (page, response) {
		path := "/api/v1/records?since=" + since
		if limit > 0 {
			path += fmt.Sprintf("&limit=%d", limit)
		}
		r := h.do(request{method: "GET", path: path, token: tok})
		var p page
		if r.status == http.StatusOK {
			r.json(t, &p)
		}
		return p, r
	}
	data := map[string][]byte{}
	for i := range 5 {
		id := fmt.Sprintf("r%d", i)
		data[id] = randBytes(20)
		if r := h.do(create(tok, id, data[id])); r.status != http.StatusCreated {
			t.Fatal(r.status)
		}
	}
	p, _ := sync("", 3)
	if len(p.Records) != 3 || !p.More || p.Cursor == "" {
		t.Fatalf("first page: %+v", p)
	}
	for _, rec := range p.Records {
		if rec.Data == nil || *rec.Data != b64(data[rec.ID]) {
			t.Errorf("record %s has data %v", rec.ID, rec.Data)
		}
	}
	p, _ = sync(p.Cursor, 3)
	if len(p.Records) != 2 || p.More {
		t.Fatalf("second page: %+v", p)
	}
	cursor := p.Cursor
	h.do(del(tok, "r0", 1))
	h.do(update(tok, "r1", 1, []byte("new")))
	p, _ = sync(cursor, 0)
	if len(p.Records) != 2 || p.Records[0].ID != "r0" || !p.Records[0].Deleted || p.Records[0].Data != nil || p.Records[1].ID != "r1" || p.Records[1].Rev != 2 {
		t.Fatalf("changes after the cursor: %+v", p)
	}

	h.run(t, []scenario{
		{name: "since not a number", req: request{method: "GET", path: "/api/v1/records?since=abc", token: tok}, wantStatus: http.StatusBadRequest, wantBody: []string{"since"}},
		{name: "negative since", req: request{method: "GET", path: "/api/v1/records?since=-1", token: tok}, wantStatus: http.StatusBadRequest},
		{name: "limit too big", req: request{method: "GET", path: "/api/v1/records?limit=100000", token: tok}, wantStatus: http.StatusBadRequest, wantBody: []string{"limit"}},
		{name: "cursor from the future", req: request{method: "GET", path: "/api/v1/records?since=999", token: tok}, wantStatus: http.StatusGone, wantBody: []string{`"code":"cursor_expired"`}},
	})

	// Past tombstone retention the r0 tombstone is purged: a cursor from
	// before it gets 410, a full sync still works. (The jump also outlives
	// the session, so sign in again.)
	h.clock.Advance(91 * 24 * time.Hour)
	if err := h.svc.Purge(t.Context()); err != nil {
		t.Fatal(err)
	}
	if r := h.do(get(tok)); r.status != http.StatusUnauthorized {
		t.Errorf("access token after 91 days: %d", r.status)
	}
	tok = h.login(u).AccessToken
	if _, r := sync(cursor, 0); r.status != http.StatusGone || !bytes.Contains(r.body, []byte("cursor_expired")) {
		t.Errorf("cursor older than a purged tombstone: %d %s, want 410", r.status, r.body)
	}
	if p, r := sync("0", 0); r.status != http.StatusOK || len(p.Records) != 4 {
		t.Errorf("full sync after purge: %d %+v, want the 4 live records", r.status, p)
	}
}

// TestRecordsIsolated: user A can neither read nor write user B's records.
func TestRecordsIsolated(t *testing.T) {
	h := newHarness(t)
	_, a := h.register()
	_, b := h.register()
	secretData := randBytes(40)
	if r := h.do(create(b.AccessToken, "b-note", secretData)); r.status != http.StatusCreated {
		t.Fatal(r.status)
	}
	h.run(t, []scenario{
		{name: "A lists records", req: get(a.AccessToken), wantStatus: http.StatusOK, wantBody: []string{`"records":[]`}},
		{name: "A updates B's record", req: update(a.AccessToken, "b-note", 1, randBytes(10)), wantStatus: http.StatusPreconditionFailed},
		{name: "A deletes B's record", req: del(a.AccessToken, "b-note", 1), wantStatus: http.StatusPreconditionFailed},
		{name: "A creates its own record with B's ID", req: create(a.AccessToken, "b-note", []byte("mine")), wantStatus: http.StatusCreated, wantBody: []string{`"rev":1`}},
		{name: "B's record is untouched", req: get(b.AccessToken), wantStatus: http.StatusOK, wantBody: []string{`"rev":1`, b64(secretData)}},
	})
	for _, req := range []request{update(a.AccessToken, "b-note", 7, nil), del(a.AccessToken, "b-note", 7), get(a.AccessToken)} {
		if r := h.do(req); bytes.Contains(r.body, []byte(b64(secretData))) {
			t.Errorf("%s %s showed B's data to A: %s", req.method, req.path, r.body)
		}
	}
}

// TestSyncReadsWhatItSends: a sync page of large records, asked for with
// the largest limit, costs the server memory in proportion to the page it
// sends, not to every record after the cursor (the page is cut at
// PageBytes). It measures the process's allocations around one request,
// so it does not run in parallel.
func TestSyncReadsWhatItSends(t *testing.T) {
	const pageBytes, records = 4 * server.MaxRecordData, 40
	h := newHarness(t, withPageBytes(pageBytes))
	_, g := h.register()
	for i := range records {
		if r := h.do(create(g.AccessToken, fmt.Sprintf("big-%d", i), randBytes(server.MaxRecordData))); r.status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
	}
	req := request{method: "GET", path: "/api/v1/records?limit=1000", token: g.AccessToken}
	for range 2 { // warm up statements, pools and buffers
		h.do(req)
	}
	body := bytes.NewBuffer(make([]byte, 0, 1<<20)) // the client's side, allocated beforehand
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := h.doInto(req, body)
	runtime.ReadMemStats(&after)
	var page struct {
		Records []struct{ ID string }
		More    bool
	}
	r.json(t, &page)
	if r.status != http.StatusOK || len(page.Records) != pageBytes/server.MaxRecordData || !page.More {
		t.Fatalf("sync = %d with %d records (more %v), want 200 with %d and more", r.status, len(page.Records), page.More, pageBytes/server.MaxRecordData)
	}
	sent := len(r.body)
	t.Logf("sent %d KiB, allocated %d KiB", sent>>10, (after.TotalAlloc-before.TotalAlloc)>>10)
	if alloc := int(after.TotalAlloc - before.TotalAlloc); alloc > 2*sent {
		t.Errorf("a sync response of %d KiB (of %d KiB stored after the cursor) allocated %d KiB, want at most twice what it sends",
			sent>>10, records*server.MaxRecordData>>10, alloc>>10)
	}
}

// TestQuota: an account is held to its quota of records (tombstones
// included, until purged) and of record data; a write over it is refused
// with its own code and a message saying what to do, while writes that do
// not grow the account (updates that shrink, deletes) always go through.
// GET /api/v1/account reports usage and quota.
func TestQuota(t *testing.T) {
	h := newHarness(t, withQuota(3, 1000))
	u, g := h.register()
	tok := g.AccessToken
	usage := func(records, bytes int) scenario {
		return scenario{name: fmt.Sprintf("usage %d records, %d bytes", records, bytes), req: request{method: "GET", path: "/api/v1/account", token: tok}, wantStatus: http.StatusOK,
			wantBody: []string{fmt.Sprintf(`"usage":{"records":%d,"bytes":%d},"quota":{"records":3,"bytes":1000}`, records, bytes)}}
	}
	h.run(t, []scenario{
		usage(0, 0),
		{name: "first", req: create(tok, "a", randBytes(400)), wantStatus: http.StatusCreated},
		{name: "second", req: create(tok, "b", randBytes(400)), wantStatus: http.StatusCreated},
		{name: "over the bytes", req: create(tok, "c", randBytes(201)), wantStatus: http.StatusForbidden,
			wantBody: []string{`"code":"quota_exceeded"`, "1001 bytes", "1000", "delete"}},
		usage(2, 800),
		{name: "exactly the bytes", req: create(tok, "c", randBytes(200)), wantStatus: http.StatusCreated},
		{name: "a fourth record", req: create(tok, "d", randBytes(1)), wantStatus: http.StatusForbidden,
			wantBody: []string{`"code":"quota_exceeded"`, "4 records", "3"}},
		{name: "an update that grows", req: update(tok, "a", 1, randBytes(401)), wantStatus: http.StatusForbidden, wantBody: []string{`"quota_exceeded"`}},
		{name: "an update that shrinks", req: update(tok, "a", 1, randBytes(100)), wantStatus: http.StatusOK},
		usage(3, 700),
		{name: "a stale write is a 412 first", req: update(tok, "a", 1, randBytes(999)), wantStatus: http.StatusPreconditionFailed},
		{name: "a delete", req: del(tok, "b", 1), wantStatus: http.StatusNoContent},
		usage(3, 300),
		{name: "the tombstone still counts as a record", req: create(tok, "d", randBytes(1)), wantStatus: http.StatusForbidden},
		{name: "a create over the tombstone adds no record", req: create(tok, "b", randBytes(700)), wantStatus: http.StatusCreated},
		usage(3, 1000),
		{name: "usage needs a token", req: request{method: "GET", path: "/api/v1/account"}, wantStatus: http.StatusUnauthorized},
	})
	// Tombstones stop counting once purged.
	h.run(t, []scenario{{name: "delete c", req: del(tok, "c", 1), wantStatus: http.StatusNoContent}, usage(3, 800)})
	h.clock.Advance(server.DefaultTombstoneRetention + time.Hour)
	if err := h.svc.Purge(t.Context()); err != nil {
		t.Fatal(err)
	}
	tok = h.login(u).AccessToken
	h.run(t, []scenario{usage(2, 800)})
}

// TestConcurrentWriters: two writers on one revision, one wins, one 412.
func TestConcurrentWriters(t *testing.T) {
	h := newHarness(t)
	_, g := h.register()
	if r := h.do(create(g.AccessToken, "shared", []byte("v1"))); r.status != http.StatusCreated {
		t.Fatal(r.status)
	}
	for round := range 5 {
		rev := round + 1
		var wg sync.WaitGroup
		statuses := make([]int, 2)
		for i := range 2 {
			wg.Go(func() {
				statuses[i] = h.do(update(g.AccessToken, "shared", rev, fmt.Appendf(nil, "writer %d", i))).status
			})
		}
		wg.Wait()
		ok, stale := 0, 0
		for _, s := range statuses {
			switch s {
			case http.StatusOK:
				ok++
			case http.StatusPreconditionFailed:
				stale++
			}
		}
		if ok != 1 || stale != 1 {
			t.Fatalf("round %d: statuses %v, want one 200 and one 412", round, statuses)
		}
	}
}

func TestRequestBodies(t *testing.T) {
	h := newHarness(t)
	_, g := h.register()
	tok := g.AccessToken
	post := func(name, body string, status int, frags ...string) scenario {
		return scenario{name: name, req: request{method: "POST", path: "/api/v1/prelogin", body: body}, wantStatus: status, wantBody: frags}
	}
	big := `{"email":"` + strings.Repeat("a", server.BodyLimit) + `@example.test"}`
	h.run(t, []scenario{
		post("syntax error", `{"email": "a@example.test",}`, 400, `"code":"invalid"`, "malformed JSON at byte 28"),
		post("truncated", `{"email": "a@exa`, 400, "ends in the middle"),
		post("empty body", ``, 400, "empty"),
		post("not an object", `["a@example.test"]`, 400, "must be an object"),
		post("wrong type", `{"email": 42}`, 400, "field \\\"email\\\" must be a string, not number"),
		post("unknown field", `{"email": "a@example.test", "password": "x"}`, 400, "unknown field", "password"),
		post("trailing data", `{"email": "a@example.test"} {}`, 400, "unexpected data after the object"),
		post("null", `null`, 400, "email"),
		post("body over the limit", big, 413, `"code":"too_large"`),
		{name: "wrong content type", req: request{method: "POST", path: "/api/v1/prelogin", body: `{"email":"a@example.test"}`, headers: map[string]string{"Content-Type": "text/plain"}}, wantStatus: 415, wantBody: []string{`"unsupported_media"`}},
		{name: "no content type", req: request{method: "POST", path: "/api/v1/prelogin", body: `{"email":"a@example.test"}`, headers: map[string]string{"Content-Type": ""}}, wantStatus: 415},
		{name: "JSON with charset", req: request{method: "POST", path: "/api/v1/prelogin", body: `{"email":"a@example.test"}`, headers: map[string]string{"Content-Type": "application/json; charset=utf-8"}}, wantStatus: 200},
		{name: "record body over the limit", req: putReq(tok, "x", randBytes(server.BodyLimit), map[string]string{"If-None-Match": "*"}), wantStatus: 413},
		{name: "malformed JSON in a record write", req: request{method: "PUT", path: "/api/v1/records/x", token: tok, body: `{"data": }`, headers: map[string]string{"If-None-Match": "*"}}, wantStatus: 400, wantBody: []string{"at byte 10"}},
		{name: "unknown route", req: request{method: "GET", path: "/api/v1/nothing"}, wantStatus: 404, wantBody: []string{`{"error":{"code":"not_found"`}},
		{name: "wrong method", req: request{method: "PATCH", path: "/api/v1/prelogin"}, wantStatus: 405, wantBody: []string{`"code":"method_not_allowed"`}},
	})

	// A body without Content-Length is cut off at the limit too.
	req := create(tok, "chunked", nil)
	req.body = nil
	r := h.doChunked(req, `{"data":"`+strings.Repeat("A", server.BodyLimit)+`"}`)
	if r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked oversized body: %d %s", r.status, r.body)
	}
}
