package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"github.com/heyan-dev/heyan/server"
)

// Group commit. SQLite commits one transaction at a time, and with
// synchronous=FULL each commit waits for an fsync, so one write per
// transaction caps writes at the disk's fsync rate divided by everything else
// a commit costs. Record writes that arrive while a commit is under way are
// queued and applied together in the next transaction, each inside its own
// savepoint: a write whose precondition fails is rolled back alone, the rest
// commit together, and no write is acknowledged before the commit that holds
// it has returned.

// maxBatch bounds the writes in one transaction, so one commit cannot hold
// the write lock for long.
const maxBatch = 64

// batchTimeout bounds one batch's transaction. Requests' own contexts do not
// apply to it: a batch serves several requests.
const batchTimeout = 10 * time.Second

type writeRequest struct {
	ctx  context.Context
	w    server.RecordWrite
	done chan writeResult // buffered: the batcher never waits for a caller
}

type writeResult struct {
	rec server.Record
	err error
}

// batcher applies queued record writes in group commits.
type batcher struct {
	db *DB
	// inTx runs a batch's transaction: db.inTx, or in a test one that fails.
	inTx     func(context.Context, func(tx) error) error
	requests chan *writeRequest
	stop     chan struct{}
	stopOnce sync.Once
	stopped  sync.WaitGroup
}

var errClosed = errors.New("sqlite: store closed")

func newBatcher(db *DB) *batcher {
	b := &batcher{db: db, inTx: db.inTx, requests: make(chan *writeRequest, maxBatch), stop: make(chan struct{})}
	b.stopped.Go(b.run)
	return b
}

// write queues w and waits for the commit that holds it.
func (b *batcher) write(ctx context.Context, w server.RecordWrite) (server.Record, error) {
	req := &writeRequest{ctx: ctx, w: w, done: make(chan writeResult, 1)}
	select {
	case <-b.stop:
		return server.Record{}, errClosed
	default:
	}
	select {
	case b.requests <- req:
	case <-ctx.Done():
		return server.Record{}, ctx.Err()
	case <-b.stop:
		return server.Record{}, errClosed
	}
	select {
	case res := <-req.done:
		return res.rec, res.err
	case <-ctx.Done():
		// The write may still commit; the caller cannot know, as with any
		// database call that times out.
		return server.Record{}, ctx.Err()
	case <-b.stop:
		// Closed while queued: the batcher finishes its current batch and
		// fails what it finds queued; a request it never saw gets no answer.
		b.stopped.Wait()
		select {
		case res := <-req.done:
			return res.rec, res.err
		default:
			return server.Record{}, errClosed
		}
	}
}

func (b *batcher) close() {
	b.stopOnce.Do(func() { close(b.stop) })
	b.stopped.Wait()
}

func (b *batcher) run() {
	for {
		var batch []*writeRequest
		select {
		case req := <-b.requests:
			batch = append(batch, req)
		case <-b.stop:
			b.drain()
			return
		}
	more:
		for len(batch) < maxBatch {
			select {
			case req := <-b.requests:
				batch = append(batch, req)
			default:
				break more
			}
		}
		b.commit(batch)
	}
}

// drain fails whatever is still queued at close.
func (b *batcher) drain() {
	for {
		select {
		case req := <-b.requests:
			req.done <- writeResult{err: errClosed}
		default:
			return
		}
	}
}

// commit applies a batch in one transaction and answers every request.
// When the transaction fails, every write judged inside it gets that
// failure, a 412 included: its precondition was checked against writes of
// the same batch that are now rolled back, so its "current" record may
// never have existed.
func (b *batcher) commit(batch []*writeRequest) {
	results := make([]writeResult, len(batch))
	judged := make([]bool, len(batch))
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	err := b.inTx(ctx, func(tx tx) error {
		for i, req := range batch {
			if err := req.ctx.Err(); err != nil {
				results[i].err = err // the caller gave up before its turn
				continue
			}
			judged[i] = true
			if _, err := tx.ExecContext(ctx, "SAVEPOINT w"); err != nil {
				return err
			}
			rec, err := applyWrite(ctx, tx, req.w)
			if err != nil {
				if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO w"); rerr != nil {
					return rerr
				}
			}
			if _, err := tx.ExecContext(ctx, "RELEASE w"); err != nil {
				return err
			}
			results[i] = writeResult{rec: rec, err: err}
		}
		return nil
	})
	for i, req := range batch {
		if err != nil && judged[i] {
			results[i] = writeResult{err: err} // nothing of the batch committed
		}
		req.done <- results[i]
	}
}

// applyWrite is one compare-and-set inside a transaction: bump the
// account's change sequence (reading its usage), read the record, check the
// precondition and the quota, write, and count the change in the usage.
func applyWrite(ctx context.Context, tx tx, w server.RecordWrite) (server.Record, error) {
	var seq int64
	var usage server.Usage
	err := tx.QueryRowContext(ctx, qBumpSeq, w.AccountID).Scan(&seq, &usage.Records, &usage.Bytes)
	if errors.Is(err, sql.ErrNoRows) {
		return server.Record{}, server.Unauthorized()
	}
	if err != nil {
		return server.Record{}, err
	}
	var cur *server.Record
	var r server.Record
	var updated int64
	err = tx.QueryRowContext(ctx, qRecord, w.AccountID, w.ID).Scan(&r.ID, &r.Rev, &r.Deleted, &r.Data, &r.Seq, &updated)
	switch {
	case err == nil:
		r.UpdatedAt = fromMS(updated)
		cur = &r
	case !errors.Is(err, sql.ErrNoRows):
		return server.Record{}, err
	}
	if err := server.CheckPrecondition(cur, w); err != nil {
		return server.Record{}, err
	}
	change := server.UsageChange(cur, w)
	if err := server.CheckQuota(usage, change, w.Quota); err != nil {
		return server.Record{}, err
	}
	rec := server.NextRecord(cur, w, seq)
	if _, err := tx.ExecContext(ctx, qPutRecord, w.AccountID, rec.ID, rec.Rev, rec.Seq, rec.Deleted, rec.Data, ms(rec.UpdatedAt)); err != nil {
		return server.Record{}, err
	}
	if change != (server.Usage{}) {
		if _, err := tx.ExecContext(ctx, qAddUsage, change.Records, change.Bytes, w.AccountID); err != nil {
			return server.Record{}, err
		}
	}
	return rec, nil
}
