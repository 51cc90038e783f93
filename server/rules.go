package server

import (
	"cmp"
	"slices"
	"time"
)

// RefreshVerdict is what happens to a presented refresh token.
type RefreshVerdict int

// Refresh verdicts.
const (
	// VerdictReject refuses the token and changes nothing (it expired).
	VerdictReject RefreshVerdict = iota
	// VerdictRotate marks the token used and issues its successor.
	VerdictRotate
	// VerdictGrace accepts a used token once more because its response was
	// probably lost: its unused successor is retired and a new one issued.
	VerdictGrace
	// VerdictRevoke ends the whole session: a used token came back, so one of
	// its holders is not the client (RFC 9700 section 4.14.2).
	VerdictRevoke
)

// RefreshGrace is how long after a refresh token was exchanged it may be
// presented again, once, if its successor was never used.
const RefreshGrace = 30 * time.Second

// JudgeRefresh decides the fate of a presented refresh token. successor is the
// token issued when tok was exchanged and not since retired, or nil. Both
// store adapters call it inside the transaction that applies the verdict, so
// the rule exists once.
func JudgeRefresh(tok RefreshToken, successor *RefreshToken, now time.Time, grace, ttl time.Duration) RefreshVerdict {
	switch tok.State {
	case TokenLive:
		if !now.Before(tok.IssuedAt.Add(ttl)) {
			return VerdictReject
		}
		return VerdictRotate
	case TokenUsed:
		// The lost-response exception: only within grace of the exchange,
		// only once (the token becomes TokenRegraced), and only while the
		// successor has never been used, since a used successor proves the
		// response did arrive somewhere.
		if successor != nil && successor.State == TokenLive && !now.After(tok.UsedAt.Add(grace)) {
			return VerdictGrace
		}
	}
	return VerdictRevoke
}

// CheckPrecondition tells whether w may be applied to cur (nil when the
// record does not exist). A create needs no live record; an update or delete
// needs a live record at exactly w.IfMatch. A failure is CodeRevMismatch
// carrying cur.
func CheckPrecondition(cur *Record, w RecordWrite) error {
	live := cur != nil && !cur.Deleted
	if w.Create {
		if !live {
			return nil
		}
		return &Error{Code: CodeRevMismatch, Message: "record already exists", Current: cur}
	}
	if live && cur.Rev == w.IfMatch {
		return nil
	}
	e := &Error{Code: CodeRevMismatch, Message: "record is not at that revision", Current: cur}
	if cur == nil {
		e.Message = "record does not exist"
	}
	return e
}

// UsageChange is what w does to its account's Usage, applied to cur (nil
// when the record does not exist): a new record ID adds a record; data
// replaces the data it had, and a tombstone has none.
func UsageChange(cur *Record, w RecordWrite) Usage {
	var d Usage
	if cur == nil {
		d.Records = 1
	} else {
		d.Bytes -= int64(len(cur.Data))
	}
	if !w.Delete {
		d.Bytes += int64(len(w.Data))
	}
	return d
}

// CheckQuota tells whether a write that changes the account's usage (now
// u) by d stays within q. Only growth is judged: a write that does not add
// records or bytes always passes, so an account over a lowered quota can
// still shrink and delete. A failure is CodeQuotaExceeded naming the limit.
func CheckQuota(u, d Usage, q Quota) error {
	if q.Records > 0 && d.Records > 0 && u.Records+d.Records > q.Records {
		return Errorf(CodeQuotaExceeded, "this write would make the account %d records, over its quota of %d (deleted records count until purged); delete records to make room",
			u.Records+d.Records, q.Records)
	}
	if q.Bytes > 0 && d.Bytes > 0 && u.Bytes+d.Bytes > q.Bytes {
		return Errorf(CodeQuotaExceeded, "this write would make the account's records %d bytes, over its quota of %d; delete or shrink records to make room",
			u.Bytes+d.Bytes, q.Bytes)
	}
	return nil
}

// FinishPage completes a page of changes a store read in no particular
// order: it puts the records in sequence order (unless they came sorted)
// and moves the cursor to the last one.
func FinishPage(p RecordPage, sorted bool) RecordPage {
	if !sorted {
		slices.SortFunc(p.Records, func(a, b Record) int { return cmp.Compare(a.Seq, b.Seq) })
	}
	if n := len(p.Records); n > 0 {
		p.Cursor = p.Records[n-1].Seq
	}
	return p
}

// NextRecord is the record w makes of cur, stamped with the account's next
// change sequence number. A record created over a tombstone continues its
// revision count, so a client holding the tombstone sees a newer revision.
func NextRecord(cur *Record, w RecordWrite, seq int64) Record {
	r := Record{ID: w.ID, Rev: 1, Seq: seq, UpdatedAt: w.Now, Deleted: w.Delete}
	if cur != nil {
		r.Rev = cur.Rev + 1
	}
	if !w.Delete {
		r.Data = w.Data
	}
	return r
}
