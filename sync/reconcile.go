package sync

import "time"

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
func (e *Engine) reconciled() { e.reconcile = false }
