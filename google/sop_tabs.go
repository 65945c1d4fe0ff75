package google

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// Field keys of an SOP tab (a row per case).
const (
	ColSOPCase         = "case"
	ColSOPTitle        = "title"
	ColSOPStep         = "step"
	ColSOPAction       = "action"
	ColSOPActor        = "actor"
	ColSOPEntered      = "entered"
	ColSOPDue          = "due"
	ColSOPDecision     = "decision"
	ColSOPDecisionNote = "decision_note"
	ColSOPChoice       = "choice"
	ColSOPStatus       = "status"
	ColSOPCorrections  = "corrections"
	ColSOPNotes        = "notes"
)

// The status values of an SOP row.
const (
	sopRunning = "Berjalan"
	sopDone    = "Selesai"
)

// SOPTab is the tab of an SOP other than KOPI: staff start a case by
// writing its title in a new row, and move it on by picking a decision;
// kopi writes the step, the actor, the times and the status.
func SOPTab(def *rules.SOPDef) TabSchema {
	var decisions, choices []string
	seenD, seenC := map[string]bool{}, map[string]bool{}
	for _, s := range def.Steps {
		for _, l := range s.DecisionLabels() {
			if !seenD[l] {
				seenD[l] = true
				decisions = append(decisions, l)
			}
		}
		for _, c := range s.Choices {
			if k := c.Indonesian(); !seenC[k] {
				seenC[k] = true
				choices = append(choices, k)
			}
		}
	}
	cols := []ColumnSpec{
		{Key: ColSOPCase, Header: "No. Kasus", Daemon: true, Width: 130},
		{Key: ColSOPTitle, Header: "Judul", Width: 260},
		{Key: ColSOPStep, Header: "Langkah", Daemon: true, Width: 80},
		{Key: ColSOPAction, Header: "Uraian Langkah", Daemon: true, Width: 320},
		{Key: ColSOPActor, Header: "Pelaksana", Daemon: true, Width: 160},
		{Key: ColSOPEntered, Header: "Mulai Langkah", Daemon: true, Width: 130},
		{Key: ColSOPDue, Header: "Batas Waktu", Daemon: true, Width: 130},
		{Key: ColSOPDecision, Header: "Keputusan", Choices: decisions, Width: 120},
		{Key: ColSOPDecisionNote, Header: "Catatan Keputusan", Width: 240},
	}
	if len(choices) > 0 {
		cols = append(cols, ColumnSpec{Key: ColSOPChoice, Header: "Pilihan Waktu", Choices: choices, Width: 130})
	}
	cols = append(cols,
		ColumnSpec{Key: ColSOPStatus, Header: "Status", Daemon: true, Width: 100},
		ColumnSpec{Key: ColSOPCorrections, Header: "Koreksi", Daemon: true, Width: 80},
		ColumnSpec{Key: ColSOPNotes, Header: "Catatan Sistem", Daemon: true, Width: 240},
	)
	return TabSchema{Title: def.Tab, Anchored: true, Columns: cols}
}

// RolesTab (Peran) maps the SOPs' roles to people: a row per person in
// a role; a role with several people emails them all.
var RolesTab = TabSchema{
	Title: "Peran",
	Columns: []ColumnSpec{
		{Key: "role", Header: "Peran", Width: 200},
		{Key: "name", Header: "Nama", Width: 200},
		{Key: "email", Header: "Email", Width: 220},
	},
}

// ExampleRoles seeds the Peran tab with one line per role of the SOPs,
// for the office to fill in names and emails.
func ExampleRoles(defs []*rules.SOPDef) []map[string]string {
	var out []map[string]string
	seen := map[string]bool{}
	for _, d := range defs {
		for _, r := range d.Roles {
			if !seen[r] {
				seen[r] = true
				out = append(out, map[string]string{"role": r})
			}
		}
	}
	return out
}

// Field keys of the history tab.
const (
	ColHistAt         = "at"
	ColHistSOP        = "sop"
	ColHistCase       = "case"
	ColHistFrom       = "from"
	ColHistTo         = "to"
	ColHistDecision   = "decision"
	ColHistNote       = "note"
	ColHistActor      = "actor"
	ColHistDuration   = "duration"
	ColHistStandard   = "standard"
	ColHistMet        = "met"
	ColHistCorrection = "correction"
)

