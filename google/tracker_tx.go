package google

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// TrackerTx is one read of the tracker and the writes that depend on it.
// The tabs only kopi writes (the state and overflow tabs) are written at
// the rows this read found, and rows staff added to an SOP tab are
// anchored where this read saw them: those positions live here and
// nowhere else. The domain refers to state records by their identities
// (a response id, an SOP case, a delivery's ID) and to a new SOP row by
// the reference this read gave it.
//
// Only the transaction of the tracker's latest Read may write: an
// earlier read's positions may no longer hold.
type TrackerTx struct {
	t      *Tracker
	tables map[string]*Table
	// records maps each state record's identity to its row.
	records map[string]int64
	// lastID is the highest numeric delivery ID read or given.
	lastID int64
	// keyIDs counts the records without a stored ID by key, so the IDs
	// derived for them are unique.
	keyIDs map[string]int
	// newRows are the rows staff added to SOP tabs, by reference.
	newRows map[string]newSOPRow
	// written are the consultation rows written through this
	// transaction, for VerifyLayout.
	written []writtenRow
	// committed is the consultation tab's layout as the commit's own
	// response showed it, right after the commit's writes; nil when the
	// commit did not run, returned nothing for the tab, or a write to the
	// tab came after it.
	committed *layout
	// anchorMoves are the row anchors the read found off their rows
	// (ticket → row index), moved before the next write.
	anchorMoves map[string]int64
	// lostAnchors are the row anchors the read found on no row, with
	// the row showing their ticket (lostAnchors), made again before the
	// next write.
	lostAnchors map[string]int64
	// anchored are the SOP rows the commit anchored, for checking that
	// each anchor landed on its row (UpdateSOPRows).
	anchored []rules.SOPAnchor
	// sopMoves are the SOP row anchors the read found off their rows,
	// moved before the next write by anchor.
	sopMoves []anchorMove
	// ended, when set, refuses every further write: a write of this
	// transaction left the tabs where its positions no longer hold
	// (google/archive.go).
	ended error
	// archiveCols are the column names of the archive tabs this
	// transaction's moves wrote to, as the moves left them: a later move
	// of the same run places its columns without reading the header
	// again (google/archive_columns.go).
	archiveCols map[string][]string
	// part marks a commit that more commits of the same cycle follow
	// (CommitPart): only the last one reads the layout back.
	part bool
	// journal is the row-write journal's state (google/journal.go).
	journal journalState
	// rowAt is where each case's row stands (ticket → row index), as
	// the read or the latest commit's read-back showed it: where a commit
	// writes existing rows (google/row_write.go).
	rowAt map[string]int64
	// placed are the cells the latest batch wrote by position, until
	// VerifyLayout has seen each on its row and column or put back what
	// landed elsewhere (google/row_write.go).
	placed []placedCell
	// repaired counts rows put back during a backlog's earlier commits,
	// for the VerifyLayout that ends the cycle's writes.
	repaired int
}

// The identities of state records: kind, then what names the record.
const cursorRecord = stateCursor

func ledgerRecord(e rules.LedgerEntry) string { return stateLedger + "\x00" + e.ResponseID }
func flowRecord(f rules.FlowRecord) string    { return stateFlow + "\x00" + f.SOP + "/" + f.Case }
func deliveryRecord(d rules.Delivery) string  { return stateMail + "\x00" + d.ID }

// deliveryID is the ID of a delivery record as read: the stored one, or
// for a record written before IDs were stored (or in a state tab without
// the id column) one derived from its key, unique within the read.
func (tx *TrackerTx) deliveryID(r Row) string {
	id := r.Get(ColStateID)
	if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > tx.lastID {
		tx.lastID = n
	}
	if id == "" {
		id = "k:" + r.Get(ColStateKey)
	}
	if tx.keyIDs == nil {
		tx.keyIDs = map[string]int{}
	}
	tx.keyIDs[id]++
	if n := tx.keyIDs[id]; n > 1 {
		id += "#" + strconv.Itoa(n)
	}
	return id
}

// newDeliveryID gives a new outbox record its ID: the next number.
func (tx *TrackerTx) newDeliveryID() string {
	tx.lastID++
	return strconv.FormatInt(tx.lastID, 10)
}

// errStaleRead refuses a write through a transaction whose read is no
// longer the tracker's latest.
var errStaleRead = errors.New("the tracker was read again since this transaction's read; read it again before writing")

func (tx *TrackerTx) table(title string) (*Table, error) {
	if tx.t.current != tx {
		return nil, errStaleRead
	}
	if tx.ended != nil {
		return nil, tx.ended
	}
	tb := tx.tables[title]
	if tb == nil {
		return nil, fmt.Errorf("tab %q was not read in this cycle", title)
	}
	return tb, nil
}

// stateValues drops the id of a record for a state tab that has no id
// column yet (made before the column existed, until `kopi init` adds it).
func stateValues(st *Table, v map[string]string) map[string]string {
	if _, ok := st.Columns[ColStateID]; !ok {
		delete(v, ColStateID)
	}
	return v
}

