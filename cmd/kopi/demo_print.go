package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"kopi/google"
	"kopi/google/fake"
	"kopi/rules"
)

// table writes aligned columns with text/tabwriter.
func table(w io.Writer, header []string, rows [][]string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  "+strings.Join(header, "\t"))
	seps := make([]string, len(header))
	for i, h := range header {
		seps[i] = strings.Repeat("-", utf8.RuneCountInString(h))
	}
	fmt.Fprintln(tw, "  "+strings.Join(seps, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, "  "+strings.Join(r, "\t"))
	}
	tw.Flush()
}

// clip shortens s to n characters for display, on one line.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// shortTime shows a tracker time ("2026-03-02 07:52") as "02/03 07:52".
func shortTime(s string) string {
	t, err := time.Parse("2006-01-02 15:04", strings.TrimSpace(s))
	if err != nil {
		return s
	}
	return t.Format("02/01 15:04")
}

// shortCompleteness shows the completeness column on one short line.
func shortCompleteness(s string) string {
	lines := strings.Split(s, "\n")
	if len(lines) == 1 {
		return clip(s, 34)
	}
	// "Kurang:" then one "- item" per line.
	var items []string
	for _, l := range lines[1:] {
		if l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "- ")); l != "" {
			items = append(items, l)
		}
	}
	return clip(strings.TrimSpace(lines[0])+" "+strings.Join(items, "; "), 34)
}

// topicLabel shows a topic by its short code.
func (d *demoRun) topicLabel(name string) string {
	t, ok := d.cfg.Topic(name)
	if !ok || t.Code == "" {
		return clip(name, 12)
	}
	if t.Code == "tlhp" {
		return "TLHP"
	}
	return strings.ToUpper(t.Code[:1]) + t.Code[1:]
}

// printTracker prints the consultation tab as staff see it.
func (d *demoRun) printTracker() error {
	values, err := d.srv.SpreadsheetValues(d.cfg.Tracker.SpreadsheetID, "Konsultasi")
	if err != nil {
		return fmt.Errorf(msgDemoRead, err)
	}
	section(d.out, msgDemoTracker)
	if len(values) == 0 {
		return errors.New(msgDemoNoHeader)
	}
	col := map[string]int{}
	for i, h := range values[0] {
		col[h] = i
	}
	cell := func(r []string, h string) string {
		if i, ok := col[h]; ok && i < len(r) {
			return r[i]
		}
		return ""
	}
	var rows [][]string
	for _, r := range values[1:] {
		if cell(r, "No. Tiket") == "" {
			continue
		}
		rows = append(rows, []string{
			cell(r, "No. Tiket"), shortTime(cell(r, "Diterima")), clip(cell(r, "Nama"), 16),
			d.topicLabel(cell(r, "Topik")), shortCompleteness(cell(r, "Kelengkapan")),
			clip(strings.TrimSuffix(cell(r, "Konsuler"), " (contoh)"), 20), shortTime(cell(r, "Tenggat")), cell(r, "Status"),
		})
	}
	table(d.out, []string{"Tiket", "Diterima", "Nama", "Topik", "Kelengkapan", "Konsuler", "Tenggat", "Status"}, rows)
	return nil
}

// printEmails prints every email sent, oldest first.
func (d *demoRun) printEmails() {
	section(d.out, fmt.Sprintf(msgDemoEmails, len(d.sent)))
	var rows [][]string
	for _, s := range d.sent {
		to := strings.Join(s.msg.To, ", ")
		rows = append(rows, []string{s.at.Format("02/01 15:04"), clip(to, 40), clip(s.msg.Subject, 72)})
	}
	table(d.out, []string{"Waktu", "Kepada", "Subjek"}, rows)
}