// HistoryTab (Riwayat) is the audit trail: a row per transition of a
// case of any SOP, KOPI's own included, appended in the commit that
// records the transition. It is
// locked (only kopi's account may edit it), and read by its header only.
var HistoryTab = TabSchema{
	Title:      "Riwayat",
	Locked:     true,
	HeaderOnly: true,
	Columns: []ColumnSpec{
		{Key: ColHistAt, Header: "Waktu", Daemon: true, Width: 130},
		{Key: ColHistSOP, Header: "SOP", Daemon: true, Width: 80},
		{Key: ColHistCase, Header: "No. Kasus", Daemon: true, Width: 130},
		{Key: ColHistFrom, Header: "Dari Langkah", Daemon: true, Width: 100},
		{Key: ColHistTo, Header: "Ke Langkah", Daemon: true, Width: 100},
		{Key: ColHistDecision, Header: "Keputusan", Daemon: true, Width: 110},
		{Key: ColHistCorrection, Header: "Koreksi", Daemon: true, Width: 80},
		{Key: ColHistNote, Header: "Catatan", Daemon: true, Width: 240},
		{Key: ColHistActor, Header: "Pelaksana", Daemon: true, Width: 180},
		{Key: ColHistDuration, Header: "Durasi (Jam Kerja)", Daemon: true, Width: 140},
		{Key: ColHistStandard, Header: "Waktu Baku", Daemon: true, Width: 110},
		{Key: ColHistMet, Header: "Sesuai Waktu Baku", Daemon: true, Width: 140},
	},
}

// stateFlow is the state-tab record kind of an SOP case's flow.
const stateFlow = "alur"

// sopAnchorID is the spreadsheet-unique metadata id of an SOP case's
// row: 1e9 + a per-SOP block of a million + the case's sequence, apart
// from KOPI's YYYY·100000 + sequence ids. The block is a hash of the
// SOP's id, so two SOPs may share one: CheckSOPAnchors refuses such a
// pair before either runs.
func sopAnchorID(sop, caseID string) int64 {
	seq := 0
	if i := strings.LastIndexByte(caseID, '-'); i >= 0 {
		seq, _ = strconv.Atoi(caseID[i+1:])
	}
	return 1_000_000_000 + sopBlock(sop)*1_000_000 + int64(seq%1_000_000)
}

// sopBlock is an SOP's block of row anchor ids (0–999).
func sopBlock(sop string) int64 {
	h := fnv.New32a()
	h.Write([]byte(sop))
	return int64(h.Sum32() % 1000)
}

// CheckSOPAnchors reports SOPs whose ids fall in the same block of row
// anchor ids: their case rows would share anchors, and a write meant for
// one SOP's case would land in the other's row. The ids are hashed into
// a thousand blocks, so about one pair in a thousand collides; renaming
// the id of the SOP not yet in use moves it to another block.
func CheckSOPAnchors(defs []*rules.SOPDef) error {
	byBlock := map[int64]string{}
	var errs []error
	for _, d := range defs {
		b := sopBlock(d.ID)
		if other, ok := byBlock[b]; ok {
			errs = append(errs, fmt.Errorf("SOP %q dan %q mendapat blok nomor baris yang sama (%d), sehingga baris kasusnya dapat tertukar — ganti id salah satu SOP yang belum dipakai (mis. %q) di berkas definisinya, lalu jalankan lagi", other, d.ID, b, d.ID+"-2"))
			continue
		}
		byBlock[b] = d.ID
	}
	return errors.Join(errs...)
}

// CheckSOPs refuses SOPs that cannot run side by side in one tracker:
// their row anchors would share a block (CheckSOPAnchors) or their tab
// titles would clash (CheckSOPTabs).
func CheckSOPs(defs []*rules.SOPDef) error {
	return errors.Join(CheckSOPAnchors(defs), CheckSOPTabs(defs))
}

// archivePrefix begins every archive tab's title: kopi's yearly archives
// ("Arsip 2026", "Arsip Survei 2026", "Arsip Teks Panjang 2026") and the
// SOPs' (rules.SOPArchiveTitle).
const archivePrefix = "Arsip "

// CheckSOPTabs reports SOP tab titles that clash — Sheets tells tab
// titles apart without regard to case — with one of kopi's own tabs,
// with another SOP's tab, or with the archive tabs' naming: the tracker
// would read one tab as the other's, and an SOP tab named "Survei" would
// archive its cases into "Arsip Survei <year>", the survey archive.
func CheckSOPTabs(defs []*rules.SOPDef) error {
	own := map[string]string{}
	for _, tab := range []string{CasesTab(nil).Title, RosterTab.Title, StateTab.Title, ReportTab.Title, RolesTab.Title, HistoryTab.Title, OverflowTab.Title, SurveyTab.Title, JournalTab.Title} {
		own[strings.ToLower(tab)] = tab
	}
	bySOP := map[string]string{}
	var errs []error
	for _, d := range defs {
		key := strings.ToLower(strings.TrimSpace(d.Tab))
		switch tab, other := own[key], bySOP[key]; {
		case tab != "":
			errs = append(errs, fmt.Errorf(msgSOPTabOwn, d.ID, d.Tab, tab))
		case other != "":
			errs = append(errs, fmt.Errorf(msgSOPTabTwice, other, d.ID, d.Tab))
		case strings.HasPrefix(key, strings.ToLower(archivePrefix)):
			errs = append(errs, fmt.Errorf(msgSOPTabArchive, d.ID, d.Tab, strings.TrimSpace(archivePrefix)))
		default:
			bySOP[key] = d.ID
		}
	}
	return errors.Join(errs...)
}