// stateWrite is a record to write: in place when the read found it,
// inserted after the last record otherwise.
func (tx *TrackerTx) stateWrite(st *Table, id string, values map[string]string) (StateWrite, bool) {
	if row, ok := tx.records[id]; ok {
		return StateWrite{Index: row, Values: stateValues(st, values)}, false
	}
	return StateWrite{Index: -1, Values: stateValues(st, values)}, true
}

// Commit writes new cases, ledger entries, outbox records, SOP flows,
// anchors and history, and the cursor in ONE atomic batchUpdate. New
// outbox records get their IDs here.
func (tx *TrackerTx) Commit(ctx context.Context, ch *rules.Changes) error {
	if ch.Empty() {
		return nil
	}
	ct, err := tx.table(tx.t.cases.Title)
	if err != nil {
		return err
	}
	st, err := tx.table(StateTab.Title)
	if err != nil {
		return err
	}
	t := tx.t
	c := &Commit{Inserts: map[*Table][]NewRow{}, State: map[*Table][]StateWrite{}, Overflow: tx.tables[OverflowTab.Title]}
	// Existing rows are written by position first, after the journal's
	// copy (google/row_write.go).
	rw, placed, spill, skipped, err := tx.rowWrites(ct, ch.Updates)
	if err != nil {
		return err
	}
	tx.logSkipped(ct, skipped)
	var intents []rules.WrittenCell
	if len(rw) > 0 {
		var at []string
		intents, at = journalIntents(ct.Schema, placed)
		_, hasRecord := tx.records[journalRecord]
		moves, err := rowAnchorRequests(ct.SheetID, tx.anchorMoves, tx.lostAnchors)
		if err != nil {
			return err
		}
		c.Before = append(journalOpenRequests(ct, !hasRecord, intents, at), moves...)
		c.Before = append(c.Before, cellRequests(ct.SheetID, placed)...)
		if len(spill) > 0 {
			if c.Overflow == nil {
				return fmt.Errorf("a value is longer than %d characters and no overflow tab was given", MaxCellChars)
			}
			c.State[c.Overflow] = spill
		}
	}
	sorted := append([]rules.TrackedCase(nil), ch.NewCases...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].AnchorID < sorted[j].AnchorID })
	for _, nc := range sorted {
		c.Inserts[ct] = append(c.Inserts[ct], NewRow{Anchor: nc.Ticket.String(), AnchorID: nc.AnchorID, Values: t.caseValues(nc, nil)})
	}
	var writes []StateWrite
	var added []string // identities of the records inserted, in order
	add := func(id string, values map[string]string) {
		w, isNew := tx.stateWrite(st, id, values)
		writes = append(writes, w)
		if isNew {
			added = append(added, id)
		}
	}
	if len(rw) > 0 {
		add(journalRecord, journalRecordValues(journalOpenValue))
	}
	for _, e := range ch.Ledger {
		add(ledgerRecord(e), ledgerValues(e))
	}
	for i := range ch.Outbox {
		d := &ch.Outbox[i]
		if d.ID == "" {
			d.ID = tx.newDeliveryID()
		}
		add(deliveryRecord(*d), deliveryValues(*d))
	}
	for _, f := range ch.Flows {
		add(flowRecord(f), flowValues(f))
	}
	if !ch.Cursor.IsZero() {
		add(cursorRecord, map[string]string{
			ColStateKind: stateCursor, ColStateKey: "respons", ColStateValue: ch.Cursor.UTC().Format(time.RFC3339Nano),
		})
	}
	c.State[st] = writes
	if c.Extra, err = tx.sopCommitRequests(ch); err != nil {
		return err
	}
	// New records are inserted right after the last record, in order
	// (Sheets.Apply), so their rows are known before the write.
	first := st.LastRow + 1
	// When this cycle writes consultation rows, the commit — the last
	// write to that tab in the cycle — reads the layout back in its own
	// response, so VerifyLayout need not call; so does every commit that
	// writes existing rows, whose positions it checks.
	tx.committed = nil
	var back *readBack
	if len(rw) > 0 || !tx.part && (len(tx.written) > 0 || len(c.Inserts[ct]) > 0) {
		ranges, _ := t.layoutRanges(ct)
		back = &readBack{Ranges: ranges, Fields: "updatedSpreadsheet(" + layoutFields + ")"}
	}
	updated, err := t.sheets.apply(ctx, c, back)
	if err != nil {
		return err
	}
	if len(rw) > 0 {
		raw := make(map[int64][]string, len(rw))
		for _, r := range ct.Rows {
			raw[r.Index] = r.Raw
		}
		tx.placed = placed
		for _, w := range rw {
			tx.written = append(tx.written, writtenRow{anchorID: w.update.AnchorID, anchor: w.update.Anchor, values: packCells(w.update.Values), raw: raw[w.row], placed: true})
		}
		tx.journal = journalState{open: true, intents: intents}
		tx.anchorMoves, tx.lostAnchors = nil, nil
	}
	if back != nil {
		if l, err := t.parseLayout(ct, updated); err == nil {
			tx.committed = &l
			if l.at != nil {
				tx.rowAt = l.at
			}
		}
	}
	for i, id := range added {
		tx.records[id] = first + int64(i)
	}
	st.noteWrites(writes, first)
	tx.anchored = append(tx.anchored, ch.Anchors...)
	for _, r := range c.Inserts[ct] {
		tx.written = append(tx.written, writtenRow{anchorID: r.AnchorID, anchor: r.Anchor, values: packCells(r.Values)})
	}
	if tx.part && len(rw) > 0 {
		// More commits follow, and the next one's row writes reopen the
		// journal: this one's writes are checked (and what a sort
		// misplaced put back) now.
		n, err := tx.VerifyLayout(ctx)
		tx.repaired += n
		if err != nil {
			return fmt.Errorf("verify rows: %w", err)
		}
	}
	return nil
}

