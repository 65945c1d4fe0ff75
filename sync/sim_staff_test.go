package sync_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"google.golang.org/api/gmail/v1"
	"google.golang.org/api/option"
	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// staffAPI is the office's people in the simulation: they edit the
// tracking sheet through the Sheets API (as the Sheets UI does) and the
// mailbox through Gmail's, straight to the fake (not through the daemon's
// crash transport).
type staffAPI struct {
	r      *simRun
	sheets *sheets.Service
	gmail  *gmail.Service
	cases  int64 // Konsultasi's sheet id
	roster int64 // Konsuler's
}

func newStaffAPI(r *simRun) (*staffAPI, error) {
	e := r.e
	sh, err := sheets.NewService(e.ctx, option.WithEndpoint(e.srv.URL()+"/"), option.WithHTTPClient(e.srv.HTTPClient()))
	if err != nil {
		return nil, err
	}
	gm, err := gmail.NewService(e.ctx, option.WithEndpoint(e.srv.URL()+"/"), option.WithHTTPClient(e.srv.HTTPClient()))
	if err != nil {
		return nil, err
	}
	s := &staffAPI{r: r, sheets: sh, gmail: gm, cases: -1, roster: -1}
	ss, err := sh.Spreadsheets.Get(e.sheetID).Do()
	if err != nil {
		return nil, err
	}
	for _, t := range ss.Sheets {
		switch t.Properties.Title {
		case "Konsultasi":
			s.cases = t.Properties.SheetId
		case "Konsuler":
			s.roster = t.Properties.SheetId
		}
	}
	if s.cases < 0 || s.roster < 0 {
		return nil, fmt.Errorf("no Konsultasi or Konsuler tab")
	}
	return s, nil
}

// tab reads a tab's text straight from the fake's model.
func (s *staffAPI) tab(title string) ([][]string, error) {
	return s.r.e.srv.SpreadsheetValues(s.r.e.sheetID, title)
}

func (s *staffAPI) batch(reqs ...*sheets.Request) error {
	_, err := s.sheets.Spreadsheets.BatchUpdate(s.r.e.sheetID, &sheets.BatchUpdateSpreadsheetRequest{Requests: reqs}).Do()
	return err
}

// setCells writes cells as typed text (RAW: staff's text stays text).
func (s *staffAPI) setCells(cells map[string]string) error {
	var data []*sheets.ValueRange
	for _, k := range sortedKeys(cells) {
		data = append(data, &sheets.ValueRange{Range: k, Values: [][]any{{cells[k]}}})
	}
	_, err := s.sheets.Spreadsheets.Values.BatchUpdate(s.r.e.sheetID, &sheets.BatchUpdateValuesRequest{ValueInputOption: "RAW", Data: data}).Do()
	return err
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// cellA1 is a cell's A1 address in a tab (0-based column and row).
func cellA1(tab string, col, row int) string {
	name := ""
	for c := col + 1; c > 0; c = (c - 1) / 26 {
		name = string(rune('A'+(c-1)%26)) + name
	}
	return fmt.Sprintf("%s!%s%d", tab, name, row+1)
}

func (s *staffAPI) addOwnColumn(header string) error {
	rows, err := s.tab("Konsultasi")
	if err != nil {
		return err
	}
	if err := s.batch(&sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: s.cases, Dimension: "COLUMNS", Length: 1}}); err != nil {
		return err
	}
	return s.setCells(map[string]string{cellA1("Konsultasi", len(rows[0]), 0): header})
}

// cellAt is row i's text in column c ("" past its end).
func cellAt(rows [][]string, i, c int) string {
	if c < len(rows[i]) {
		return rows[i][c]
	}
	return ""
}

// caseRows are the row indexes holding a ticket, in sheet order.
func caseRows(rows [][]string) []int {
	ti := column(rows, "No. Tiket")
	var out []int
	for i := 1; i < len(rows); i++ {
		if ti >= 0 && ti < len(rows[i]) && strings.HasPrefix(rows[i][ti], "KOPI-") {
			out = append(out, i)
		}
	}
	return out
}

// simAnswerText is what a consultant types as an answer: never empty.
func simAnswerText(v int, tk string) string {
	return fmt.Sprintf("Jawaban %d: %s untuk %s", v, simHostile[v%len(simHostile)], tk)
}