// The errors of CheckSOPTabs.
const (
	msgSOPTabOwn     = "SOP %q memakai tab %q, yang sudah dipakai kopi sendiri (%q) — ganti nilai tab di berkas definisi SOP-nya dengan judul lain, lalu jalankan `kopi init`"
	msgSOPTabTwice   = "SOP %q dan %q memakai tab yang sama (%q) — beri salah satunya judul tab lain di berkas definisinya, lalu jalankan `kopi init`"
	msgSOPTabArchive = "SOP %q memakai tab %q: judul yang diawali %q disediakan untuk tab arsip — ganti nilai tab di berkas definisi SOP-nya, lalu jalankan `kopi init`"
)

// RunSOPs makes the tracker read and write the tabs of these SOPs (their
// case tabs, Peran and Riwayat) besides KOPI's.
func (t *Tracker) RunSOPs(defs []*rules.SOPDef) *Tracker {
	t.sops = defs
	return t
}

// sopSchemas are the tabs the SOPs add: Riwayat always (KOPI's own
// transitions are recorded there too), the SOPs' tabs and Peran when
// other SOPs run.
func (t *Tracker) sopSchemas() []TabSchema {
	if len(t.sops) == 0 {
		return []TabSchema{HistoryTab}
	}
	out := make([]TabSchema, 0, len(t.sops)+2)
	for _, d := range t.sops {
		out = append(out, SOPTab(d))
	}
	return append(out, RolesTab, HistoryTab)
}

// readSOPs decodes the SOP tabs and the roles of a read.
func (tx *TrackerTx) readSOPs(tables map[string]*Table, snap *rules.Snapshot) {
	for _, d := range tx.t.sops {
		tb := tables[d.Tab]
		if tb == nil {
			continue
		}
		for _, h := range tb.Missing {
			snap.Problems = append(snap.Problems, fmt.Sprintf("kolom %q tidak ditemukan di tab %q — kembalikan judul kolomnya atau jalankan `kopi init`", h, d.Tab))
		}
		cases, moves := sopCases(tb.Rows)
		tx.sopMoves = append(tx.sopMoves, sopMoves(d.ID, tb.SheetID, moves)...)
		for _, r := range tb.Rows {
			rc := cases[r.Index]
			if rc.copy {
				snap.Problems = append(snap.Problems, fmt.Sprintf("baris %d tab %q menampilkan No. Kasus %s yang sudah dimiliki baris lain — baris salinan? hapus barisnya atau kosongkan No. Kasus-nya", r.Index+1, d.Tab, rc.caseID))
				continue
			}
			row := rules.SOPRow{
				SOP: d.ID, Case: rc.caseID, Title: strings.TrimSpace(r.Get(ColSOPTitle)), Decision: r.Get(ColSOPDecision),
				DecisionNote: r.Get(ColSOPDecisionNote), Choice: r.Get(ColSOPChoice), Notes: r.Get(ColSOPNotes),
			}
			if row.Case == "" {
				if row.Title == "" {
					continue // a staff note or blank line, not a case
				}
				row.NewRow = tx.newRowRef(d.ID, r, row.Title)
			}
			row.Shown, _ = strconv.Atoi(strings.TrimSpace(r.Get(ColSOPStep)))
			if c, err := rules.ParseSpan(row.Choice); err == nil {
				row.Choice = c.String()
			}
			snap.SOPRows = append(snap.SOPRows, row)
		}
	}
	if rt := tables[RolesTab.Title]; rt != nil {
		for _, r := range rt.Rows {
			p := rules.RolePerson{Role: strings.TrimSpace(r.Get("role")), Name: strings.TrimSpace(r.Get("name")), Email: strings.TrimSpace(r.Get("email"))}
			if p.Role != "" && p.Email != "" {
				snap.Roles = append(snap.Roles, p)
			}
		}
	}
}

