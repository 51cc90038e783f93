package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// hostile is a sync server double: a reverse proxy in front of a real
// `heyan serve` that can lower the KDF parameters it publishes, serve one
// record's data under another ID, serve an older version of a record, answer
// a pull with 410, and hold a full sync's page back for a moment. It keeps
// what clients PUT, to replay old versions.
type hostile struct {
	srv *httptest.Server

	mu       sync.Mutex
	weakKDF  bool
	inject   []map[string]any // records added to the next pull's page
	expire   bool             // answer the next pull with a cursor 410
	slowFull time.Duration    // hold a pull from the start back this long
	puts     map[string][]string
	signIns  int // POST /api/v1/sessions and /api/v1/accounts that reached it
	fullRuns int // pulls from the start
}

func newHostile(t *testing.T, upstream string) *hostile {
	t.Helper()
	h := &hostile{puts: map[string][]string{}}
	target, _ := url.Parse(upstream)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = h.modify
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		if r.Method == http.MethodPost && (r.URL.Path == "/api/v1/sessions" || r.URL.Path == "/api/v1/accounts") {
			h.signIns++
		}
		if r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, "/api/v1/records/") {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			var put struct{ Data string }
			json.Unmarshal(body, &put)
			id := strings.TrimPrefix(r.URL.Path, "/api/v1/records/")
			h.puts[id] = append(h.puts[id], put.Data)
		}
		isPull := r.Method == http.MethodGet && r.URL.Path == "/api/v1/records"
		since := r.URL.Query().Get("since")
		expire := isPull && since != "" && h.expire
		if expire {
			h.expire = false
		}
		var hold time.Duration
		if isPull && since == "" {
			h.fullRuns++
			hold = h.slowFull
		}
		h.mu.Unlock()
		if expire {
			// As the real server answers the extension's origin (CORS).
			w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			w.Header().Set("Vary", "Origin")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusGone)
			io.WriteString(w, `{"error":{"code":"cursor_expired","message":"the cursor is older than purged deletions: sync from the start"}}`)
			return
		}
		time.Sleep(hold)
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hostile) set(f func(h *hostile)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f(h)
}

func (h *hostile) modify(res *http.Response) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	path := res.Request.URL.Path
	rewrite := func(change func(body map[string]any)) error {
		raw, err := io.ReadAll(res.Body)
		if err != nil {
			return err
		}
		var body map[string]any
		if json.Unmarshal(raw, &body) != nil {
			res.Body = io.NopCloser(bytes.NewReader(raw))
			return nil
		}
		change(body)
		out, _ := json.Marshal(body)
		res.Body = io.NopCloser(bytes.NewReader(out))
		res.ContentLength = int64(len(out))
		res.Header.Set("Content-Length", fmt.Sprint(len(out)))
		return nil
	}
	switch {
	case h.weakKDF && (path == "/api/v1/kdf" || path == "/api/v1/prelogin"):
		return rewrite(func(body map[string]any) {
			kdf := body["kdf"].(map[string]any)
			kdf["memoryKiB"], kdf["iterations"] = 1024, 1
		})
	case len(h.inject) > 0 && res.Request.Method == http.MethodGet && path == "/api/v1/records" && res.StatusCode == 200:
		inject := h.inject
		h.inject = nil
		return rewrite(func(body map[string]any) {
			records, _ := body["records"].([]any)
			for _, r := range inject {
				records = append(records, r)
			}
			body["records"] = records
		})
	}
	return nil
}

func (h *hostile) url() string { return h.srv.URL }

