package google

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"kopi/rules"
)

// cellTime is how kopi writes times into the tracker: office-local, to
// the minute, readable and sortable.
const cellTime = "2006-01-02 15:04"

// Tracker maps the tracking spreadsheet to the domain: cases, roster and
// the daemon's state in, rows and records out. It remembers the tables of
// its last Read, whose positions the next writes use for the tabs only
// kopi writes.
type Tracker struct {
	sheets *Sheets
	cfg    *rules.Config
	loc    *time.Location
	cases  TabSchema
	tables map[string]*Table
	// cursorRow is the state-tab row of the cursor record, -1 if none.
	cursorRow int64
	// written are the consultation rows written since the last read,
	// for VerifyLayout.
	written []writtenRow
	// committed is the consultation tab's layout as the last Commit's
	// own response showed it, right after the commit's writes; nil when
	// the commit did not run, returned nothing for the tab, or a write
	// to the tab came after it.
	committed *layout
	// sops are the SOPs run besides KOPI (RunSOPs).
	sops []*rules.SOPDef
	// anchorMoves are the row anchors the last read found off their
	// rows (ticket → row index), moved before the next write.
	anchorMoves map[string]int64
	// preloaded, when set, serves the next Read (see Preload).
	preloaded map[string]*Table
	// part marks a commit that more commits of the same cycle follow
	// (CommitPart): only the last one reads the layout back.
	part bool
}

// NewTracker returns the adapter.
func NewTracker(s *Sheets, cfg *rules.Config) *Tracker {
	statuses := make([]string, len(rules.Statuses))
	for i, st := range rules.Statuses {
		statuses[i] = string(st)
	}
	return &Tracker{sheets: s, cfg: cfg, loc: cfg.Location(), cases: CasesTab(statuses)}
}

// Schemas lists every tab kopi manages, for `kopi init` and `kopi check`.
func (t *Tracker) Schemas() []TabSchema {
	return append([]TabSchema{t.cases, RosterTab, ReportTab, SurveyTab, StateTab, OverflowTab}, t.sopSchemas()...)
}

// readSchemas are the tabs a cycle reads: the consultations, the
// roster, the state, long texts, the SOP tabs, and the survey tab when
// a survey form is configured (created with it by `kopi init`).
func (t *Tracker) readSchemas() []TabSchema {
	read := append([]TabSchema{t.cases, RosterTab, StateTab, OverflowTab}, t.sopSchemas()...)
	if t.cfg.Survey.FormID != "" {
		read = append(read, SurveyTab)
	}
	return read
}

// Read returns the tracker in one spreadsheets.get call.
func (t *Tracker) Read(ctx context.Context) (*rules.Snapshot, error) {
	tables, err := t.readTables(ctx)
	if err != nil {
		return nil, err
	}
	t.tables = tables
	t.written = nil
	t.committed = nil
	snap := &rules.Snapshot{}
	ct := tables[t.cases.Title]
	t.followTicketCells(ct)
	for _, h := range ct.Missing {
		snap.Problems = append(snap.Problems, fmt.Sprintf("kolom %q tidak ditemukan di tab %q — kembalikan judul kolomnya atau jalankan `kopi init`", h, ct.Schema.Title))
	}
	for _, r := range ct.Rows {
		c, problems := t.caseFromRow(r)
		snap.Problems = append(snap.Problems, problems...)
		if c != nil {
			snap.Cases = append(snap.Cases, *c)
		}
	}
	rt := tables[RosterTab.Title]
	for _, r := range rt.Rows {
		c, problems := t.consultantFromRow(r)
		snap.Problems = append(snap.Problems, problems...)
		if c != nil {
			snap.Roster = append(snap.Roster, *c)
		}
	}
	t.readSOPs(tables, snap)
	snap.State = t.stateFromTable(tables[StateTab.Title])
	snap.Surveys = t.surveysFromTable(tables[SurveyTab.Title])
	t.cursorRow = snap.State.CursorHandle
	return snap, nil
}

func (t *Tracker) parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	if v, err := time.ParseInLocation(cellTime, s, t.loc); err == nil {
		return v
	}
	if v, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return v
	}
	return time.Time{}
}

func (t *Tracker) formatTime(v time.Time) string {
	if v.IsZero() {
		return ""
	}
	return v.In(t.loc).Format(cellTime)
}