// flowJSON is a flow record's detail cell: machine data for kopi alone
// (the hidden, protected state tab), never shown as a note.
type flowJSON struct {
	Step        int       `json:"langkah"`
	Done        bool      `json:"selesai,omitempty"`
	Entered     time.Time `json:"masuk"`
	Due         time.Time `json:"batas,omitempty"`
	Choice      string    `json:"pilihan,omitempty"`
	Corrections int       `json:"koreksi,omitempty"`
	Title       string    `json:"judul,omitempty"`
	Note        string    `json:"catatan,omitempty"`
}

func flowFromRow(r Row) (rules.FlowRecord, bool) {
	sop, c, ok := strings.Cut(r.Get(ColStateKey), "/")
	var j flowJSON
	if !ok || json.Unmarshal([]byte(r.Get(ColStateDetail)), &j) != nil {
		return rules.FlowRecord{}, false
	}
	return rules.FlowRecord{Flow: rules.Flow{SOP: sop, Case: c, Step: j.Step, Done: j.Done, EnteredAt: j.Entered, Due: j.Due,
		Choice: j.Choice, Corrections: j.Corrections}, Title: j.Title, Note: j.Note}, true
}

func flowValues(f rules.FlowRecord) map[string]string {
	b, _ := json.Marshal(flowJSON{Step: f.Step, Done: f.Done, Entered: f.EnteredAt.UTC(), Due: f.Due.UTC(), Choice: f.Choice,
		Corrections: f.Corrections, Title: f.Title, Note: f.Note})
	return map[string]string{
		ColStateKind: stateFlow, ColStateKey: f.SOP + "/" + f.Case, ColStateTicket: f.Case,
		ColStateValue: strconv.Itoa(f.Step), ColStateTime: f.EnteredAt.UTC().Format(time.RFC3339Nano), ColStateDetail: string(b),
	}
}

// sopViewValues renders an SOP row's kopi cells.
func (t *Tracker) sopViewValues(v rules.SOPRowView) map[string]string {
	out := map[string]string{
		ColSOPCase: v.Case, ColSOPStep: "", ColSOPAction: "", ColSOPActor: "", ColSOPDue: "",
		ColSOPEntered: t.formatTime(v.Flow.EnteredAt), ColSOPStatus: sopRunning,
		ColSOPCorrections: strconv.Itoa(v.Flow.Corrections), ColSOPNotes: rules.Notes(v.Flags, t.loc),
	}
	if v.Flow.Done {
		out[ColSOPStatus] = sopDone
	} else {
		out[ColSOPStep] = strconv.Itoa(v.Flow.Step)
		out[ColSOPAction] = v.Step.Action
		out[ColSOPActor] = v.Step.Actor
		out[ColSOPDue] = t.formatTime(v.Flow.Due)
	}
	if v.ClearDecision {
		out[ColSOPDecision], out[ColSOPDecisionNote] = "", ""
	}
	return out
}

func historyValues(h rules.HistoryEntry, loc *time.Location) map[string]string {
	step := func(n int) string {
		if n == 0 {
			return "-"
		}
		return strconv.Itoa(n)
	}
	yes := func(b bool) string {
		if b {
			return "Ya"
		}
		return "Tidak"
	}
	v := map[string]string{
		ColHistAt: h.At.In(loc).Format(cellTime), ColHistSOP: h.SOP, ColHistCase: h.Case,
		ColHistFrom: step(h.From), ColHistTo: step(h.To), ColHistDecision: h.Decision, ColHistNote: h.Note,
		ColHistActor: h.Actor, ColHistCorrection: yes(h.Correction),
	}
	if h.From != 0 {
		v[ColHistDuration] = strconv.FormatFloat(h.Duration.Hours(), 'f', 2, 64)
		v[ColHistStandard] = h.Standard.Indonesian()
		v[ColHistMet] = yes(h.Met)
	}
	return v
}

