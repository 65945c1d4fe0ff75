package sync_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// The Bimtek SOP in the simulation: staff start training cases in the
// Bimtek tab and decide each step (with corrections at the review
// steps); at the end the Riwayat tab must hold exactly the path the
// decisions took, computed here from the SOP document's flow.

// simBimtekNext is sop/bimtek.yaml's flow as the SOP document draws it:
// the next step after a decision at a step (0: the case ends).
var simBimtekNext = map[int]map[string]int{
	1: {"Selesai": 2}, 2: {"Selesai": 3}, 3: {"Selesai": 4},
	4: {"Setuju": 5, "Koreksi": 3}, 5: {"Setuju": 6, "Koreksi": 3},
	6: {"Selesai": 7}, 7: {"Selesai": 8},
	8: {"Setuju": 9, "Koreksi": 7}, 9: {"Setuju": 10, "Koreksi": 7},
	10: {"Selesai": 0},
}

var simBimtekChoices = []string{"1 hari kerja", "3 hari kerja", "5 hari kerja"}

// bimtekStart is staff adding a training event below the last row.
func (s *staffAPI) bimtekStart(a simAction) error {
	rows, err := s.tab("Bimtek")
	if err != nil {
		return err
	}
	last := 0
	for i, row := range rows {
		if strings.Join(row, "") != "" {
			last = i
		}
	}
	if last+1 >= len(rows) {
		if err := s.appendRows("Bimtek", 10); err != nil {
			return err
		}
	}
	s.r.bimtekStarted++
	return s.setCells(map[string]string{
		cellA1("Bimtek", column(rows, "Judul"), last+1):         fmt.Sprintf("Bimtek %d: %s", a.A, simHostile[a.A%len(simHostile)]),
		cellA1("Bimtek", column(rows, "Pilihan Waktu"), last+1): simBimtekChoices[a.B%len(simBimtekChoices)],
	})
}

// bimtekDecide is the current actor deciding case A's step: Koreksi
// (B=1) where the step allows it, otherwise the step's way forward. A
// case whose last decision kopi has not taken yet is left alone.
func (s *staffAPI) bimtekDecide(a simAction) error {
	rows, err := s.tab("Bimtek")
	if err != nil {
		return err
	}
	var open []int
	for i := 1; i < len(rows); i++ {
		if cell(rows, i, "No. Kasus") != "" && cell(rows, i, "Langkah") != "" && cell(rows, i, "Keputusan") == "" {
			open = append(open, i)
		}
	}
	if len(open) == 0 {
		return nil
	}
	return s.decideRow(rows, open[a.A%len(open)], a)
}

// decideRow is the current actor deciding the step of the case on row
// i: Koreksi (a.B=1) where the step allows it (its note from a.C),
// otherwise the step's way forward.
func (s *staffAPI) decideRow(rows [][]string, i int, a simAction) error {
	id := cell(rows, i, "No. Kasus")
	step, err := strconv.Atoi(cell(rows, i, "Langkah"))
	if err != nil || simBimtekNext[step] == nil {
		return fmt.Errorf("%s shows step %q", id, cell(rows, i, "Langkah"))
	}
	decision := "Selesai"
	if _, ok := simBimtekNext[step]["Setuju"]; ok {
		decision = "Setuju"
		if a.B == 1 {
			decision = "Koreksi"
		}
	}
	cells := map[string]string{cellA1("Bimtek", column(rows, "Keputusan"), i): decision}
	if decision == "Koreksi" {
		cells[cellA1("Bimtek", column(rows, "Catatan Keputusan"), i)] = "Perbaiki: " + simHostile[a.C%len(simHostile)]
	}
	if err := s.setCells(cells); err != nil {
		return err
	}
	to := "-"
	if n := simBimtekNext[step][decision]; n != 0 {
		to = strconv.Itoa(n)
	}
	r := s.r
	r.bimtek[id] = append(r.bimtek[id], simTransition{path: fmt.Sprintf("%d→%s", step, to), correction: decision == "Koreksi"})
	return nil
}