// caseFromRow decodes a row. A row without a readable ticket or anchor
// is staff's own (a note, a blank line) and skipped.
func (t *Tracker) caseFromRow(r Row) (*rules.TrackedCase, []string) {
	ticketText := r.Get(string(rules.CFTicket))
	if ticketText == "" && r.Anchor == "" {
		return nil, nil
	}
	if r.Anchor != "" {
		ticketText = r.Anchor
	}
	tk, err := rules.ParseTicket(ticketText)
	if err != nil {
		return nil, []string{fmt.Sprintf("baris %d tab %q: nomor tiket %q tidak dapat dibaca", r.Index+1, t.cases.Title, ticketText)}
	}
	var problems []string
	c := &rules.TrackedCase{AnchorID: rules.AnchorID(tk)}
	c.Ticket = tk
	for _, col := range caseColumns {
		if col.set == nil {
			continue
		}
		if p := col.set(t, c, r.Get(string(col.field))); p != "" {
			problems = append(problems, p)
		}
	}
	return c, problems
}

// missingFromText reads the completeness column back: "Lengkap" is none,
// otherwise one item per "- " line.
func missingFromText(s string) []rules.Missing {
	s = strings.TrimSpace(s)
	if s == "" || s == rules.CompletenessText(nil) {
		return nil
	}
	var out []rules.Missing
	for _, line := range strings.Split(s, "\n") {
		if m, ok := strings.CutPrefix(strings.TrimSpace(line), "- "); ok {
			out = append(out, rules.Missing{Message: m})
		}
	}
	if len(out) == 0 {
		out = []rules.Missing{{Message: s}}
	}
	return out
}

// caseValues renders the fields of a case as cell text: all non-empty
// ones for a new row (fields nil), or the fields named.
func (t *Tracker) caseValues(c rules.TrackedCase, fields []rules.CaseField) map[string]string {
	out := map[string]string{}
	if fields == nil {
		for _, col := range caseColumns {
			if v := col.get(t, &c); v != "" {
				out[string(col.field)] = v
			}
		}
		return out
	}
	for _, f := range fields {
		for _, col := range caseColumns {
			if col.field == f {
				out[string(f)] = col.get(t, &c)
			}
		}
	}
	return out
}

// consultantFromRow decodes a roster row; rows without an email are
// skipped (a consultant is addressed by email).
func (t *Tracker) consultantFromRow(r Row) (*rules.Consultant, []string) {
	email := strings.TrimSpace(r.Get(ColRosterEmail))
	if email == "" {
		return nil, nil
	}
	var problems []string
	c := &rules.Consultant{Name: strings.TrimSpace(r.Get(ColRosterName)), Email: email, Role: strings.TrimSpace(r.Get(ColRosterRole))}
	names, unknown := rules.ParseTopicList(r.Get(ColRosterTopics), t.cfg.Topics)
	c.Topics = names
	for _, u := range unknown {
		problems = append(problems, fmt.Sprintf("tab %q baris %d: topik %q tidak dikenal", RosterTab.Title, r.Index+1, u))
	}
	switch strings.ToLower(strings.TrimSpace(r.Get(ColRosterActive))) {
	case "", "ya", "y", "aktif", "true", "1", "yes":
		c.Active = true
	}
	if m := strings.TrimSpace(r.Get(ColRosterMaxOpen)); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil || n < 0 {
			problems = append(problems, fmt.Sprintf("tab %q baris %d: maks kasus %q bukan bilangan", RosterTab.Title, r.Index+1, m))
		} else {
			c.MaxOpen = n
		}
	}
	if d := strings.TrimSpace(r.Get(ColRosterLeave)); d != "" {
		day, ok := parseDay(d)
		if !ok {
			problems = append(problems, fmt.Sprintf("tab %q baris %d: tanggal cuti %q tidak dapat dibaca (tulis TTTT-BB-HH)", RosterTab.Title, r.Index+1, d))
		} else {
			c.OnLeaveUntil = day
		}
	}
	return c, problems
}

// parseDay reads a date as staff type it: ISO, or Indonesian day-first.
func parseDay(s string) (rules.Date, bool) {
	for _, layout := range []string{"2006-01-02", "02/01/2006", "2/1/2006", "02-01-2006", "2-1-2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return rules.DateOf(t), true
		}
	}
	return rules.Date{}, false
}

// State record kinds in the hidden tab.
const (
	stateLedger = "respons"
	stateMail   = "surel"
	stateCursor = "kursor"
)

