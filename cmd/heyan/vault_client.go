package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/heyan-dev/heyan/core/vault"
)

// syncClient speaks the sync server's API (docs/SERVER.md) for the vault
// commands: prelogin, sign-in, the account ID, record pages, sign-out. It
// holds the session's tokens and nothing else; keys stay with the caller.
type syncClient struct {
	base    string // scheme://host[:port][/prefix], without a trailing slash
	http    *http.Client
	access  string
	refresh string
}

// maxAnswer bounds what the client reads of one answer: a record page is cut
// at about 8 MiB of data by the server, which base64url makes about 11 MiB.
const maxAnswer = 32 << 20

// newSyncClient checks the server URL. Plain http is allowed to loopback
// only: the authKey and the session tokens would cross the network in the
// clear.
func newSyncClient(server string) (*syncClient, error) {
	u, err := url.Parse(strings.TrimSpace(server))
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, msgError("--server "+strconv.Quote(server)+" 不是服务器地址：应形如 https://sync.example.com", "--server "+strconv.Quote(server)+" is not a server address: give one like https://sync.example.com")
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, msgError("--server 只能包含协议、主机、端口和路径", "--server may hold only a scheme, a host, a port and a path")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, msgError("--server 使用了不加密的 http：只有本机地址（127.0.0.1、::1、localhost）可以这样；其他服务器请用 https://", "--server uses plain http, which is allowed for loopback addresses only (127.0.0.1, ::1, localhost): use https:// for any other server")
		}
	default:
		return nil, msgError("--server 的协议应为 https 或 http（仅限本机），而不是 "+strconv.Quote(u.Scheme), "--server must use https (or http to loopback), not "+strconv.Quote(u.Scheme))
	}
	return &syncClient{
		base: strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"),
		http: &http.Client{
			Timeout: 30 * time.Second,
			// A redirect would resend the authKey or the token to wherever
			// it points; the API never redirects.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// apiError is an answer other than 2xx: the server's error code and message
// (docs/SERVER.md, Errors).
type apiError struct {
	Status     int
	Code       string
	Message    string
	RetryAfter string
}

func (e *apiError) Error() string {
	s := "the server answered " + strconv.Itoa(e.Status)
	if e.Code != "" {
		s += " " + clipText(e.Code)
	}
	if e.Message != "" {
		s += ": " + clipText(e.Message)
	}
	return s
}

// clipText makes text from the server fit to print: control characters
// (a terminal's escape sequences among them) become U+FFFD, and it is cut
// at 200 characters.
func clipText(s string) string {
	r := []rune(s)
	if len(r) > 200 {
		r = append(r[:200], '…')
	}
	for i, c := range r {
		if c < 0x20 || c >= 0x7f && c <= 0x9f {
			r[i] = '\ufffd'
		}
	}
	return string(r)
}

// call sends one request and decodes a 2xx answer into out (if not nil).
func (c *syncClient) call(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if c.access != "" {
		req.Header.Set("Authorization", "Bearer "+c.access)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return msgError("连不上服务器 "+c.base+"："+err.Error(), "cannot reach the server "+c.base+": "+err.Error())
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, maxAnswer+1))
	if err != nil {
		return msgError("读取服务器的回答时出错："+err.Error(), "reading the server's answer failed: "+err.Error())
	}
	if len(data) > maxAnswer {
		return msgError("服务器的回答超过 32 MiB：这不是核验助手的同步服务器", "the server's answer is over 32 MiB: this is not a Heyan sync server")
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		e := &apiError{Status: res.StatusCode, RetryAfter: res.Header.Get("Retry-After")}
		var body struct {
			Error struct{ Code, Message string }
		}
		if json.Unmarshal(data, &body) == nil {
			e.Code, e.Message = body.Error.Code, body.Error.Message
		}
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return msgError("服务器对 "+method+" "+path+" 的回答不是核验助手所期望的："+err.Error(), "the server's answer to "+method+" "+path+" is not what Heyan expects: "+err.Error())
	}
	return nil
}

var b64url = base64.RawURLEncoding.Strict()

// decodeB64 reads a base64url byte string of the server's answer.
func decodeB64(field, s string) ([]byte, error) {
	b, err := b64url.DecodeString(s)
	if err != nil {
		return nil, msgError("服务器回答中的 "+field+" 不是 base64url", "the server's "+field+" is not base64url")
	}
	return b, nil
}

// prelogin returns the account's KDF parameters and salt.
func (c *syncClient) prelogin(ctx context.Context, email string) (vault.Params, []byte, error) {
	var res struct {
		KDF *struct {
			Alg         string `json:"alg"`
			MemoryKiB   uint32 `json:"memoryKiB"`
			Iterations  uint32 `json:"iterations"`
			Parallelism uint32 `json:"parallelism"`
			Salt        string `json:"salt"`
		} `json:"kdf"`
	}
	if err := c.call(ctx, "POST", "/api/v1/prelogin", map[string]string{"email": email}, &res); err != nil {
		return vault.Params{}, nil, err
	}
	if res.KDF == nil {
		return vault.Params{}, nil, msgError("服务器的 prelogin 回答缺少 kdf", "the server's prelogin answer has no kdf")
	}
	salt, err := decodeB64("kdf.salt", res.KDF.Salt)
	if err != nil {
		return vault.Params{}, nil, err
	}
	return vault.Params{Alg: res.KDF.Alg, MemoryKiB: res.KDF.MemoryKiB, Iterations: res.KDF.Iterations, Parallelism: res.KDF.Parallelism}, salt, nil
}

// signIn starts a session and returns the account's wrapped vault key.
func (c *syncClient) signIn(ctx context.Context, email string, authKey vault.AuthKey) ([]byte, error) {
	var res struct {
		AccessToken  string `json:"accessToken"`
		RefreshToken string `json:"refreshToken"`
		WrappedKey   string `json:"wrappedKey"`
	}
	err := c.call(ctx, "POST", "/api/v1/sessions", map[string]string{"email": email, "authKey": b64url.EncodeToString(authKey[:])}, &res)
	if err != nil {
		return nil, err
	}
	if res.AccessToken == "" {
		return nil, msgError("服务器的登录回答缺少 accessToken", "the server's sign-in answer has no accessToken")
	}
	c.access, c.refresh = res.AccessToken, res.RefreshToken
	return decodeB64("wrappedKey", res.WrappedKey)
}

// accountID asks whose session this is: the account ID records are sealed to.
func (c *syncClient) accountID(ctx context.Context) (string, error) {
	var res struct {
		AccountID string `json:"accountId"`
	}
	if err := c.callRefreshing(ctx, "GET", "/api/v1/sessions/current", &res); err != nil {
		return "", err
	}
	return res.AccountID, nil
}

// change is one entry of a record page.
type change struct {
	ID      string  `json:"id"`
	Rev     int64   `json:"rev"`
	Deleted bool    `json:"deleted"`
	Data    *string `json:"data"`
}

type recordPage struct {
	Records []change `json:"records"`
	Cursor  string   `json:"cursor"`
	More    bool     `json:"more"`
}

// records fetches the changes after since ("" for all).
func (c *syncClient) records(ctx context.Context, since string) (recordPage, error) {
	q := url.Values{"limit": {strconv.Itoa(1000)}}
	if since != "" {
		q.Set("since", since)
	}
	var page recordPage
	err := c.callRefreshing(ctx, "GET", "/api/v1/records?"+q.Encode(), &page)
	return page, err
}

// callRefreshing is call for a GET with the session, refreshing the tokens
// once when the access token has expired (it lives 10 minutes).
func (c *syncClient) callRefreshing(ctx context.Context, method, path string, out any) error {
	err := c.call(ctx, method, path, nil, out)
	var ae *apiError
	if !errors.As(err, &ae) || ae.Status != http.StatusUnauthorized || c.refresh == "" {
		return err
	}
	var res struct {
		AccessToken  string `json:"accessToken"`
		RefreshToken string `json:"refreshToken"`
	}
	access := c.access
	c.access = ""
	if rerr := c.call(ctx, "POST", "/api/v1/sessions/refresh", map[string]string{"refreshToken": c.refresh}, &res); rerr != nil || res.AccessToken == "" {
		c.access = access
		return err
	}
	c.access, c.refresh = res.AccessToken, res.RefreshToken
	return c.call(ctx, method, path, nil, out)
}

// signOut ends the session; the command calls it on its way out.
func (c *syncClient) signOut(ctx context.Context) error {
	if c.access == "" {
		return nil
	}
	err := c.call(ctx, "DELETE", "/api/v1/sessions/current", nil, nil)
	c.access, c.refresh = "", ""
	return err
}