// printChecks reads the tracker back through the daemon's own adapter
// and shows that the day's promises held. A broken promise is printed
// and returned as an error: the demo must not hide it.
func (d *demoRun) printChecks(ctx context.Context, day []demoEvent, staff []demoStaffEvent) error {
	section(d.out, msgDemoChecks)
	snap, _, err := d.ws.Tracker.Read(ctx)
	if err != nil {
		return fmt.Errorf(msgDemoRead, err)
	}
	byResponse := map[string][]rules.TrackedCase{}
	for _, c := range snap.Cases {
		byResponse[c.ResponseID] = append(byResponse[c.ResponseID], c)
	}
	var failed []string
	check := func(label string, ok bool) {
		v := "ya"
		if !ok {
			v = "TIDAK"
			failed = append(failed, label)
		}
		fmt.Fprintf(d.out, "  %s: %s\n", label, v)
	}

	distinct := map[string]bool{}
	for _, id := range d.responses {
		distinct[id] = true
	}
	once := len(snap.Cases) == len(distinct)
	for id := range distinct {
		once = once && len(byResponse[id]) == 1
	}
	check(fmt.Sprintf(msgDemoCheckRows, len(distinct), len(snap.Cases)), once)

	keys := map[string]bool{}
	dup := false
	for _, s := range d.sent {
		k := strings.Join(s.msg.To, ",") + "\x00" + s.msg.Subject
		dup = dup || keys[k]
		keys[k] = true
	}
	check(msgDemoCheckMail, !dup)

	for i, ev := range day {
		q := ev.sub[rules.FieldPertanyaan]
		cs := byResponse[d.responses[i]]
		switch {
		case ev.edit >= 0:
		case len(q) == longQuestionChars:
			check(msgDemoCheckLong, len(cs) == 1 && cs[0].Question == q)
		case q == formulaQuestion:
			check(msgDemoCheckFormula, len(cs) == 1 && cs[0].Question == q && d.storedAsText(cs[0].Ticket.String()))
		}
	}
	d.answerChecks(snap, staff, check)
	if len(failed) > 0 {
		return fmt.Errorf(msgDemoFailed, strings.Join(failed, "; "))
	}
	return nil
}

// storedAsText reports whether the question cell of a ticket's row holds
// a string value, not a formula.
func (d *demoRun) storedAsText(ticket string) bool {
	values, err := d.srv.SpreadsheetValues(d.cfg.Tracker.SpreadsheetID, "Konsultasi")
	if err != nil || len(values) == 0 {
		return false
	}
	tc, qc := slices.Index(values[0], "No. Tiket"), slices.Index(values[0], "Pertanyaan")
	if tc < 0 || qc < 0 || qc >= 26 {
		return false
	}
	for i, r := range values {
		if tc < len(r) && r[tc] == ticket {
			a1 := fmt.Sprintf("%s!%c%d", google.QuoteSheetName("Konsultasi"), 'A'+qc, i+1)
			v, err := d.srv.CellUserEnteredValue(d.cfg.Tracker.SpreadsheetID, a1)
			return err == nil && v != nil && v.StringValue != nil && v.FormulaValue == nil
		}
	}
	return false
}

// printCalls prints the API calls of the whole demo, per method.
func (d *demoRun) printCalls() {
	calls := d.srv.Calls()
	total := 0
	var rows [][]string
	for _, m := range slices.Sorted(maps.Keys(calls)) {
		rows = append(rows, []string{m, fmt.Sprint(calls[m])})
		total += calls[m]
	}
	section(d.out, fmt.Sprintf(msgDemoCalls, total))
	table(d.out, []string{"Metode", "Jumlah"}, rows)
}