func TestSyncAgainstAHostileServer(t *testing.T) {
	e := needE2E(t)
	real := startSyncServer(t, e, "sqlite")
	h := newHostile(t, real.url())
	a := e.syncBrowser(t)
	b := e.syncBrowser(t)
	const email = "hostile@example.com"

	// A makes the account through the double (honest for now), a person,
	// then changes them: the double keeps both versions.
	signUp(t, a, h.url(), email, true)
	saved := message(t, a, fmt.Sprintf(`{type: "save-person", id: "", lang: "zh-CN", person: {name: %q, role: "principal", phone: %q, docType: "resident-id", province: "", idLast6: %q, filing: ""}}`, syncName, syncPhone, syncID)).(map[string]any)["saved"].(map[string]any)
	personID := saved["id"].(string)
	filing := message(t, a, fmt.Sprintf(`{type: "put-filing", id: "", lang: "zh-CN", filing: {name: %q, platform: "", scenario: "", people: [{role: "principal", personId: %q}], smsAt: null}}`, syncFiling, personID)).(map[string]any)["saved"].(map[string]any)
	filingID := filing["id"].(string)
	waitSynced(t, a)
	message(t, a, fmt.Sprintf(`{type: "save-person", id: %q, lang: "zh-CN", person: {name: %q, role: "principal", phone: %q, docType: "resident-id", province: "", idLast6: %q, filing: ""}}`, personID, syncName, syncPhoneA, syncID))
	waitSynced(t, a)
	var versions []string
	h.set(func(h *hostile) { versions = append([]string(nil), h.puts[personID]...) })
	if len(versions) < 2 {
		t.Fatalf("the double saw %d versions of the person", len(versions))
	}

	// A wrong password: said plainly, and this browser stays as it was.
	grantOrigins(t, b)
	setField(t, b, "#sync-server", h.url())
	setField(t, b, "#sync-email", email)
	setField(t, b, "#sync-password", "not the password at all")
	click(t, b, "#panel-sync .sign-in", "")
	waitJS(t, b, `document.querySelector(".page-alert:not([hidden])")?.textContent.includes("邮箱或密码不对")`, 30*time.Second)
	if st := syncStatus(t, b); st["state"] != "signed-out" || st["account"] != nil {
		t.Fatalf("after a wrong password: %v", st)
	}
	if got := evalAwait[string](t, b, `chrome.storage.local.get(null).then((x) => JSON.stringify(Object.keys(x)))`); strings.Contains(got, "heyan-account") {
		t.Fatalf("a wrong password left an account behind: %s", got)
	}

	// Lowered KDF parameters: refused before the password is used; nothing
	// reaches sign-in.
	h.set(func(h *hostile) { h.weakKDF = true; h.signIns = 0 })
	openOptions(t, b, "sync")
	grantOrigins(t, b)
	setField(t, b, "#sync-server", h.url())
	setField(t, b, "#sync-email", email)
	setField(t, b, "#sync-password", syncPass)
	click(t, b, "#panel-sync .sign-in", "")
	waitJS(t, b, `document.querySelector(".page-alert:not([hidden])")?.textContent.includes("低于核验助手的安全下限")`, 30*time.Second)
	h.set(func(h *hostile) {
		if h.signIns != 0 {
			t.Errorf("%d sign-in requests reached the server after weak KDF parameters", h.signIns)
		}
		h.weakKDF = false
	})

	// B signs in for real; its first pull is a full sync, held back a moment
	// so that the page's progress bar can be seen.
	h.set(func(h *hostile) { h.slowFull = 1500 * time.Millisecond })
	openOptions(t, b, "sync")
	signUp(t, b, h.url(), email, false)
	waitJS(t, b, `document.querySelector("#panel-sync progress.full-sync")`, 10*time.Second)
	h.set(func(h *hostile) { h.slowFull = 0 })
	waitSynced(t, b)

	// The double serves the person's first version again (rolled back), and
	// the person's data under the filing's ID (swapped): neither is applied,
	// both are flagged.
	h.set(func(h *hostile) {
		h.inject = []map[string]any{
			{"id": personID, "rev": 99, "deleted": false, "data": versions[0]},
			{"id": filingID, "rev": 98, "deleted": false, "data": versions[len(versions)-1]},
		}
	})
	syncedNow(t, b)
	waitJS(t, b, `document.querySelector('#panel-sync .sync-problems li[data-code="record-rolled-back"]') && document.querySelector('#panel-sync .sync-problems li[data-code="record-moved"]')`, 10*time.Second)
	phone := message(t, b, fmt.Sprintf(`{type: "reveal-phone", id: %q}`, personID)).(map[string]any)["phone"]
	filings := message(t, b, `{type: "filings", lang: "zh-CN"}`).([]any)
	if phone != syncPhoneA || len(filings) != 1 || filings[0].(map[string]any)["name"] != syncFiling {
		t.Fatalf("after a rolled-back and a swapped record: phone %v (want %s), filings %v", phone, syncPhoneA, filings)
	}

	// A 410: the next pull starts from the beginning, and ends where it was.
	var before int
	h.set(func(h *hostile) { h.expire = true; before = h.fullRuns })
	message(t, a, fmt.Sprintf(`{type: "save-person", id: %q, lang: "zh-CN", person: {name: %q, role: "principal", phone: %q, docType: "resident-id", province: "", idLast6: %q, filing: ""}}`, personID, syncName, syncPhoneB, syncID))
	waitSynced(t, a)
	syncedNow(t, b)
	h.set(func(h *hostile) {
		if h.fullRuns != before+1 {
			t.Errorf("a 410 led to %d full syncs, want 1", h.fullRuns-before)
		}
	})
	if phone := message(t, b, fmt.Sprintf(`{type: "reveal-phone", id: %q}`, personID)).(map[string]any)["phone"]; phone != syncPhoneB {
		t.Fatalf("after the full sync B has phone %v, want %s", phone, syncPhoneB)
	}
}