// finishBimtek is staff taking one Bimtek case to its end before the
// month passes, so that the nightly archive has a closed case to move
// (in 3-day runs none finishes by chance): case A among the open ones
// (none: staff add one, title A, duration B), each step decided forward
// with a clean cycle after it, five minutes apart, until the case ends.
func (r *simRun) finishBimtek(a simAction) error {
	id := ""
	for round := 0; round < 16; round++ {
		rows, err := r.st.tab("Bimtek")
		if err != nil {
			return err
		}
		i := -1
		if id == "" {
			var open, unstarted []int
			for k := 1; k < len(rows); k++ {
				switch {
				case cell(rows, k, "No. Kasus") != "" && orDash(cell(rows, k, "Langkah")) != "-":
					open = append(open, k)
				case cell(rows, k, "No. Kasus") == "" && cell(rows, k, "Judul") != "":
					unstarted = append(unstarted, k)
				}
			}
			switch {
			case len(open) > 0:
				i = open[a.A%len(open)]
				id = cell(rows, i, "No. Kasus")
			case len(unstarted) == 0:
				if err := r.st.bimtekStart(simAction{Kind: actBimtek, A: a.A, B: a.B}); err != nil {
					return err
				}
			}
		} else {
			for k := 1; k < len(rows); k++ {
				if cell(rows, k, "No. Kasus") == id {
					i = k
				}
			}
			if i < 0 {
				return nil
			}
			if orDash(cell(rows, i, "Langkah")) == "-" {
				r.finished = append(r.finished, id)
				return nil
			}
		}
		if i >= 0 && cell(rows, i, "Keputusan") == "" {
			if err := r.st.decideRow(rows, i, simAction{Kind: actDecide}); err != nil {
				return err
			}
		}
		r.e.srv.ClearFaults()
		r.e.transport.arm(0, 0)
		_ = r.cycle()
		r.e.clock.Advance(5 * time.Minute)
	}
	return nil
}

func (s *staffAPI) appendRows(title string, n int64) error {
	ss, err := s.sheets.Spreadsheets.Get(s.r.e.sheetID).Do()
	if err != nil {
		return err
	}
	for _, sh := range ss.Sheets {
		if sh.Properties.Title == title {
			return s.batch(appendRowsRequest(sh.Properties.SheetId, n))
		}
	}
	return fmt.Errorf("no tab %q", title)
}

// simTransition is one step of a case's path as the decisions drive it.
type simTransition struct {
	path       string
	correction bool
}

// simBimtekArchive is where the simulation's closed Bimtek cases go
// (its office runs in 2026).
var simBimtekArchive = rules.SOPArchiveTitle("Bimtek", 2026)

// bimtekArchive reads the Bimtek archive (nil when there is none) and
// notes its cases in r.sopArchived ("bimtek/case"): their deliveries
// left the state tab with them.
func (r *simRun) bimtekArchive() [][]string {
	arch, err := r.e.srv.SpreadsheetValues(r.e.sheetID, simBimtekArchive)
	if err != nil {
		return nil
	}
	r.sopArchived = map[string]bool{}
	for i := 1; i < len(arch); i++ {
		if id := cell(arch, i, "No. Kasus"); id != "" {
			r.sopArchived["bimtek/"+id] = true
		}
	}
	return arch
}

