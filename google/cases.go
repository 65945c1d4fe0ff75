package google

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"kopi/rules"
)

// cellTime is how kopi writes times into the tracker: office-local, to
// the minute, readable and sortable.
const cellTime = "2006-01-02 15:04"

// Tracker maps the tracking spreadsheet to the domain: cases, roster and
// the daemon's state in, rows and records out. Each Read hands out a
// TrackerTx, through which the writes that depend on that read go.
type Tracker struct {
	sheets *Sheets
	cfg    *rules.Config
	loc    *time.Location
	cases  TabSchema
	// sops are the SOPs run besides KOPI (RunSOPs).
	sops []*rules.SOPDef
	// preloaded, when set, serves the next Read (see Preload).
	preloaded map[string]*Table
	// current is the transaction of the latest Read: only it may write
	// (an older read's positions may be stale).
	current *TrackerTx
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

// Read returns the tracker in one spreadsheets.get call, and the
// transaction through which this read's decisions are written.
func (t *Tracker) Read(ctx context.Context) (*rules.Snapshot, *TrackerTx, error) {
	// The previous read's transaction may no longer write, and its
	// tables can go while this read decodes (a daemon would otherwise
	// hold two copies of the tracker during every read).
	t.current = nil
	tables, err := t.readTables(ctx)
	if err != nil {
		return nil, nil, err
	}
	tx := &TrackerTx{t: t, tables: tables}
	if journalOpenIn(tables[StateTab.Title]) {
		// A cycle's row writes were not checked (the daemon died, or a
		// call failed): put back what they misplaced before anything is
		// decided from the rows, then read again.
		tx.readState(tables[StateTab.Title])
		t.current = tx
		if _, err := tx.recoverJournal(ctx); err != nil {
			t.current = nil
			return nil, nil, fmt.Errorf("pulihkan tulisan baris yang terputus: %w", err)
		}
		t.current = nil
		if tables, err = t.readTables(ctx); err != nil {
			return nil, nil, err
		}
		tx = &TrackerTx{t: t, tables: tables}
	}
	snap := &rules.Snapshot{}
	ct := tables[t.cases.Title]
	tx.followTicketCells(ct)
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
	tx.readSOPs(tables, snap)
	snap.State = tx.readState(tables[StateTab.Title])
	snap.Surveys = t.surveysFromTable(tables[SurveyTab.Title])
	t.current = tx
	return snap, tx, nil
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

// readState decodes the state tab and notes where each record is.
func (tx *TrackerTx) readState(tb *Table) rules.TrackerState {
	var st rules.TrackerState
	tx.records = map[string]int64{}
	for _, r := range tb.Rows {
		switch r.Get(ColStateKind) {
		case stateJournal:
			tx.readJournalState(r)
		case stateCursor:
			st.Cursor, _ = time.Parse(time.RFC3339Nano, r.Get(ColStateValue))
			tx.records[cursorRecord] = r.Index
		case stateLedger:
			tk, _ := rules.ParseTicket(r.Get(ColStateTicket))
			v, _ := time.Parse(time.RFC3339Nano, r.Get(ColStateValue))
			e := rules.LedgerEntry{ResponseID: r.Get(ColStateKey), Ticket: tk, Version: v}
			st.Ledger = append(st.Ledger, e)
			tx.records[ledgerRecord(e)] = r.Index
		case stateArchive, stateArchiveHigh, stateArchiveSurvey:
			tx.archiveFromRow(&st.Archive, r)
		case stateArchiveSOP:
			sopArchiveFromRow(&st.Archive, r)
		case stateFlow:
			if f, ok := flowFromRow(r); ok {
				st.Flows = append(st.Flows, f)
				tx.records[flowRecord(f)] = r.Index
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
				ThreadID: r.Get(ColStateThread), At: at, Detail: detail, ID: tx.deliveryID(r),
			})
			d := &st.Outbox[len(st.Outbox)-1]
			tx.records[deliveryRecord(*d)] = r.Index
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
	// Only the cells that hold something: an absent value is an empty
	// cell to every writer and reader, and an intent's record then fits
	// in a map of eight entries, Go's smallest map layout (a backlog's
	// commits keep one per email intent until the cycle ends).
	out := make(map[string]string, 8)
	set := func(k, v string) {
		if v != "" {
			out[k] = v
		}
	}
	set(ColStateKind, stateMail)
	set(ColStateKey, d.Key)
	set(ColStateTicket, ticket)
	set(ColStateValue, string(d.State))
	set(ColStateDraft, d.DraftID)
	set(ColStateThread, d.ThreadID)
	set(ColStateMsg, messageCell(d))
	set(ColStateTime, d.At.UTC().Format(time.RFC3339Nano))
	set(ColStateDetail, d.Kind+"|"+d.Recipient+"|"+d.Detail)
	set(ColStateID, d.ID)
	return out
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
