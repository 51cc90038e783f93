package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/heyan-dev/heyan/server"
)

// TestFailedBatchAnswersEveryWrite: when a group commit fails, no answer
// from that batch may describe what it did, since none of it happened. In
// particular a 412 decided against a write earlier in the same batch must
// not carry that write's record as "current": the record was never
// stored, and a client that believed it would ask for a revision that does
// not exist.
func TestFailedBatchAnswersEveryWrite(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "heyan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now()
	a := &server.Account{ID: "a1", Email: "a@example.test", AuthSalt: []byte{1}, AuthHash: []byte{2},
		KDF: server.AccountKDF([]byte{3}), WrappedKey: []byte{4}, Stamp: 1, CreatedAt: now}
	if err := db.CreateAccount(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	injected := errors.New("injected commit failure")
	db.batch.inTx = func(ctx context.Context, fn func(tx) error) error {
		return db.inTx(ctx, func(t tx) error {
			if err := fn(t); err != nil {
				return err
			}
			return injected // rolls the whole batch back, as a failed commit would leave it
		})
	}
	w := server.RecordWrite{AccountID: a.ID, ID: "r1", Create: true, Data: []byte("first"), Now: now}
	batch := []*writeRequest{
		{ctx: t.Context(), w: w, done: make(chan writeResult, 1)},
		{ctx: t.Context(), w: w, done: make(chan writeResult, 1)}, // loses to the first inside the batch
	}
	db.batch.commit(batch)
	for i, req := range batch {
		res := <-req.done
		var e *server.Error
		if errors.As(res.err, &e) && e.Current != nil {
			t.Errorf("write %d of the failed batch: %v with current %+v, a record that was rolled back", i+1, res.err, *e.Current)
		}
		if !errors.Is(res.err, injected) {
			t.Errorf("write %d of the failed batch = %+v, %v; want the batch's error", i+1, res.rec, res.err)
		}
	}
	db.batch.inTx = db.inTx
	page, err := db.Records(t.Context(), server.PageRequest{AccountID: a.ID, Limit: 10, MaxBytes: 1 << 20})
	if err != nil || len(page.Records) != 0 {
		t.Errorf("after the failed batch the account has %+v, %v; want nothing", page.Records, err)
	}
}
