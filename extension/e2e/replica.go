// Package e2e holds the extension's browser tests: a local replica of the MIIT
// SMS-verification page and its API, and Go tests that drive Debian's
// Chromium with the built extension loaded (harness_test.go starts it;
// extension_test.go, assistant_test.go and popup_test.go hold the cases).
package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// StrictCSP is the policy served by the replica's strict switch: no eval and
// no WebAssembly for anything the page runs, content scripts included.
const StrictCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self' data:; connect-src 'self' https://hlwicpfwc.miit.gov.cn; object-src 'none'; base-uri 'self'"

// Answer is one scripted reply of the replica's API.
type Answer struct {
	Code   int    // the answer's code; 200 unless set
	Msg    string // shown by the page as an .el-message--error toast when Code is not 200
	Status int    // params.validStatus
	Flag   bool   // params.validFlag
}

// Request is one request the replica's API received.
type Request struct {
	Path string
	Body map[string]any
}

// Replica serves the page on beian.miit.gov.cn and the API on
// hlwicpfwc.miit.gov.cn, and a stand-in for the Douyin open platform's
// console on developer.open-douyin.com (all mapped to one local port by the
// browser; cmd/replica serves it on its own, for the tests that are not Go).
type Replica struct {
	dir     string // replica/: index.html, app.js, replica.css, templates.gen.js
	libs    string // node_modules with vue, vue-router, element-ui, axios
	console string // douyin-console/, beside replica/: index.html, console.js, console.css

	mu       sync.Mutex
	answers  map[string][]Answer // by the request's mobileNum
	requests []Request
}

// NewReplica serves the files under dir and the libraries under libs.
func NewReplica(dir, libs string) *Replica {
	return &Replica{dir: dir, libs: libs, console: filepath.Join(filepath.Dir(dir), "douyin-console")}
}

// Script queues the API's next answers to requests for phone, in order, so
// tests in parallel tabs do not take each other's answers. With none queued
// the API answers validStatus 0.
func (r *Replica) Script(phone string, answers ...Answer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.answers == nil {
		r.answers = map[string][]Answer{}
	}
	r.answers[phone] = append(r.answers[phone], answers...)
}

// Requests returns what the API has received so far.
func (r *Replica) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.requests...)
}

func (r *Replica) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	host, _, _ := strings.Cut(req.Host, ":")
	switch host {
	case "hlwicpfwc.miit.gov.cn":
		r.serveAPI(w, req)
	case "beian.miit.gov.cn":
		r.servePage(w, req)
	case "developer.open-douyin.com":
		r.serveConsole(w, req)
	default:
		http.Error(w, "unknown host "+host, http.StatusNotFound)
	}
}

func (r *Replica) servePage(w http.ResponseWriter, req *http.Request) {
	p := req.URL.Path
	switch {
	case p == "/" || p == "/index.html":
		b, err := os.ReadFile(filepath.Join(r.dir, "index.html"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		page := string(b)
		// csp=header, csp=meta or csp=both: the two ways a page can declare a policy.
		switch req.URL.Query().Get("csp") {
		case "header":
			w.Header().Set("Content-Security-Policy", StrictCSP)
		case "meta":
			page = strings.Replace(page, "<!--CSP-->", `<meta http-equiv="Content-Security-Policy" content="`+StrictCSP+`">`, 1)
		case "both":
			w.Header().Set("Content-Security-Policy", StrictCSP)
			page = strings.Replace(page, "<!--CSP-->", `<meta http-equiv="Content-Security-Policy" content="`+StrictCSP+`">`, 1)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	case strings.HasPrefix(p, "/static/lib/"):
		rel := strings.TrimPrefix(p, "/static/lib/")
		// Only the four libraries the page loads, nothing else from node_modules.
		for _, lib := range []string{"vue/dist/", "vue-router/dist/", "element-ui/lib/", "axios/dist/"} {
			if strings.HasPrefix(rel, lib) && !strings.Contains(rel, "..") {
				http.ServeFile(w, req, filepath.Join(r.libs, filepath.FromSlash(rel)))
				return
			}
		}
		http.NotFound(w, req)
	case strings.HasPrefix(p, "/static/"):
		name := strings.TrimPrefix(p, "/static/")
		if strings.ContainsAny(name, "/\\") {
			http.NotFound(w, req)
			return
		}
		http.ServeFile(w, req, filepath.Join(r.dir, name))
	default:
		http.NotFound(w, req)
	}
}

// serveConsole serves the console stand-in: its two static files, and its
// one page at every other path (an SPA's routes).
func (r *Replica) serveConsole(w http.ResponseWriter, req *http.Request) {
	switch p := req.URL.Path; p {
	case "/static/console.js", "/static/console.css":
		http.ServeFile(w, req, filepath.Join(r.console, strings.TrimPrefix(p, "/static/")))
	default:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		http.ServeFile(w, req, filepath.Join(r.console, "index.html"))
	}
}

func (r *Replica) serveAPI(w http.ResponseWriter, req *http.Request) {
	// The page and the API are different origins, as on the real site: the
	// JSON body and the uuid/sign/token headers make the browser ask first.
	// The page's origin carries the replica's port where the browser maps
	// only the address (Firefox): any port of the page's host is the page.
	origin := "https://beian.miit.gov.cn"
	if o := req.Header.Get("Origin"); strings.HasPrefix(o, origin+":") {
		origin = o
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	w.Header().Set("Access-Control-Allow-Headers", "content-type, uuid, sign, token")
	w.Header().Set("Access-Control-Allow-Methods", "POST, OPTIONS")
	if req.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if req.Method != http.MethodPost || !strings.HasPrefix(req.URL.Path, "/icpproject_query/api/smsValidate/") {
		http.NotFound(w, req)
		return
	}
	var body map[string]any
	dec := json.NewDecoder(req.Body)
	dec.UseNumber() // mobileNum is a number (v-model.number): keep its digits
	_ = dec.Decode(&body)
	r.mu.Lock()
	r.requests = append(r.requests, Request{Path: req.URL.Path, Body: body})
	phone := fmt.Sprint(body["mobileNum"])
	a := Answer{Code: 200}
	if q := r.answers[phone]; len(q) > 0 {
		a = q[0]
		r.answers[phone] = q[1:]
	}
	r.mu.Unlock()
	if a.Code == 0 {
		a.Code = 200
	}
	out := map[string]any{"code": a.Code, "msg": a.Msg, "success": a.Code == 200}
	if a.Code == 200 {
		out["params"] = map[string]any{"validStatus": a.Status, "validFlag": a.Flag}
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	json.NewEncoder(w).Encode(out)
}