// logSkipped tells the operator of cases whose row write waits: their
// ticket shows on no row the read could tie to them, or on several.
func (tx *TrackerTx) logSkipped(ct *Table, tickets []string) {
	if len(tickets) == 0 || tx.t.sheets.retry.Logger == nil {
		return
	}
	tx.t.sheets.retry.Logger.Warn("baris kasus tidak dapat dipastikan (tiket tidak ada di satu baris saja); isinya ditulis setelah barisnya jelas",
		"tab", ct.Schema.Title, "tiket", strings.Join(tickets, ","))
}

// SaveDeliveries records outbox progress (one batchUpdate). Each
// delivery is written over its own record, found by its ID.
func (tx *TrackerTx) SaveDeliveries(ctx context.Context, ds []rules.Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	st, err := tx.table(StateTab.Title)
	if err != nil {
		return err
	}
	writes := make([]StateWrite, len(ds))
	for i, d := range ds {
		row, ok := tx.records[deliveryRecord(d)]
		if d.ID == "" || !ok {
			return fmt.Errorf("delivery %s of %s has no record yet", d.Kind, d.Ticket)
		}
		writes[i] = StateWrite{Index: row, Values: stateValues(st, deliveryValues(d))}
	}
	// The row-write journal of checked writes closes with this write.
	var closing []*sheets.Request
	if tx.journal.open && tx.journal.checked {
		if closing, err = tx.closeRequests(); err != nil {
			return err
		}
	}
	if err := tx.t.sheets.Apply(ctx, &Commit{State: map[*Table][]StateWrite{st: writes}, Extra: closing}); err != nil {
		return err
	}
	if closing != nil {
		tx.journal = journalState{}
	}
	st.noteWrites(writes, -1)
	return nil
}

// Finish ends the cycle's writes through the transaction: the row-write
// journal, once VerifyLayout has checked its writes, closes here unless
// a later write (SaveDeliveries) closed it on its way. A journal left
// open (the check failed) is the next read's to recover.
func (tx *TrackerTx) Finish(ctx context.Context) error {
	if !tx.journal.open || !tx.journal.checked {
		return nil
	}
	return tx.closeJournal(ctx)
}

// noteWrites keeps a state table as read in step with records written
// to it since (in place, or inserted from row first on), so that a later
// write that reads the records' cells — the archive's compaction, a
// second form refresh — sees them as written.
func (st *Table) noteWrites(writes []StateWrite, first int64) {
	for _, w := range writes {
		if w.Index < 0 {
			st.Rows = append(st.Rows, Row{Index: first, packed: packCells(w.Values)})
			first++
			continue
		}
		i := sort.Search(len(st.Rows), func(k int) bool { return st.Rows[k].Index >= w.Index })
		if i < len(st.Rows) && st.Rows[i].Index == w.Index {
			st.Rows[i].Cells, st.Rows[i].packed = nil, packCells(w.Values)
		}
	}
}

// newSOPRow is a row staff added to an SOP tab, as the read saw it.
type newSOPRow struct {
	index int64
	title string
}

// newRowRef gives a row staff added a reference for this transaction.
func (tx *TrackerTx) newRowRef(sop string, r Row, title string) string {
	if tx.newRows == nil {
		tx.newRows = map[string]newSOPRow{}
	}
	ref := sop + ":" + strconv.Itoa(len(tx.newRows)+1)
	tx.newRows[ref] = newSOPRow{index: r.Index, title: title}
	return ref
}

// sopTable is the tab of the SOP with the given id, as read.
func (tx *TrackerTx) sopTable(sop string) (*rules.SOPDef, *Table, error) {
	for _, d := range tx.t.sops {
		if d.ID == sop {
			tb, err := tx.table(d.Tab)
			return d, tb, err
		}
	}
	return nil, nil, fmt.Errorf("SOP %q is not run by this tracker", sop)
}
