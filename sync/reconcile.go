package sync

import (
	"context"
	"time"

	"kopi/rules"
)

// Google documents the responses.list filter as "submitted after" a
// timestamp and says nothing of edits: if an edit does not move a
// response past the filter, a cycle reading from the cursor never sees
// it. A reconciliation cycle lists every response without a filter;
// the ledger (response id → version applied) lets the cycle pass over
// the unchanged ones and process any new or edited one the filtered
// listings missed. It costs one unfiltered responses.list per 5,000
// responses (the largest page), once a day.

// Reconcile makes the next cycle (and any that fails before committing)
// list every response instead of those since the cursor.
func (e *Engine) Reconcile() { e.reconcile = true }

// since is where this cycle's response listing starts: the cursor, or
// the beginning when reconciling.
func (e *Engine) since(cursor time.Time) time.Time {
	if e.reconcile {
		e.log.Info("rekonsiliasi: semua tanggapan dibaca ulang")
		return time.Time{}
	}
	return cursor
}

// reconciled ends a reconciliation once its cycle has committed.
func (e *Engine) reconciled() { e.reconcile, e.archivedIDs = false, nil }

// readArchive reads the archive's ledger for a reconciliation cycle:
// the unfiltered listing returns every archived case's response too, and
// each is recognised by its id and named by its ticket (a cycle that is
// not reconciling recognises them by the horizon alone and reads no
// archive). Once per reconciliation, kept until it commits. The horizon
// alone already keeps archived responses from becoming new cases, so a
// failed read is logged and the cycle goes on without the names.
func (e *Engine) readArchive(ctx context.Context, tx TrackerTx) {
	a, ok := tx.(Archiver)
	if !e.reconcile || !ok || e.o.Config.ArchiveDays() <= 0 || e.archivedIDs != nil {
		return
	}
	ids, err := a.ArchivedResponses(ctx)
	if err != nil {
		e.log.Warn("buku besar arsip tidak terbaca; tanggapan kasus arsip tetap dikenali dari batas arsip", "galat", shortErr(err))
		ids = map[string]rules.Ticket{}
	}
	e.archivedIDs = ids
}
