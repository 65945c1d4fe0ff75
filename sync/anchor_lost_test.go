package sync_test

import (
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"

	"kopi/rules"
)

// TestAnchorDeletedWithAnotherRow: a sort that leaves row metadata at
// its index puts a case's anchor on another row; staff type a note there
// and delete that row, and the anchor goes with it. The case's row still
// shows its ticket: kopi anchors it again, so the approved answer is
// stamped, sent exactly once and marked Terkirim on its own row, and the
// staff's answer text stays as typed.
func TestAnchorDeletedWithAnotherRow(t *testing.T) {
	t.Parallel()
	underEach(t, sortVariants, testAnchorDeletedWithAnotherRow)
}

func testAnchorDeletedWithAnotherRow(t *testing.T) {
	e := setup(t)
	e.submit(complete("ani", e.cfg.TopicNames()[0]))
	e.cycle()
	st := newStaff(e)
	id := st.sheetID()
	rows := e.rows()
	ti := column(rows, "No. Tiket")
	// Two blank rows above the case (its anchor moves with it to row 3),
	// then a sort by ticket: the case goes back to row 1, the blank rows
	// to the end; under SortLeavesMetadata the anchor stays on row 3.
	st.batch(&sheets.Request{InsertDimension: &sheets.InsertDimensionRequest{
		Range: &sheets.DimensionRange{SheetId: id, Dimension: "ROWS", StartIndex: 1, EndIndex: 3}}})
	st.batch(&sheets.Request{SortRange: &sheets.SortRangeRequest{
		Range:     &sheets.GridRange{SheetId: id, StartRowIndex: 1},
		SortSpecs: []*sheets.SortSpec{{DimensionIndex: int64(ti), SortOrder: "ASCENDING"}},
	}})
	if r := rowOf(e.rows(), "KOPI-2026-0001"); r != 1 {
		t.Fatalf("case on row %d after the sort, want 1", r)
	}
	st.set(a1(1, 3), "Rekap manual — hapus nanti")
	st.batch(deleteRow(id, 3))

	e.clock.Advance(time.Hour)
	answerRow(e, "KOPI-2026-0001", answerText, rules.StatusDisetujui)
	for i := 0; i < 3; i++ {
		e.cycle()
		e.clock.Advance(10 * time.Minute)
	}
	rows = e.rows()
	r := rowOf(rows, "KOPI-2026-0001")
	if got := cell(rows, r, "Status"); got != string(rules.StatusTerkirim) {
		t.Errorf("status = %q, want %q", got, rules.StatusTerkirim)
	}
	if by, who := cell(rows, r, "Dijawab Oleh"), cell(rows, r, "Konsuler"); by == "" || by != who {
		t.Errorf("Dijawab Oleh = %q, consultant %q", by, who)
	}
	if got := cell(rows, r, "Jawaban"); got != answerText {
		t.Errorf("Jawaban = %q, want what staff typed", got)
	}
	if n := len(sentTo(e, "Re: ")); n != 1 {
		t.Errorf("answers sent = %d, want 1", n)
	}
	anchors := 0
	for _, m := range e.srv.DeveloperMetadata(e.sheetID) {
		if m.MetadataValue == "KOPI-2026-0001" && m.Location != nil && m.Location.DimensionRange != nil {
			anchors++
			if got := m.Location.DimensionRange.StartIndex; got != int64(r) {
				t.Errorf("anchor on row %d, case on row %d", got, r)
			}
		}
	}
	if anchors != 1 {
		t.Errorf("anchors of the case = %d, want 1", anchors)
	}
}