// onRow is staff work on one case row: answering, approving, sending
// again, a note in their own column. Each acts only on a row whose
// status allows it, as a person looking at the row would.
func (s *staffAPI) onRow(a simAction) error {
	rows, err := s.tab("Konsultasi")
	if err != nil {
		return err
	}
	cr := caseRows(rows)
	if len(cr) == 0 {
		return nil
	}
	i := cr[a.A%len(cr)]
	tk := cell(rows, i, "No. Tiket")
	status := rules.Status(cell(rows, i, "Status"))
	at := func(h string) string { return cellA1("Konsultasi", column(rows, h), i) }
	r := s.r
	switch a.Kind {
	case actAnswer:
		if status != rules.StatusDitugaskan {
			return nil
		}
		text := simAnswerText(a.B, tk)
		if err := s.setCells(map[string]string{at("Jawaban"): text, at("Status"): string(rules.StatusDijawab)}); err != nil {
			return err
		}
		r.answers[tk] = text
		r.answered(tk)
	case actApprove:
		if status != rules.StatusDitugaskan && status != rules.StatusDijawab {
			return nil
		}
		cells := map[string]string{at("Status"): string(rules.StatusDisetujui)}
		text := r.answers[tk]
		if text == "" || a.C == 1 {
			text = simAnswerText(a.B, tk)
			cells[at("Jawaban")] = text
		}
		if err := s.setCells(cells); err != nil {
			return err
		}
		r.answers[tk] = text
		r.answersDue[tk]++
		r.answered(tk)
	case actResend:
		if status != rules.StatusTerkirim {
			return nil
		}
		if err := s.setCells(map[string]string{at("Status"): string(rules.StatusKirimUlang)}); err != nil {
			return err
		}
		r.answersDue[tk]++
	case actNote:
		text := fmt.Sprintf("catatan staf %d untuk %s", a.B, tk)
		if err := s.setCells(map[string]string{at("Catatan Staf"): text}); err != nil {
			return err
		}
		r.notes[tk] = text
	}
	return nil
}

// layout is staff reorganising the tab: sorting, inserting rows, manual
// rows, moving columns, hiding rows.
func (s *staffAPI) layout(a simAction) error {
	rows, err := s.tab("Konsultasi")
	if err != nil {
		return err
	}
	width := len(rows[0])
	switch a.Kind {
	case actSort:
		return s.sort(a.A%width, a.B == 1)
	case actInsert:
		at := min(a.A, len(rows))
		return s.batch(&sheets.Request{InsertDimension: &sheets.InsertDimensionRequest{
			Range: &sheets.DimensionRange{SheetId: s.cases, Dimension: "ROWS", StartIndex: int64(at), EndIndex: int64(at + a.B)}}})
	case actManual:
		last := 0
		for i, row := range rows {
			if strings.Join(row, "") != "" {
				last = i
			}
		}
		if last+2 >= len(rows) {
			if err := s.batch(&sheets.Request{AppendDimension: &sheets.AppendDimensionRequest{SheetId: s.cases, Dimension: "ROWS", Length: 10}}); err != nil {
				return err
			}
		}
		// Staff type where they like, a column kopi writes included:
		// C=0 is column B, where every note went before.
		if err := s.setCells(map[string]string{cellA1("Konsultasi", (1+a.C)%width, last+2): fmt.Sprintf("Rekap manual %d — hapus nanti", a.A)}); err != nil {
			return err
		}
		s.r.manual++
	case actDelManual:
		var found []int
		for i, row := range rows {
			if strings.Contains(strings.Join(row, "|"), "Rekap manual") {
				found = append(found, i)
			}
		}
		if len(found) == 0 {
			return nil
		}
		i := found[a.A%len(found)]
		if err := s.batch(deleteRow(s.cases, i)); err != nil {
			return err
		}
		s.r.manual--
	case actMoveCol:
		from, to := a.A%width, a.B%width
		if from == to {
			return nil
		}
		return s.batch(&sheets.Request{MoveDimension: &sheets.MoveDimensionRequest{
			Source:           &sheets.DimensionRange{SheetId: s.cases, Dimension: "COLUMNS", StartIndex: int64(from), EndIndex: int64(from + 1)},
			DestinationIndex: int64(to),
		}})
	case actFilter:
		// A basic filter over the whole tab, as Data → Create a filter
		// makes it, hiding the rows that show one case's value in a
		// column (a consultant, a status, a topic): the rows stay, kopi
		// reads and writes them as before, and the filter is staff's.
		if a.B == 0 {
			if err := s.batch(&sheets.Request{ClearBasicFilter: &sheets.ClearBasicFilterRequest{SheetId: s.cases}}); err != nil {
				return err
			}
			s.r.filter = false
			return nil
		}
		cr := caseRows(rows)
		if len(cr) == 0 {
			return nil
		}
		col, row := a.A%width, cr[(a.A>>5)%len(cr)]
		if err := s.batch(&sheets.Request{SetBasicFilter: &sheets.SetBasicFilterRequest{Filter: &sheets.BasicFilter{
			Range: &sheets.GridRange{SheetId: s.cases},
			FilterSpecs: []*sheets.FilterSpec{{ColumnIndex: int64(col), FilterCriteria: &sheets.FilterCriteria{
				HiddenValues: []string{cellAt(rows, row, col)},
			}}},
		}}}); err != nil {
			return err
		}
		s.r.filter = true
	case actHide:
		start := min(a.A, len(rows)-1)
		return s.batch(&sheets.Request{UpdateDimensionProperties: &sheets.UpdateDimensionPropertiesRequest{
			Range:      &sheets.DimensionRange{SheetId: s.cases, Dimension: "ROWS", StartIndex: int64(start), EndIndex: int64(start + 3)},
			Properties: &sheets.DimensionProperties{HiddenByUser: a.B == 1, ForceSendFields: []string{"HiddenByUser"}},
			Fields:     "hiddenByUser",
		}})
	}
	return nil
}

