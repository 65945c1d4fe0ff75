package sync_test

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/google"
	"kopi/rules"
)

// check compares the end of the office with the fake's own record: the
// form's responses against the tab's rows, the cells against what was
// typed, the Sent folder against what the office asked for and what kopi
// recorded, the mailbox's drafts. The expectations come from the
// simulation's own bookkeeping, never from kopi's code.
func (r *simRun) check() {
	e := r.e
	rows, err := e.srv.SpreadsheetValues(e.sheetID, "Konsultasi")
	if err != nil {
		r.violate("harness", "read Konsultasi: %v", err)
		return
	}
	head := rows[0]
	for _, h := range []string{"No. Tiket", "ID Respons", "Versi Respons", "Nama", "Status", "Jawaban", "Catatan Staf"} {
		if column(rows, h) < 0 {
			r.violate("layout", "header %q is gone (headers %q)", h, head)
			return
		}
	}

	// The archived cases' rows, in the live tab's column order: a case
	// is one row, live or archived.
	live := rows
	if arch, err := e.srv.SpreadsheetValues(e.sheetID, rules.ArchiveTitle(2026)); err == nil && len(arch) > 0 {
		rows = append(slices.Clip(rows), remap(arch, head)...)
		r.archived = map[string]bool{}
		for _, i := range caseRows(arch) {
			r.archived[cell(arch, i, "No. Tiket")] = true
		}
	}

	// Every response exactly one row; every row a response.
	byResp := map[string][]int{}
	tickets := map[string]int{}
	for _, i := range caseRows(rows) {
		byResp[cell(rows, i, "ID Respons")] = append(byResp[cell(rows, i, "ID Respons")], i)
		tickets[cell(rows, i, "No. Tiket")]++
	}
	for tk, n := range tickets {
		if n > 1 {
			r.violate("duplicate", "ticket %s has %d rows", tk, n)
		}
	}
	known := map[string]*simResponse{}
	// A case row staff deleted is not made again (sync/intake.go: "Staff
	// deleted the row: it is not re-created"), and its ticket goes to no
	// other response (README: "a deleted row's number is never reused").
	staffDeleted := map[string]string{} // response id → ticket
	for tk, id := range r.deletedCases {
		staffDeleted[id] = tk
		if tickets[tk] > 0 {
			r.violate("rows", "%s, whose row staff deleted, is shown on %d rows", tk, tickets[tk])
		}
	}
	for _, sr := range r.resps {
		known[sr.id] = sr
		if tk, ok := staffDeleted[sr.id]; ok {
			if n := len(byResp[sr.id]); n != 0 {
				r.violate("rows", "response %s has %d rows after staff deleted its row (%s)", sr.id, n, tk)
			}
			continue
		}
		if n := len(byResp[sr.id]); n != 1 {
			r.violate("rows", "response %s has %d rows, want exactly 1", sr.id, n)
		}
	}
	if fakeN := len(e.srv.Responses(e.formID)); fakeN != len(r.resps) {
		r.violate("harness", "the fake holds %d responses, the simulation submitted %d", fakeN, len(r.resps))
	}
	for id, is := range byResp {
		if known[id] == nil {
			r.violate("rows", "rows %v carry response id %q no requester submitted", is, id)
		}
	}

	// Each row shows one version of its response exactly as typed.
	shown := map[string]simVersion{} // by ticket
	for _, i := range caseRows(rows) {
		tk := cell(rows, i, "No. Tiket")
		sr := known[cell(rows, i, "ID Respons")]
		if sr == nil {
			continue
		}
		ver, err := time.Parse(time.RFC3339Nano, cell(rows, i, "Versi Respons"))
		if err != nil {
			r.violate("version", "%s: Versi Respons %q unreadable", tk, cell(rows, i, "Versi Respons"))
			continue
		}
		var v *simVersion
		for k := range sr.versions {
			if sr.versions[k].at.Equal(ver) {
				v = &sr.versions[k]
			}
		}
		if v == nil {
			r.violate("version", "%s shows version %s, which its response never had", tk, ver)
			continue
		}
		shown[tk] = *v
		for f, h := range map[rules.Field]string{rules.FieldNama: "Nama", rules.FieldInstansi: "Instansi", rules.FieldEmail: "Email", rules.FieldWhatsApp: "WhatsApp", rules.FieldTopik: "Topik"} {
			if got, want := cell(rows, i, h), v.sub[f]; got != want {
				r.violate("value", "%s: %s = %q, want exactly what was typed: %q", tk, h, got, want)
			}
		}
		if q := v.sub[rules.FieldPertanyaan]; len([]rune(q)) < 40000 && cell(rows, i, "Pertanyaan") != q {
			r.violate("value", "%s: Pertanyaan = %q, want %q", tk, trim(cell(rows, i, "Pertanyaan")), trim(q))
		}
		// The deadline: empty while incomplete, else one working day
		// after step 2 from the complete version kopi first saw (any
		// version up to the one shown), by the simulation's arithmetic.
		if dl := cell(rows, i, "Tenggat"); rules.Status(cell(rows, i, "Status")) == rules.StatusKurangLengkap && dl != "" {
			r.violate("deadline", "%s is incomplete but has the deadline %q", tk, dl)
		} else if dl != "" {
			var want []string
			late := false
			for _, x := range sr.versions {
				if !x.at.After(v.at) {
					d := simDeadline(x.at)
					late = late || !d.Before(simCalendarEnd)
					want = append(want, d.In(wib).Format("2006-01-02 15:04"))
				}
			}
			if !late && !slices.Contains(want, dl) {
				r.violate("deadline", "%s: Tenggat %q, want one of %q (versions from %s)", tk, dl, want, sr.versions[0].at.In(wib).Format("Mon 15:04"))
			}
		} else if rules.Status(cell(rows, i, "Status")) != rules.StatusKurangLengkap {
			r.violate("deadline", "%s (%s) has no deadline", tk, cell(rows, i, "Status"))
		}
		// The answer is stamped as the assigned consultant's once staff
		// answered, and only then.
		answered := map[rules.Status]bool{rules.StatusDijawab: true, rules.StatusDisetujui: true, rules.StatusTerkirim: true, rules.StatusKirimUlang: true}
		if by := cell(rows, i, "Dijawab Oleh"); answered[rules.Status(cell(rows, i, "Status"))] && by != cell(rows, i, "Konsuler") || !answered[rules.Status(cell(rows, i, "Status"))] && by != "" {
			r.violate("stamp", "%s (%s): Dijawab Oleh = %q, consultant %q", tk, cell(rows, i, "Status"), by, cell(rows, i, "Konsuler"))
		}
		// Staff cells: what staff typed last, untouched.
		if got, want := cell(rows, i, "Catatan Staf"), r.notes[tk]; got != want {
			r.violate("staff", "%s: staff column = %q, want %q (what staff typed)", tk, got, want)
		}
		if got, want := cell(rows, i, "Jawaban"), r.answers[tk]; got != want {
			r.violate("staff", "%s: Jawaban = %q, want %q (what staff typed)", tk, trim(got), trim(want))
		}
	}
	// A row without a ticket holds nothing of kopi's: only staff's own
	// column or a manual note.
	isCase := map[int]bool{}
	for _, i := range caseRows(live) {
		isCase[i] = true
	}
	own := column(rows, "Catatan Staf")
	manual := 0
	for i := 1; i < len(live); i++ {
		if isCase[i] {
			continue
		}
		if strings.Contains(strings.Join(live[i], "|"), "Rekap manual") {
			// Staff's note, in whichever column they typed it: the row
			// holds it and nothing of kopi's.
			manual++
			for c, v := range live[i] {
				if v != "" && !strings.Contains(v, "Rekap manual") {
					r.violate("stray", "manual row %d also holds %s = %q", i+1, head[c], trim(v))
				}
			}
			continue
		}
		for c, v := range live[i] {
			if v != "" && c != own {
				r.violate("stray", "row %d has no ticket but %s = %q", i+1, head[c], trim(v))
			}
		}
	}
	if manual != r.manual {
		r.violate("staff", "%d manual rows left, staff left %d", manual, r.manual)
	}
	// The whole spreadsheet, rendered once for the checks that look at
	// its grid (nothing runs between them).
	ss := r.spreadsheet()
	r.checkFilter(ss)
	if roster, err := e.srv.SpreadsheetValues(e.sheetID, "Konsuler"); err == nil {
		ec, lc := column(roster, "Email"), column(roster, "Cuti Sampai")
		for i := 1; i < len(roster); i++ {
			if ec < len(roster[i]) {
				if want, ok := r.leave[roster[i][ec]]; ok && cell(roster, i, "Cuti Sampai") != want {
					r.violate("staff", "roster %s: Cuti Sampai = %q, want %q", roster[i][ec], roster[i][lc], want)
				}
			}
		}
	}

	// Inert: no cell of the tabs kopi writes holds a formula (the
	// hostile strings reach the archive, the survey's suggestions, the
	// Bimtek titles and notes, the history's notes; the report is checked
	// once rebuilt, in checkSurveys).
	r.checkNoFormulas(ss, "Konsultasi", "_kopi", rules.ArchiveTitle(2026), "Survei", rules.SurveyArchiveTitle(2026), "Riwayat", "Bimtek", simBimtekArchive, google.JournalTab.Title)
	r.checkJournalClosed(ss)

	r.bimtekArchive()
	r.checkMail(rows, shown)
	r.checkBimtek()
	r.checkKOPIHistory(rows)
	r.checkReminders(rows)
	r.checkSurveys()
}

