package store

import (
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/concordqda/concord/coding"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// request is one mutation waiting for the commit loop.
type request struct {
	fn     func(w *writeTx) error
	events []coding.Event
	err    error
	done   chan struct{}
}

// writeTx is what a mutation sees: the bbolt transaction, the events it
// appends, and the per-transaction view of cached project state.
type writeTx struct {
	tx    *bolt.Tx
	db    *DB
	req   *request
	now   time.Time
	seen  map[string]*projectState // states read or built in this transaction
	owned map[string]bool          // projects whose state in seen this transaction built or copied
	// codingDocs, while importCodings runs, collects the coding → document
	// entries it writes afterwards, in key order.
	codingDocs map[string][]byte
	undo       []spanUndo // how to undo its changes to span indexes
	loaded     []string   // span indexes it loaded
}

var errClosed = coding.Errorf(coding.EUNAVAILABLE, "the database is closed")

// errAborted marks the transaction rolled back because one request failed.
var errAborted = errors.New("store: request failed")

// errAllRefused rolls back a transaction in which every request was refused.
var errAllRefused = errors.New("store: every request refused")

// errNothingWritten marks an error returned before the request changed
// anything: the transaction need not roll back for it.
var errNothingWritten = errors.New("store: refused before writing")

// refusal is an error that wraps errNothingWritten; Unwrap exposes both,
// so callers still see the application error's code and message.
type refusal struct{ err error }

func (r refusal) Error() string   { return r.err.Error() }
func (r refusal) Unwrap() []error { return []error{r.err, errNothingWritten} }

// refuse marks err as returned before anything was written.
func refuse(err error) error {
	if err == nil {
		return nil
	}
	return refusal{err}
}

// update runs fn in the commit loop and returns once its transaction has
// committed (or fn failed), together with the events it wrote.
func (db *DB) update(fn func(w *writeTx) error) ([]coding.Event, error) {
	if db.opts.ReadOnly {
		return nil, coding.Errorf(coding.EUNAVAILABLE, "the database is open read-only")
	}
	r := &request{fn: fn, done: make(chan struct{})}
	select {
	case <-db.closed:
		return nil, errClosed
	case db.queue <- r:
	}
	<-r.done
	return r.events, r.err
}

// commitLoop takes whatever mutations are queued, runs them in one
// transaction and commits once: under load many callers share one fsync,
// and a lone caller never waits for a timer.
func (db *DB) commitLoop() {
	defer close(db.done)
	batch := make([]*request, 0, db.opts.MaxBatch)
	for {
		var first *request
		select {
		case first = <-db.queue:
		case <-db.closed:
			// Drain what was queued before Close so no caller hangs.
			for {
				select {
				case r := <-db.queue:
					db.run([]*request{r})
				default:
					return
				}
			}
		}
		batch = append(batch[:0], first)
	drain:
		for len(batch) < db.opts.MaxBatch {
			select {
			case r := <-db.queue:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		db.run(batch)
	}
}

// run commits a batch. When one request fails, the transaction is rolled
// back, that request gets its error and the others run again without it, so
// a bad request never takes good ones down with it (requests must therefore
// be repeatable, which they are: they only touch the transaction).
func (db *DB) run(batch []*request) {
	pending := batch
	for len(pending) > 0 {
		failed := -1
		w := &writeTx{db: db, now: time.Now().UTC(), seen: map[string]*projectState{}, owned: map[string]bool{}}
		var refused []*request
		err := db.bolt.Update(func(tx *bolt.Tx) error {
			w.tx = tx
			for i, r := range pending {
				r.events = r.events[:0]
				w.req = r
				if err := r.fn(w); err != nil {
					r.err = err
					if errors.Is(err, errNothingWritten) {
						// Refused before it wrote anything: the rest of
						// the batch goes on.
						refused = append(refused, r)
						continue
					}
					failed = i
					return errAborted
				}
			}
			if len(refused) == len(pending) {
				// Nothing to write: do not commit an empty transaction,
				// which would still rewrite a meta page.
				return errAllRefused
			}
			return nil
		})
		if errors.Is(err, errAllRefused) {
			// The indexes read here are untouched and stay valid.
			for _, r := range refused {
				r.events = nil
				close(r.done)
			}
			return
		}
		if err == nil {
			db.promote(w.seen)
			for _, r := range refused {
				r.events = nil
				close(r.done)
			}
			db.publish(without(pending, refused))
			return
		}
		db.rollbackSpans(w)
		for _, r := range refused {
			r.err = nil // run again with the rest
		}
		if failed < 0 {
			// The commit itself failed (disk full, I/O error): nothing of
			// the batch is stored, and every caller is told so.
			db.log.Error("commit failed", "err", err, "requests", len(pending))
			for _, r := range pending {
				r.events = nil
				r.err = commitError(err)
				close(r.done)
			}
			db.dropCache()
			return
		}
		r := pending[failed]
		r.events = nil
		close(r.done)
		pending = append(pending[:failed:failed], pending[failed+1:]...)
	}
}

// without returns reqs minus the refused ones (both in batch order).
func without(reqs, refused []*request) []*request {
	if len(refused) == 0 {
		return reqs
	}
	out := make([]*request, 0, len(reqs)-len(refused))
	j := 0
	for _, r := range reqs {
		if j < len(refused) && refused[j] == r {
			j++
			continue
		}
		out = append(out, r)
	}
	return out
}

// publish hands committed events to OnCommit in sequence order, then
// releases the callers: by the time a client hears "ok", its event is
// already on its way to everyone else.
func (db *DB) publish(reqs []*request) {
	if db.opts.OnCommit != nil {
		var all []coding.Event
		for _, r := range reqs {
			all = append(all, r.events...)
		}
		if len(all) > 0 {
			db.opts.OnCommit(all)
		}
	}
	for _, r := range reqs {
		r.err = nil
		close(r.done)
	}
}

func commitError(err error) error {
	if errors.Is(err, berrors.ErrDatabaseReadOnly) {
		return coding.Errorf(coding.EUNAVAILABLE, "the database is read-only; nothing was saved")
	}
	return coding.Errorf(coding.EUNAVAILABLE, "the database could not save this change (%v); nothing was saved", err)
}

// event appends an event to the project's log in the current transaction.
// owner names the coder whose layer the event belongs to ("" for
// project-wide changes), so that blind projects can filter it. A payload
// given as json.RawMessage was encoded by the caller, outside the commit
// loop, which is the one goroutine every write waits for.
func (w *writeTx) event(p *bolt.Bucket, projectID, typ, actor, owner string, payload any) error {
	events := appendOnly(p.Bucket(bucketEvents))
	seq, err := events.NextSequence()
	if err != nil {
		return err
	}
	ev := coding.Event{Seq: seq, ProjectID: projectID, Type: typ, Actor: actor, Owner: owner, Time: w.now}
	// The payload is written into the record itself and ev.Payload points
	// into it: a bulk import keeps every event until it commits, and a
	// second copy of each payload was a fifth of its memory. A coding,
	// the payload of most events, is written without reflection.
	c, isCoding := payload.(*coding.Coding)
	raw, isRaw := payload.(json.RawMessage)
	if !isCoding && !isRaw {
		if raw, err = json.Marshal(payload); err != nil {
			return err
		}
	}
	size := 256 + len(raw)
	if isCoding {
		size = 512 + len(c.Memo)
	}
	data := appendEvent(make([]byte, 0, size), &ev)
	start := len(data)
	if isCoding {
		data = c.AppendJSON(data)
	} else {
		data = append(data, raw...)
	}
	data = append(data, '}')
	ev.Payload = data[start : len(data)-1 : len(data)-1]
	if err := events.Put(u64(seq), data); err != nil {
		return err
	}
	ev.Raw = data
	w.req.events = append(w.req.events, ev)
	return nil
}

// appendEvent encodes ev as json.Marshal would, up to its payload (which
// the caller appends, then the closing brace), without reflection: the
// envelope's fields are ids, fixed type names and a time, none of which
// needs escaping in practice; strings still go through appendJSONString so
// that the result is valid JSON whatever they hold.
func appendEvent(b []byte, ev *coding.Event) []byte {
	b = append(b, `{"seq":`...)
	b = strconv.AppendUint(b, ev.Seq, 10)
	b = append(b, `,"project":`...)
	b = coding.AppendJSONString(b, ev.ProjectID)
	b = append(b, `,"type":`...)
	b = coding.AppendJSONString(b, ev.Type)
	b = append(b, `,"actor":`...)
	b = coding.AppendJSONString(b, ev.Actor)
	if ev.Owner != "" {
		b = append(b, `,"owner":`...)
		b = coding.AppendJSONString(b, ev.Owner)
	}
	b = append(b, `,"time":"`...)
	b = ev.Time.AppendFormat(b, time.RFC3339Nano)
	return append(b, `","payload":`...)
}