func (s *staffAPI) sort(col int, desc bool) error {
	order := "ASCENDING"
	if desc {
		order = "DESCENDING"
	}
	return s.batch(&sheets.Request{SortRange: &sheets.SortRangeRequest{
		Range:     &sheets.GridRange{SheetId: s.cases, StartRowIndex: 1},
		SortSpecs: []*sheets.SortSpec{{DimensionIndex: int64(col), SortOrder: order}},
	}})
}

// deleteCase is staff deleting a case's row (a test submission, a
// duplicate): case A among the rows no survey named — what kopi's report
// does with a survey of a deleted case is not the product's documented
// behaviour, so the office does not delete those. kopi does not make the
// row again (sync/intake.go: "Staff deleted the row: it is not
// re-created"), nor gives its ticket to another response (README: "a
// deleted row's number is never reused").
func (s *staffAPI) deleteCase(a simAction) error {
	rows, err := s.tab("Konsultasi")
	if err != nil {
		return err
	}
	var cr []int
	for _, i := range caseRows(rows) {
		if !s.r.surveyed[cell(rows, i, "No. Tiket")] {
			cr = append(cr, i)
		}
	}
	if len(cr) == 0 {
		return nil
	}
	i := cr[a.A%len(cr)]
	tk, id := cell(rows, i, "No. Tiket"), cell(rows, i, "ID Respons")
	if err := s.batch(deleteRow(s.cases, i)); err != nil {
		return err
	}
	s.r.deletedCases[tk] = id
	return nil
}

// leave puts consultant A (mod the roster) on leave for B days from
// today, or back (B=0), in the roster's "Cuti Sampai" column.
func (s *staffAPI) leave(a simAction) error {
	rows, err := s.tab("Konsuler")
	if err != nil {
		return err
	}
	ec, lc := column(rows, "Email"), column(rows, "Cuti Sampai")
	var people []int
	for i := 1; i < len(rows); i++ {
		if ec < len(rows[i]) && rows[i][ec] != "" {
			people = append(people, i)
		}
	}
	if len(people) == 0 || lc < 0 {
		return nil
	}
	i := people[a.A%len(people)]
	v := ""
	if a.B > 0 {
		v = s.r.e.clock.Now().In(wib).AddDate(0, 0, a.B).Format("2006-01-02")
	}
	if err := s.setCells(map[string]string{cellA1("Konsuler", lc, i): v}); err != nil {
		return err
	}
	s.r.leave[rows[i][ec]] = v
	return nil
}