// remap puts a tab's rows (header first) in the column order of head,
// by header text; columns head lacks are dropped.
func remap(tab [][]string, head []string) [][]string {
	var out [][]string
	for i := 1; i < len(tab); i++ {
		row := make([]string, len(head))
		for c, h := range head {
			row[c] = cell(tab, i, h)
		}
		out = append(out, row)
	}
	return out
}

// checkFilter: the basic filter staff set on the cases' tab is theirs:
// still there at the end when they left one, none when they cleared it.
func (r *simRun) checkFilter(ss *sheets.Spreadsheet) {
	if ss == nil {
		return
	}
	for _, sh := range ss.Sheets {
		if sh.Properties.Title == "Konsultasi" && (sh.BasicFilter != nil) != r.filter {
			r.violate("staff", "Konsultasi has a basic filter: %v; staff left one: %v", sh.BasicFilter != nil, r.filter)
		}
	}
}

// spreadsheet is the fake's whole spreadsheet as it stands, grid data
// included; nil once the failure to read it is recorded.
func (r *simRun) spreadsheet() *sheets.Spreadsheet {
	ss, err := r.e.srv.Spreadsheet(r.e.sheetID)
	if err != nil {
		r.violate("harness", "spreadsheet: %v", err)
		return nil
	}
	return ss
}