// checkBimtek compares the Riwayat tab and the Bimtek rows — live, or
// in the SOP's yearly archive once closed for the archive period — with
// the paths the staff's decisions must have taken: every case exactly
// once, live or archived; an archived one ended.
func (r *simRun) checkBimtek() {
	e := r.e
	rows, err := e.srv.SpreadsheetValues(e.sheetID, "Bimtek")
	if err != nil {
		r.violate("harness", "read Bimtek: %v", err)
		return
	}
	arch := r.bimtekArchive()
	if len(arch) > 0 && strings.Join(arch[0], "|") != strings.Join(rows[0], "|") {
		r.violate("layout", "%s header %q, want the Bimtek tab's %q", simBimtekArchive, arch[0], rows[0])
		arch = nil
	}
	for i := 1; i < len(arch); i++ {
		if id := cell(arch, i, "No. Kasus"); id != "" && cell(arch, i, "Status") != "Selesai" {
			r.violate("archive", "%s archived with status %q", id, cell(arch, i, "Status"))
		}
	}
	if len(arch) > 0 {
		rows = append(slices.Clip(rows), arch[1:]...)
	}
	count := map[string]int{}
	for i := 1; i < len(rows); i++ {
		if id := cell(rows, i, "No. Kasus"); id != "" {
			count[id]++
		}
	}
	for id, n := range count {
		if n != 1 {
			r.violate("duplicate", "Bimtek case %s has %d rows live and archived", id, n)
		}
	}
	hist, err := e.srv.SpreadsheetValues(e.sheetID, "Riwayat")
	if err != nil {
		r.violate("harness", "read Riwayat: %v", err)
		return
	}
	got := map[string][]simTransition{}
	for i := 1; i < len(hist); i++ {
		id := cell(hist, i, "No. Kasus")
		if id == "" {
			continue
		}
		from, to := cell(hist, i, "Dari Langkah"), cell(hist, i, "Ke Langkah")
		got[id] = append(got[id], simTransition{path: orDash(from) + "→" + orDash(to), correction: cell(hist, i, "Koreksi") == "Ya"})
	}
	started := 0
	for i := 1; i < len(rows); i++ {
		id := cell(rows, i, "No. Kasus")
		if id == "" {
			if cell(rows, i, "Judul") != "" {
				r.violate("sop", "Bimtek row %d (%q) was never started", i+1, trim(cell(rows, i, "Judul")))
			}
			continue
		}
		started++
		want := append([]simTransition{{path: "-→1"}}, r.bimtek[id]...)
		if fmt.Sprint(got[id]) != fmt.Sprint(want) {
			r.violate("history", "%s: Riwayat %v, want %v", id, got[id], want)
		}
		last := want[len(want)-1].path
		_, to, _ := strings.Cut(last, "→")
		if step := orDash(cell(rows, i, "Langkah")); step != to {
			r.violate("sop", "%s shows step %s, its decisions lead to %s", id, step, to)
		}
		// Every entry into a step emails its actor once.
		entries := 0
		for _, t := range want {
			if !strings.HasSuffix(t.path, "→-") {
				entries++
			}
		}
		// A draft a person deleted is not sent (nor sent again).
		deleted := 0
		for _, subj := range r.deletedSubj {
			if strings.Contains(subj, "["+id+"]") {
				deleted++
			}
		}
		if n := r.stepEmails(id); n > entries || n+deleted < entries {
			r.violate("mail", "%s: %d step emails (%d drafts deleted) for %d entries into a step", id, n, deleted, entries)
		}
	}
	// The case staff took to its end before the month passed closed more
	// than the archive period (31 days > rules.ArchiveMinDays) before the
	// night's archive, with its emails sent in the clean cycles after
	// each decision: it is in the archive, not live (rules/archive_sop.go:
	// "once it closed the archive period ago and no email of it is still
	// to go").
	for _, id := range r.finished {
		if !r.sopArchived["bimtek/"+id] {
			r.violate("archive", "%s ended a month before and is not in %s", id, simBimtekArchive)
		}
	}
	if started != r.bimtekStarted {
		r.violate("sop", "%d Bimtek cases started, staff added %d", started, r.bimtekStarted)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// stepEmails counts the emails sent about an SOP case that announce a
// step (not reminders or escalations).
func (r *simRun) stepEmails(id string) int {
	n := 0
	for _, m := range r.e.srv.Sent("me") {
		reminder := strings.Contains(m.Text, "Pengingat:") || strings.Contains(m.Text, "telah melewati batas waktu") || strings.Contains(m.Text, "Eskalasi:")
		if strings.Contains(m.Subject, "["+id+"]") && !reminder {
			n++
		}
	}
	return n
}

func appendRowsRequest(sheetID, n int64) *sheets.Request {
	return &sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: sheetID, Dimension: "ROWS", Length: n}}
}