func (t *Tracker) stateFromTable(tb *Table) rules.TrackerState {
	st := rules.TrackerState{CursorHandle: -1}
	for _, r := range tb.Rows {
		switch r.Get(ColStateKind) {
		case stateCursor:
			st.Cursor, _ = time.Parse(time.RFC3339Nano, r.Get(ColStateValue))
			st.CursorHandle = r.Index
		case stateLedger:
			tk, _ := rules.ParseTicket(r.Get(ColStateTicket))
			v, _ := time.Parse(time.RFC3339Nano, r.Get(ColStateValue))
			st.Ledger = append(st.Ledger, rules.LedgerEntry{ResponseID: r.Get(ColStateKey), Ticket: tk, Version: v, Handle: r.Index})
		case stateFlow:
			if f, ok := flowFromRow(r); ok {
				st.Flows = append(st.Flows, f)
			}
		case stateMail:
			tk, err := rules.ParseTicket(r.Get(ColStateTicket))
			caseID := ""
			if err != nil && strings.Contains(r.Get(ColStateTicket), "/") {
				caseID = r.Get(ColStateTicket)
			}
			at, _ := time.Parse(time.RFC3339Nano, r.Get(ColStateTime))
			kind, recipient, _ := strings.Cut(r.Get(ColStateDetail), "|")
			detail := ""
			if i := strings.Index(recipient, "|"); i >= 0 {
				recipient, detail = recipient[:i], recipient[i+1:]
			}
			st.Outbox = append(st.Outbox, rules.Delivery{
				Key: r.Get(ColStateKey), Ticket: tk, Case: caseID, Kind: kind, Recipient: recipient,
				State: rules.DeliveryState(r.Get(ColStateValue)), DraftID: r.Get(ColStateDraft),
				ThreadID: r.Get(ColStateThread), At: at, Detail: detail, Handle: r.Index,
			})
			d := &st.Outbox[len(st.Outbox)-1]
			// The message cell holds Gmail's id, then the RFC Message-ID
			// once kopi fetched it: "<id> <msg-id>".
			d.MessageID, d.RFCMessageID, _ = strings.Cut(r.Get(ColStateMsg), " ")
			if d.MessageID == "-" {
				d.MessageID = ""
			}
		}
	}
	return st
}

func ledgerValues(e rules.LedgerEntry) map[string]string {
	return map[string]string{
		ColStateKind: stateLedger, ColStateKey: e.ResponseID, ColStateTicket: e.Ticket.String(),
		ColStateValue: e.Version.UTC().Format(time.RFC3339Nano),
	}
}

func deliveryValues(d rules.Delivery) map[string]string {
	ticket := d.Ticket.String()
	if d.Case != "" {
		ticket = d.Case
	}
	return map[string]string{
		ColStateKind: stateMail, ColStateKey: d.Key, ColStateTicket: ticket,
		ColStateValue: string(d.State), ColStateDraft: d.DraftID, ColStateThread: d.ThreadID,
		ColStateMsg: messageCell(d), ColStateTime: d.At.UTC().Format(time.RFC3339Nano),
		ColStateDetail: d.Kind + "|" + d.Recipient + "|" + d.Detail,
	}
}

// messageCell writes Gmail's message id and, when known, the RFC
// Message-ID after a space ("-" stands for an unknown Gmail id).
func messageCell(d rules.Delivery) string {
	if d.RFCMessageID == "" {
		return d.MessageID
	}
	id := d.MessageID
	if id == "" {
		id = "-"
	}
	return id + " " + d.RFCMessageID
}

func (t *Tracker) table(title string) (*Table, error) {
	tb := t.tables[title]
	if tb == nil {
		return nil, fmt.Errorf("tab %q was not read in this cycle", title)
	}
	return tb, nil
}