// checkNoFormulas: no cell of the titled tabs of ss holds a formula.
func (r *simRun) checkNoFormulas(ss *sheets.Spreadsheet, titles ...string) {
	if ss == nil {
		return
	}
	for _, sh := range ss.Sheets {
		want := false
		for _, t := range titles {
			want = want || sh.Properties.Title == t
		}
		if !want {
			continue
		}
		for _, g := range sh.Data {
			for ri, row := range g.RowData {
				for ci, c := range row.Values {
					if c.UserEnteredValue != nil && c.UserEnteredValue.FormulaValue != nil {
						r.violate("inert", "%s!R%dC%d holds the formula %q", sh.Properties.Title, g.StartRow+int64(ri)+1, g.StartColumn+int64(ci)+1, *c.UserEnteredValue.FormulaValue)
					}
				}
			}
		}
	}
}

// goodEmail reports whether the simulation generated this address as a
// usable one.
func goodEmail(s string) bool {
	return strings.HasPrefix(s, "pemohon") && strings.HasSuffix(s, "@desa.example.id") && !strings.ContainsAny(s, " \r\n<>")
}

func (r *simRun) checkMail(rows [][]string, shown map[string]simVersion) {
	e := r.e
	sent := e.srv.Sent("me")
	count := map[string]int{}
	refs := map[string]string{}
	ids := map[string]bool{}
	for _, m := range sent {
		ids[m.ID] = true
		ref := headerOf(m.Raw, "X-Kopi-Ref")
		if ref == "" {
			r.violate("mail", "sent %q has no reference header", m.Subject)
			continue
		}
		if prev, ok := refs[ref]; ok {
			r.violate("duplicate", "email %s sent twice: %q and %q", ref, prev, m.Subject)
		}
		refs[ref] = m.Subject
		if r.deletedRef[ref] {
			r.violate("mail", "email %s was sent although a person deleted its draft", ref)
		}
		count[emailKind(m.Subject, ref)]++
	}
	for _, i := range caseRows(rows) {
		tk := cell(rows, i, "No. Tiket")
		v, ok := shown[tk]
		if !ok {
			continue
		}
		status := rules.Status(cell(rows, i, "Status"))
		good := goodEmail(v.sub[rules.FieldEmail])
		n := func(kind string) (int, int) { return count[tk+" "+kind], r.deleted[tk+" "+kind] }
		if s, d := n("receipt"); s+d > 1 {
			r.violate("duplicate", "%s: %d receipts (%d drafts deleted)", tk, s, d)
		} else if good && status != rules.StatusKurangLengkap && s+d != 1 {
			r.violate("mail", "%s (%s): %d receipts sent, %d drafts deleted; want exactly one", tk, status, s, d)
		}
		if s, d := n("assignment"); cell(rows, i, "Konsuler") != "" && s+d != 1 {
			r.violate("mail", "%s: %d assignment emails (%d drafts deleted) for consultant %q, want exactly one", tk, s, d, cell(rows, i, "Konsuler"))
		} else if cell(rows, i, "Konsuler") == "" && s > 0 {
			r.violate("mail", "%s: %d assignment emails and no consultant", tk, s)
		}
		if s, d := n("answer"); good && s+d != r.answersDue[tk] {
			r.violate("mail", "%s (%s): %d answer emails sent, %d drafts deleted; staff approved or re-sent %d", tk, status, s, d, r.answersDue[tk])
		}
		var sr *simResponse
		for _, x := range r.resps {
			if x.id == cell(rows, i, "ID Respons") {
				sr = x
			}
		}
		if s, _ := n("incomplete"); sr != nil && s > len(sr.versions) {
			r.violate("duplicate", "%s: %d incomplete notices for %d versions", tk, s, len(sr.versions))
		}
	}

	// kopi's record against the Sent folder, both ways.
	ws, err := r.connect()
	if err != nil {
		r.violate("harness", "connect: %v", err)
		return
	}
	snap, _, err := ws.Tracker.Read(e.ctx)
	if err != nil {
		r.violate("harness", "read tracker: %v", err)
		return
	}
	recorded := map[string]bool{}
	for _, d := range snap.State.Outbox {
		if d.State != rules.DeliverySent {
			continue
		}
		recorded[d.MessageID] = true
		if !ids[d.MessageID] {
			r.violate("phantom", "kopi records %s %s as sent (message %q) but Gmail never sent it", d.Ticket, d.Kind, d.MessageID)
		}
	}
	for _, m := range sent {
		// An archived case's deliveries left the state tab with it
		// (rules.ArchiveMove): its archived row is the record.
		// An SOP case's reference starts "sop/case/".
		ref := headerOf(m.Raw, "X-Kopi-Ref")
		tk, _, _ := strings.Cut(ref, "/")
		sopCase := ""
		if parts := strings.SplitN(ref, "/", 3); len(parts) == 3 {
			sopCase = parts[0] + "/" + parts[1]
		}
		if !recorded[m.ID] && !r.archived[tk] && !r.sopArchived[sopCase] {
			r.violate("unrecorded", "Gmail sent %q (%s) but kopi has no record of it", m.Subject, headerOf(m.Raw, "X-Kopi-Ref"))
		}
	}
	drafts, err := r.st.gmail.Users.Drafts.List("me").Do()
	if err != nil {
		r.violate("harness", "list drafts: %v", err)
	} else if len(drafts.Drafts) > 0 {
		r.violate("drafts", "%d drafts left in the mailbox", len(drafts.Drafts))
	}
}