// chaosNextWrite makes staff sort the tab and insert rows at the top
// just before the daemon's next row write (the commit carrying it, or a
// write by anchor), after its read: kopi must notice that its write by
// position landed elsewhere and put it right. With crash set, the daemon
// dies right after that write, before it can check its work.
func (s *staffAPI) chaosNextWrite(a simAction) {
	e := s.r.e
	e.transport.mu.Lock()
	defer e.transport.mu.Unlock()
	e.transport.before = func(req *http.Request) bool {
		if !rowWrite(req) {
			return true
		}
		rows, err := s.tab("Konsultasi")
		if err != nil || len(rows) == 0 {
			return false
		}
		_ = s.sort(a.A%len(rows[0]), a.A%2 == 1)
		n := 1 + a.B%3
		_ = s.batch(&sheets.Request{InsertDimension: &sheets.InsertDimensionRequest{
			Range: &sheets.DimensionRange{SheetId: s.cases, Dimension: "ROWS", StartIndex: 1, EndIndex: int64(1 + n)}}})
		if a.C == 1 {
			// Called with the transport's lock free: this write is the
			// last call that reaches Google.
			e.transport.dieAfter = e.transport.calls
		}
		return false
	}
}

// deleteDraftOnSend makes a person delete, in Gmail, the draft kopi is
// about to send, just before drafts.send reaches Google.
func (s *staffAPI) deleteDraftOnSend() {
	e := s.r.e
	e.transport.mu.Lock()
	defer e.transport.mu.Unlock()
	e.transport.before = func(req *http.Request) bool {
		if req.Method != http.MethodPost || !strings.HasSuffix(req.URL.Path, "/drafts/send") || req.Body == nil {
			return true
		}
		body, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
		if err != nil {
			return false
		}
		var d struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(body, &d) != nil || d.ID == "" {
			return false
		}
		got, err := s.gmail.Users.Drafts.Get("me", d.ID).Format("raw").Do()
		if err != nil || got.Message == nil {
			return false
		}
		raw, err := base64.URLEncoding.DecodeString(got.Message.Raw)
		if err != nil {
			return false
		}
		if err := s.gmail.Users.Drafts.Delete("me", d.ID).Do(); err != nil {
			return false
		}
		ref := headerOf(raw, "X-Kopi-Ref")
		s.r.deletedRef[ref] = true
		subj, err := new(mime.WordDecoder).DecodeHeader(headerOf(raw, "Subject"))
		if err != nil {
			subj = headerOf(raw, "Subject")
		}
		s.r.deleted[emailKind(subj, ref)]++
		s.r.deletedSubj = append(s.r.deletedSubj, subj)
		return false
	}
}

// headerOf is a raw message's header value (first occurrence), unfolded.
func headerOf(raw []byte, name string) string {
	head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	lines := strings.Split(strings.ReplaceAll(string(head), "\r\n ", " "), "\r\n")
	for _, l := range lines {
		k, v, ok := strings.Cut(l, ":")
		if ok && strings.EqualFold(k, name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// emailKind names an email by ticket and kind from its reference token
// ("KOPI-2026-0001/…") and subject: "KOPI-2026-0001 receipt".
func emailKind(subject, ref string) string {
	tk, _, _ := strings.Cut(ref, "/")
	kind := "other"
	switch {
	case strings.HasPrefix(subject, "Re: "):
		kind = "answer"
	case strings.Contains(subject, "Tanda terima"):
		kind = "receipt"
	case strings.Contains(subject, "Penugasan"):
		kind = "assignment"
	case strings.Contains(subject, "belum lengkap"):
		kind = "incomplete"
	case strings.Contains(subject, "belum dapat ditugaskan"):
		kind = "unassigned"
	}
	return tk + " " + kind
}

// answered notes when staff first answered or approved a ticket: from
// then on it waits for no consultant.
func (r *simRun) answered(tk string) {
	if _, ok := r.answeredAt[tk]; !ok {
		r.answeredAt[tk] = r.e.clock.Now()
	}
}
