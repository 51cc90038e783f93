package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/heyan-dev/heyan/core/vault"
)

// The export file and the record plaintext, as agreed with the extension
// (docs/VAULT.md, "Record plaintext" and "The export file").
const (
	exportFormat   = "heyan-export"
	exportVersion  = 1
	envelopeV      = 1
	kindPerson     = "person"
	kindFiling     = "filing"
	maxFullResyncs = 3 // a 410 in the middle of a full sync starts it again, this many times
)

// recordProblem is a record that cannot be exported, with why.
type recordProblem struct {
	id  string
	err error
}

// exportProblems is every record that stopped an export.
type exportProblems []recordProblem

func (p exportProblems) Error() string {
	return strconv.Itoa(len(p)) + " records could not be exported"
}

// liveRecord is a record's content once opened.
type liveRecord struct {
	id      string
	kind    string
	record  json.RawMessage
	version uint64
}

// exportVault signs in to the account, pulls every record, opens each and
// returns the export file. Any record that does not open, or holds an
// envelope this version cannot read, stops it (exportProblems): a backup
// that silently leaves records out is worse than none.
func exportVault(ctx context.Context, c *syncClient, email, password string, now time.Time) ([]byte, error) {
	params, salt, err := c.prelogin(ctx, email)
	if err != nil {
		return nil, step("prelogin", "prelogin", err)
	}
	// The parameters are the server's word: DeriveKeys refuses any below the
	// client's floor before the password is touched, and nothing is sent.
	keys, err := vault.DeriveKeys(password, params, salt, nil)
	if err != nil {
		return nil, err
	}
	wrapped, err := c.signIn(ctx, email, keys.Auth)
	if err != nil {
		return nil, step("登录", "sign-in", err)
	}
	defer c.signOut(context.WithoutCancel(ctx))
	vk, err := vault.UnwrapVaultKey(keys.Wrap, wrapped)
	if vault.ErrorCode(err) == vault.ECodeWrongPassword {
		// The server accepted the authKey, so the password is right and the
		// wrapped key it keeps is not.
		return nil, msgError(
			"服务器接受了密码，但它保存的加密保险库密钥打不开：服务器上的数据已损坏或被改动。",
			"the server accepted the password, but the wrapped vault key it keeps does not open: its copy is damaged or was altered")
	}
	if err != nil {
		return nil, err
	}
	account, err := c.accountID(ctx)
	if err != nil {
		return nil, step("查询账号 ID", "the account ID", err)
	}
	if err := (vault.Place{AccountID: account, RecordID: "-"}).Check(); err != nil {
		return nil, err // not an ID this server could have sealed records to
	}
	live, err := pullAll(ctx, c, vk, account)
	if err != nil {
		return nil, err
	}
	return encodeExport(live, now), nil
}