// fingerprint is the run's record in the fake: the tab and the emails.
func (r *simRun) fingerprint() string {
	var b strings.Builder
	rows, _ := r.e.srv.SpreadsheetValues(r.e.sheetID, "Konsultasi")
	for _, row := range rows {
		fmt.Fprintf(&b, "%q\n", strings.Join(row, "|"))
	}
	for _, m := range r.e.srv.Sent("me") {
		fmt.Fprintf(&b, "%s %q %v\n", m.ID, m.Subject, m.To)
	}
	fmt.Fprintf(&b, "clock %s\n", r.e.clock.Now())
	return b.String()
}

// checkJournalClosed: once the office is quiet, the row-write journal
// (google/journal.go) holds nothing: no copy of the requesters' rows is
// left behind in its hidden tab.
func (r *simRun) checkJournalClosed(ss *sheets.Spreadsheet) {
	if ss == nil {
		return
	}
	for _, sh := range ss.Sheets {
		if sh.Properties.Title != google.JournalTab.Title {
			continue
		}
		for _, g := range sh.Data {
			for ri, row := range g.RowData {
				for ci, c := range row.Values {
					if c.UserEnteredValue != nil {
						r.violate("journal", "%s!R%dC%d still holds a value after the last cycle", sh.Properties.Title, g.StartRow+int64(ri)+1, g.StartColumn+int64(ci)+1)
						return
					}
				}
			}
		}
	}
}