// Commit writes new cases, ledger entries, outbox records and the cursor
// in ONE atomic batchUpdate, and fills the handles of new state records.
func (t *Tracker) Commit(ctx context.Context, ch *rules.Changes) error {
	if ch.Empty() {
		return nil
	}
	ct, err := t.table(t.cases.Title)
	if err != nil {
		return err
	}
	st, err := t.table(StateTab.Title)
	if err != nil {
		return err
	}
	c := &Commit{Inserts: map[*Table][]NewRow{}, State: map[*Table][]StateWrite{}, Overflow: t.tables[OverflowTab.Title]}
	sorted := append([]rules.TrackedCase(nil), ch.NewCases...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].AnchorID < sorted[j].AnchorID })
	for _, nc := range sorted {
		c.Inserts[ct] = append(c.Inserts[ct], NewRow{Anchor: nc.Ticket.String(), AnchorID: nc.AnchorID, Values: t.caseValues(nc, nil)})
	}
	var writes []StateWrite
	var newHandles []*int64
	for i := range ch.Ledger {
		e := &ch.Ledger[i]
		writes = append(writes, StateWrite{Index: e.Handle, Values: ledgerValues(*e)})
		if e.Handle < 0 {
			newHandles = append(newHandles, &e.Handle)
		}
	}
	for i := range ch.Outbox {
		d := &ch.Outbox[i]
		writes = append(writes, StateWrite{Index: d.Handle, Values: deliveryValues(*d)})
		if d.Handle < 0 {
			newHandles = append(newHandles, &d.Handle)
		}
	}
	for i := range ch.Flows {
		f := &ch.Flows[i]
		writes = append(writes, StateWrite{Index: f.Handle, Values: flowValues(*f)})
		if f.Handle < 0 {
			newHandles = append(newHandles, &f.Handle)
		}
	}
	if !ch.Cursor.IsZero() {
		writes = append(writes, StateWrite{Index: t.cursorRow, Values: map[string]string{
			ColStateKind: stateCursor, ColStateKey: "respons", ColStateValue: ch.Cursor.UTC().Format(time.RFC3339Nano),
		}})
	}
	c.State[st] = writes
	if c.Extra, err = t.sopCommitRequests(ch); err != nil {
		return err
	}
	// New records are inserted right after the last record, in order
	// (Sheets.Apply), so their indexes are known before the write.
	first := st.LastRow + 1
	cursorNew := !ch.Cursor.IsZero() && t.cursorRow < 0
	// When this cycle writes consultation rows, the commit — the last
	// write to that tab in the cycle — reads the layout back in its own
	// response, so VerifyLayout need not call.
	t.committed = nil
	var back *readBack
	if !t.part && (len(t.written) > 0 || len(c.Inserts[ct]) > 0) {
		ranges, _ := t.layoutRanges(ct)
		back = &readBack{Ranges: ranges, Fields: "updatedSpreadsheet(" + layoutFields + ")"}
	}
	updated, err := t.sheets.apply(ctx, c, back)
	if err != nil {
		return err
	}
	if back != nil {
		if l, err := t.parseLayout(ct, updated); err == nil {
			t.committed = &l
		}
	}
	for i, h := range newHandles {
		*h = first + int64(i)
	}
	if cursorNew {
		// The cursor record, when new, is the last one written.
		t.cursorRow = first + int64(len(newHandles))
	}
	for _, r := range c.Inserts[ct] {
		t.written = append(t.written, writtenRow{anchorID: r.AnchorID, anchor: r.Anchor, values: r.Values})
	}
	return nil
}

// SaveDeliveries records outbox progress (one batchUpdate).
func (t *Tracker) SaveDeliveries(ctx context.Context, ds []rules.Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	st, err := t.table(StateTab.Title)
	if err != nil {
		return err
	}
	writes := make([]StateWrite, len(ds))
	for i, d := range ds {
		if d.Handle < 0 {
			return fmt.Errorf("delivery %s of %s has no record yet", d.Kind, d.Ticket)
		}
		writes[i] = StateWrite{Index: d.Handle, Values: deliveryValues(d)}
	}
	return t.sheets.Apply(ctx, &Commit{State: map[*Table][]StateWrite{st: writes}})
}

// UpdateCases writes fields of existing rows, each found by its anchor at
// write time (one values.batchUpdateByDataFilter call).
func (t *Tracker) UpdateCases(ctx context.Context, ups []rules.CaseUpdate) error {
	if len(ups) == 0 {
		return nil
	}
	ct, err := t.table(t.cases.Title)
	if err != nil {
		return err
	}
	if err := t.reanchorBeforeWrite(ctx, ct); err != nil {
		return err
	}
	// A layout the commit read back cannot vouch for a later write.
	t.committed = nil
	raw := map[string][]string{}
	for _, r := range ct.Rows {
		raw[r.Anchor] = r.Raw
	}
	rows := make([]RowUpdate, len(ups))
	for i, u := range ups {
		rows[i] = RowUpdate{AnchorID: u.Case.AnchorID, Anchor: u.Case.Ticket.String(), Values: t.caseValues(u.Case, u.Fields)}
		t.written = append(t.written, writtenRow{anchorID: rows[i].AnchorID, anchor: rows[i].Anchor, values: rows[i].Values, raw: raw[rows[i].Anchor]})
	}
	return t.sheets.UpdateRows(ctx, ct, t.tables[OverflowTab.Title], rows)
}