// answerChecks shows that the answer flow kept its promises: every
// approved answer went out exactly once, to the requester, in the Gmail
// thread of the ticket's receipt, and the row shows Terkirim; an answer
// not approved went nowhere; the digest went out once a working day;
// overdue notices went only to cases left unanswered.
func (d *demoRun) answerChecks(snap *rules.Snapshot, staff []demoStaffEvent, check func(string, bool)) {
	status := map[string]rules.Status{}
	for _, c := range snap.Cases {
		status[c.Ticket.String()] = c.Status
	}
	receipt := func(ticket string) *fake.SentMessage {
		for i := range d.sent {
			m := &d.sent[i].msg
			if strings.HasPrefix(m.Subject, "["+ticket+"] Tanda terima") {
				return m
			}
		}
		return nil
	}
	carrying := func(phrase string) []fake.SentMessage {
		var out []fake.SentMessage
		for _, s := range d.sent {
			if strings.Contains(s.msg.Text, phrase) {
				out = append(out, s.msg)
			}
		}
		return out
	}
	approved, held := 0, 0
	okApproved, okHeld := true, true
	for _, a := range demoAnswers {
		got := carrying(a.phrase)
		if !a.approved {
			held++
			okHeld = okHeld && len(got) == 0 && status[a.ticket] == rules.StatusDijawab
			for _, s := range d.sent {
				okHeld = okHeld && !strings.HasPrefix(s.msg.Subject, "Re: ["+a.ticket+"]")
			}
			continue
		}
		approved++
		r := receipt(a.ticket)
		okApproved = okApproved && r != nil && len(got) == 1 && status[a.ticket] == rules.StatusTerkirim
		if r != nil && len(got) == 1 {
			a := got[0]
			okApproved = okApproved && a.ThreadID != "" && a.ThreadID == r.ThreadID && a.ID != r.ID &&
				slices.Equal(a.To, r.To) && strings.Contains(a.Text, "https://inspektorat.example.go.id/")
		}
	}
	check(fmt.Sprintf(msgDemoCheckAnswers, approved), approved > 0 && okApproved)
	check(fmt.Sprintf(msgDemoCheckHeld, held), held > 0 && okHeld)

	// The digest: exactly one per simulated working day.
	digests := map[string]int{}
	for _, s := range d.sent {
		if strings.HasPrefix(s.msg.Subject, "Ringkasan harian KOPI: ") {
			digests[s.at.Format("2006-01-02")]++
		}
	}
	okDigest := len(digests) == 2
	for _, n := range digests {
		okDigest = okDigest && n == 1
	}
	check(msgDemoCheckDigest, okDigest)

	// Overdue notices: some went out, none about an answered case.
	answeredAt := map[string]time.Time{}
	for _, ev := range staff {
		if ev.status == rules.StatusDijawab {
			answeredAt[ev.ticket] = ev.at
		}
	}
	overdue, okOverdue := 0, true
	for _, s := range d.sent {
		for _, kind := range []string{"] Pengingat", "] Lewat tenggat"} {
			i := strings.Index(s.msg.Subject, kind)
			if !strings.HasPrefix(s.msg.Subject, "[") || i < 0 {
				continue
			}
			if kind == "] Lewat tenggat" {
				overdue++
			}
			if at, ok := answeredAt[s.msg.Subject[1:i]]; ok && s.at.After(at) {
				okOverdue = false
			}
		}
	}
	check(fmt.Sprintf(msgDemoCheckOverdue, overdue), overdue > 0 && okOverdue)
}

// trackerRows returns the Konsultasi tab's rows by ticket, as the fake
// holds them (no API call), to tell which rows a cycle changed.
func (d *demoRun) trackerRows() map[string]string {
	values, err := d.srv.SpreadsheetValues(d.cfg.Tracker.SpreadsheetID, "Konsultasi")
	if err != nil || len(values) == 0 {
		return nil
	}
	d.header = values[0]
	rows := map[string]string{}
	for _, r := range values[1:] {
		if len(r) > 0 && r[0] != "" {
			rows[r[0]] = strings.Join(r, "\x1f")
		}
	}
	return rows
}

// changedRows names the existing rows whose cells changed, with the
// columns, e.g. "KOPI-2026-0004 (Kelengkapan, Status)".
func changedRows(header []string, before, after map[string]string) string {
	var out []string
	for _, ticket := range sortedKeys(after) {
		old, ok := before[ticket]
		if !ok || old == after[ticket] {
			continue
		}
		out = append(out, ticket)
		a, b := strings.Split(old, "\x1f"), strings.Split(after[ticket], "\x1f")
		var cols []string
		for i := 0; i < max(len(a), len(b)); i++ {
			var x, y string
			if i < len(a) {
				x = a[i]
			}
			if i < len(b) {
				y = b[i]
			}
			if x != y && i < len(header) {
				cols = append(cols, header[i])
			}
		}
		if len(cols) > 0 {
			out[len(out)-1] += " (" + strings.Join(cols, ", ") + ")"
		}
	}
	return strings.Join(out, "; ")
}

// emailKinds names the kinds of the emails a cycle sent, by subject.
func emailKinds(msgs []fake.SentMessage) string {
	var kinds []string
	seen := map[string]bool{}
	for _, m := range msgs {
		k := msgDemoKindOther
		for _, c := range demoEmailKinds {
			if strings.Contains(m.Subject, c.marker) {
				k = c.kind
				break
			}
		}
		if !seen[k] {
			seen[k] = true
			kinds = append(kinds, k)
		}
	}
	return strings.Join(kinds, ", ")
}