// simKOPIFlow is sop/kopi.yaml's flow as the SOP document draws it: for
// each step the steps a case may go to, true for a correction (the
// requester's incomplete form back to step 1, an answer sent back to the
// team).
var simKOPIFlow = map[string]map[string]bool{
	"-": {"1": false},
	"1": {"2": false},
	"2": {"1": true, "3": false},
	"3": {"4": false},
	"4": {"6": false, "3": true},
	"6": {"5": false},
	"5": {"-": false},
}

// simKOPIRests are the steps a KOPI case may rest at with each status
// the row shows at the end: the team's step once a consultant has it,
// the admin's or the requester's receipt once answered (without approval
// required an answer moves on by itself), the secretariat's once the
// answer went out.
var simKOPIRests = map[rules.Status][]string{
	rules.StatusKurangLengkap: {"1"},
	rules.StatusBaru:          {"2"},
	rules.StatusDitugaskan:    {"3"},
	rules.StatusDijawab:       {"4", "6"},
	rules.StatusDisetujui:     {"4", "6"},
	rules.StatusTerkirim:      {"5"},
	rules.StatusKirimUlang:    {"5"},
	rules.StatusSelesai:       {"-"},
}

// checkKOPIHistory recomputes, for every KOPI case (live or archived),
// the Riwayat tab's transitions against the SOP document's flow: one
// entry per transition, each from where the last one left the case,
// corrections marked exactly where the flow makes them, the form taken
// at most once per version, and the last one leaving the case where its
// status says it rests; no entry for a case that does not exist.
func (r *simRun) checkKOPIHistory(rows [][]string) {
	e := r.e
	hist, err := e.srv.SpreadsheetValues(e.sheetID, "Riwayat")
	if err != nil {
		r.violate("harness", "read Riwayat: %v", err)
		return
	}
	type entry struct {
		from, to   string
		correction bool
	}
	paths := map[string][]entry{}
	for i := 1; i < len(hist); i++ {
		if cell(hist, i, "SOP") != "kopi" {
			continue
		}
		id := cell(hist, i, "No. Kasus")
		paths[id] = append(paths[id], entry{orDash(cell(hist, i, "Dari Langkah")), orDash(cell(hist, i, "Ke Langkah")), cell(hist, i, "Koreksi") == "Ya"})
	}
	versions := map[string]int{}
	for _, sr := range r.resps {
		versions[sr.id] = len(sr.versions)
	}
	cases := map[string]bool{}
	for _, i := range caseRows(rows) {
		tk := cell(rows, i, "No. Tiket")
		cases[tk] = true
		path := paths[tk]
		at, forms := "-", 0
		for k, h := range path {
			correction, ok := simKOPIFlow[at][h.to]
			switch {
			case h.from != at || !ok:
				r.violate("history", "%s: Riwayat entry %d goes %s→%s, the flow allows from %s only %v (path %v)", tk, k+1, h.from, h.to, at, simKOPIFlow[at], path)
			case h.correction != correction:
				r.violate("history", "%s: Riwayat entry %d %s→%s marked correction=%v, the flow says %v", tk, k+1, h.from, h.to, h.correction, correction)
			}
			if h.from == "1" && h.to == "2" {
				forms++
			}
			at = h.to
		}
		if n := versions[cell(rows, i, "ID Respons")]; forms > n {
			r.violate("history", "%s: the form taken %d times for %d versions (path %v)", tk, forms, n, path)
		}
		status := rules.Status(cell(rows, i, "Status"))
		if rests := simKOPIRests[status]; !slices.Contains(rests, at) {
			r.violate("history", "%s (%s): Riwayat leaves it at step %s, the status rests at %v (path %v)", tk, status, at, rests, path)
		}
	}
	for id := range paths {
		if _, deleted := r.deletedCases[id]; !cases[id] && !deleted {
			r.violate("history", "Riwayat holds KOPI transitions of %s, which no row shows", id)
		}
	}
}