// sopCommitRequests adds an SOP commit's row anchors and history rows to
// the batch: a new row is anchored and written at its read-time position,
// history rows are appended (Sheets places them after the last row).
func (tx *TrackerTx) sopCommitRequests(ch *rules.Changes) ([]*sheets.Request, error) {
	t := tx.t
	var reqs []*sheets.Request
	for _, a := range ch.Anchors {
		_, tb, err := tx.sopTable(a.SOP)
		if err != nil {
			return nil, err
		}
		nr, ok := tx.newRows[a.NewRow]
		if !ok {
			return nil, fmt.Errorf("anchor SOP case %s: row %q was not read in this transaction", a.Case, a.NewRow)
		}
		reqs = append(reqs,
			&sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &sheets.DeveloperMetadata{
				MetadataId: sopAnchorID(a.SOP, a.Case), MetadataKey: MetaRowKey, MetadataValue: a.Case, Visibility: "DOCUMENT",
				Location: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{
					SheetId: tb.SheetID, Dimension: "ROWS", StartIndex: nr.index, EndIndex: nr.index + 1,
				}},
			}}},
		)
		// Nothing else is written into the row here: its position may be
		// stale by now, and UpdateSOPRows checks it before writing the
		// row's cells by anchor.
	}
	if len(ch.History) > 0 {
		ht, err := tx.table(HistoryTab.Title)
		if err != nil {
			return nil, err
		}
		rows := make([]*sheets.RowData, len(ch.History))
		for i, h := range ch.History {
			cells, err := ht.fullRowCells(historyValues(h, t.loc))
			if err != nil {
				return nil, err
			}
			rows[i] = &sheets.RowData{Values: cells}
		}
		reqs = append(reqs, &sheets.Request{AppendCells: &sheets.AppendCellsRequest{SheetId: ht.SheetID, Rows: rows, Fields: "userEnteredValue"}})
	}
	return reqs, nil
}

// UpdateSOPRows writes the kopi cells of SOP rows, each found by its
// anchor at write time (one values.batchUpdateByDataFilter call for all
// SOP tabs): the projection of the flows the commit recorded, and the
// cells of the rows whose cases the commit started. Anchors a sort left
// on other rows are moved back first (one batchUpdate, only when some
// are); after a commit that started cases, the rows are read again first
// (see verifyStarts).
func (tx *TrackerTx) UpdateSOPRows(ctx context.Context, views []rules.SOPRowView) error {
	t := tx.t
	moves := tx.sopMoves
	checked := len(tx.anchored) > 0
	if checked {
		var started []rules.SOPRowView
		var err error
		if moves, started, err = tx.verifyStarts(ctx); err != nil {
			return err
		}
		views = append(started, views...)
		tx.anchored = nil
	}
	// Misplaced anchors matter only to a write by anchor: a cycle that
	// writes no SOP row leaves them (the next read follows the cells).
	if len(views) == 0 && !checked {
		return nil
	}
	if err := t.sheets.moveAnchorIDs(ctx, moves); err != nil {
		return err
	}
	tx.sopMoves = nil
	var ups []indexUpdate
	for _, v := range views {
		_, tb, err := tx.sopTable(v.SOP)
		if err != nil {
			return fmt.Errorf("tab of SOP %q: %w", v.SOP, err)
		}
		cells := map[int]string{}
		for key, val := range t.sopViewValues(v) {
			if col, ok := tb.Columns[key]; ok {
				cells[col] = val
			}
		}
		ups = append(ups, indexUpdate{anchorID: sopAnchorID(v.SOP, v.Case), cells: cells})
	}
	if err := t.sheets.writeByIndex(ctx, ups); err != nil {
		return fmt.Errorf("update %d SOP rows: %w", len(ups), err)
	}
	return nil
}

// History reads the Riwayat tab back into history entries (one
// spreadsheets.get), for compliance (rules.Compliance) and the report.
// Rows that cannot be read (a staff note in a locked tab) are skipped.
func (t *Tracker) History(ctx context.Context) ([]rules.HistoryEntry, error) {
	full := HistoryTab
	full.HeaderOnly = false
	tables, err := t.sheets.Read(ctx, full)
	if err != nil {
		return nil, err
	}
	step := func(s string) (int, bool) {
		if s == "-" {
			return 0, true
		}
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
	var out []rules.HistoryEntry
	for _, r := range tables[HistoryTab.Title].Rows {
		from, ok1 := step(r.Get(ColHistFrom))
		to, ok2 := step(r.Get(ColHistTo))
		at := t.parseTime(r.Get(ColHistAt))
		if !ok1 || !ok2 || at.IsZero() {
			continue
		}
		h := rules.HistoryEntry{
			SOP: r.Get(ColHistSOP), Case: r.Get(ColHistCase), From: from, To: to, Decision: r.Get(ColHistDecision),
			Correction: r.Get(ColHistCorrection) == "Ya", Note: r.Get(ColHistNote), Actor: r.Get(ColHistActor), At: at,
			Met: r.Get(ColHistMet) == "Ya",
		}
		if hours, err := strconv.ParseFloat(r.Get(ColHistDuration), 64); err == nil {
			h.Duration = time.Duration(hours * float64(time.Hour)).Round(time.Second)
		}
		h.Standard, _ = rules.ParseSpan(r.Get(ColHistStandard))
		out = append(out, h)
	}
	return out, nil
}