// pullAll reads every record page from the start and opens each record as it
// comes, keeping the newest version seen per ID: an ID that comes back with
// an older sealed version (in a later page, or after a 410 restart) is a
// rollback.
func pullAll(ctx context.Context, c *syncClient, vk vault.VaultKey, account string) (map[string]liveRecord, error) {
	seen := map[string]uint64{}
	var problems exportProblems
	failed := map[string]bool{}
	for attempt := 0; ; attempt++ {
		live := map[string]liveRecord{}
		cursor := ""
		expired := false
		for {
			page, err := c.records(ctx, cursor)
			var ae *apiError
			if errors.As(err, &ae) && ae.Status == http.StatusGone && attempt < maxFullResyncs {
				expired = true // tombstones were purged meanwhile: start again
				break
			}
			if err != nil {
				return nil, step("读取记录", "the records", err)
			}
			for _, ch := range page.Records {
				if ch.Deleted {
					delete(live, ch.ID) // a tombstone leaves the version seen as it was
					continue
				}
				r, err := openRecord(vk, account, ch, seen)
				if err != nil {
					if !failed[ch.ID] {
						failed[ch.ID] = true
						problems = append(problems, recordProblem{ch.ID, err})
					}
					continue
				}
				live[ch.ID] = r
			}
			if !page.More {
				break
			}
			if page.Cursor == "" || page.Cursor == cursor {
				return nil, msgError("服务器的记录分页没有前进（more 为 true，cursor 未变）", "the server's record pages do not advance (more is true, the cursor did not change)")
			}
			cursor = page.Cursor
		}
		if expired {
			continue
		}
		if len(problems) > 0 {
			slices.SortFunc(problems, func(a, b recordProblem) int { return cmpString(a.id, b.id) })
			return nil, problems
		}
		return live, nil
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// openRecord opens one change and reads its envelope.
func openRecord(vk vault.VaultKey, account string, ch change, seen map[string]uint64) (liveRecord, error) {
	if ch.Data == nil {
		q := strconv.Quote(ch.ID)
		return liveRecord{}, msgError("记录 "+q+" 未标为已删除，却没有数据", "record "+q+" is not deleted but has no data")
	}
	data, err := decodeB64("data of record "+strconv.Quote(ch.ID), *ch.Data)
	if err != nil {
		return liveRecord{}, err
	}
	o, err := vault.Open(vk, vault.Place{AccountID: account, RecordID: ch.ID}, data, vault.LastSeen(seen[ch.ID]))
	if err != nil {
		return liveRecord{}, err
	}
	seen[ch.ID] = o.Version
	kind, record, err := parseEnvelope(ch.ID, o.Content)
	if err != nil {
		return liveRecord{}, err
	}
	return liveRecord{id: ch.ID, kind: kind, record: record, version: o.Version}, nil
}

// parseEnvelope reads a record plaintext: {"v":1,"kind":"person"|"filing",
// "record":{…}}, exactly those members; record comes back byte for byte.
func parseEnvelope(id string, content []byte) (kind string, record json.RawMessage, err error) {
	var env struct {
		V      *int            `json:"v"`
		Kind   *string         `json:"kind"`
		Record json.RawMessage `json:"record"`
	}
	dec := json.NewDecoder(bytes.NewReader(content))
	dec.DisallowUnknownFields()
	q := strconv.Quote(id)
	if err := dec.Decode(&env); err != nil || dec.More() {
		detail := "trailing data"
		if err != nil {
			detail = err.Error()
		}
		return "", nil, msgError("记录 "+q+" 的内容不是核验助手的记录格式（"+detail+"）", "record "+q+" does not hold a Heyan record ("+detail+")")
	}
	switch {
	case env.V == nil || env.Kind == nil || len(env.Record) == 0:
		return "", nil, msgError("记录 "+q+" 缺少 v、kind 或 record", "record "+q+" lacks v, kind or record")
	case *env.V != envelopeV:
		return "", nil, msgError("记录 "+q+" 的格式版本为 "+strconv.Itoa(*env.V)+"，本程序只认识版本 1：请更新核验助手", "record "+q+" has envelope version "+strconv.Itoa(*env.V)+"; this heyan reads version 1: update it")
	case *env.Kind != kindPerson && *env.Kind != kindFiling:
		return "", nil, msgError("记录 "+q+" 的类型 "+strconv.Quote(clipText(*env.Kind))+" 未知（应为 person 或 filing）：请更新核验助手", "record "+q+" is of unknown kind "+strconv.Quote(clipText(*env.Kind))+" (not person or filing): update heyan")
	case env.Record[0] != '{':
		return "", nil, msgError("记录 "+q+" 的 record 不是 JSON 对象", "record "+q+": record is not a JSON object")
	}
	return *env.Kind, env.Record, nil
}

// encodeExport writes the export file: the fixed members, then each kind's
// records in the order of their IDs, one per line, as they were stored.
func encodeExport(live map[string]liveRecord, now time.Time) []byte {
	ids := make([]string, 0, len(live))
	for id := range live {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var b bytes.Buffer
	b.WriteString(`{"format":"` + exportFormat + `","version":` + strconv.Itoa(exportVersion) + `,"exportedAt":"` + now.UTC().Format(time.RFC3339) + `",`)
	for i, kind := range []string{kindPerson, kindFiling} {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(map[string]string{kindPerson: `"people":[`, kindFiling: `"filings":[`}[kind])
		n := 0
		for _, id := range ids {
			if r := live[id]; r.kind == kind {
				if n > 0 {
					b.WriteByte(',')
				}
				b.WriteByte('\n')
				b.Write(r.record)
				n++
			}
		}
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("]")
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// step names the step of the export that an API error stopped, in words for
// the user.
func step(zh, en string, err error) error {
	var ae *apiError
	if !errors.As(err, &ae) {
		return err
	}
	switch {
	case en == "sign-in" && ae.Status == http.StatusUnauthorized:
		return msgError("服务器拒绝了登录：密码不对，或这个邮箱没有账号（服务器不会说是哪一种）。", "the server refused the sign-in: the password is wrong, or there is no account for this email (the server does not say which)")
	case ae.Status == http.StatusTooManyRequests && ae.RetryAfter != "":
		return msgError("登录尝试太多：请在 "+clipText(ae.RetryAfter)+" 秒后再试。", "too many sign-in attempts: try again in "+clipText(ae.RetryAfter)+" seconds")
	case ae.Status == http.StatusTooManyRequests:
		return msgError("登录尝试太多：请稍后再试。", "too many sign-in attempts: try again later")
	case ae.Status == http.StatusServiceUnavailable:
		return msgError("服务器暂时不可用（"+zh+"）：请稍后再试。", "the server is unavailable for now ("+en+"): try again later")
	}
	return msgError("服务器在“"+zh+"”这一步出错："+ae.Error(), "the server failed at "+en+": "+ae.Error())
}
