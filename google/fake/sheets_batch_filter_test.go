package fake_test

import (
	"slices"
	"testing"

	"google.golang.org/api/sheets/v4"
)

// hiddenByFilter reads sheet 0's rows' hiddenByFilter through
// spreadsheets.get, as kopi and staff's tools would.
func hiddenByFilter(t *testing.T, b *bundle, id string, n int) ([]bool, *sheets.BasicFilter) {
	t.Helper()
	ss, err := b.sheets.Spreadsheets.Get(id).IncludeGridData(true).Do()
	if err != nil {
		t.Fatal(err)
	}
	sh := ss.Sheets[0]
	var out []bool
	for _, m := range sh.Data[0].RowMetadata[:n] {
		out = append(out, m.HiddenByFilter)
	}
	return out, sh.BasicFilter
}

// TestBasicFilterHidesRowsAndKeepsValues: a basic filter hides the rows
// whose value is one of its column's hidden values (the header row is
// never filtered), every value stays readable, an inserted row moves the
// filter's range with it, and clearing the filter shows the rows again.
func TestBasicFilterHidesRowsAndKeepsValues(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	writeColumn(t, b, id, "Status", "Selesai", "Baru", "Selesai", "Ditugaskan")
	mustBatch(t, b, id, &sheets.Request{SetBasicFilter: &sheets.SetBasicFilterRequest{Filter: &sheets.BasicFilter{
		Range:       &sheets.GridRange{SheetId: 0, StartRowIndex: 0, EndRowIndex: 5, StartColumnIndex: 0, EndColumnIndex: 1},
		FilterSpecs: []*sheets.FilterSpec{{ColumnIndex: 0, FilterCriteria: &sheets.FilterCriteria{HiddenValues: []string{"Selesai", "Status"}}}},
	}}})
	got, f := hiddenByFilter(t, b, id, 5)
	if want := []bool{false, true, false, true, false}; !slices.Equal(got, want) {
		t.Fatalf("hiddenByFilter = %v, want %v", got, want)
	}
	if f == nil || f.Range.EndRowIndex != 5 {
		t.Fatalf("basic filter = %+v, want the one set", f)
	}
	if c := column(b, id, 5); c[1] != "Selesai" || c[3] != "Selesai" {
		t.Fatalf("values = %q: a filter hides rows, it keeps their values", c)
	}
	mustBatch(t, b, id, &sheets.Request{InsertDimension: &sheets.InsertDimensionRequest{
		Range: &sheets.DimensionRange{SheetId: 0, Dimension: "ROWS", StartIndex: 0, EndIndex: 1}}})
	got, f = hiddenByFilter(t, b, id, 6)
	if want := []bool{false, false, true, false, true, false}; !slices.Equal(got, want) {
		t.Fatalf("after an insert above: hiddenByFilter = %v, want %v", got, want)
	}
	if f.Range.StartRowIndex != 1 || f.Range.EndRowIndex != 6 {
		t.Fatalf("after an insert above: filter range rows %d–%d, want 1–6", f.Range.StartRowIndex, f.Range.EndRowIndex)
	}
	mustBatch(t, b, id, &sheets.Request{ClearBasicFilter: &sheets.ClearBasicFilterRequest{SheetId: 0}})
	got, f = hiddenByFilter(t, b, id, 6)
	if want := make([]bool, 6); !slices.Equal(got, want) || f != nil {
		t.Fatalf("after clearing: hiddenByFilter = %v, filter %+v; want every row shown, no filter", got, f)
	}
}

// TestBasicFilterRefusesWhatItDoesNotModel: a condition or a column
// outside the range is a 400, not a filter that hides other rows than
// Google's would.
func TestBasicFilterRefusesWhatItDoesNotModel(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	_, err := batch(b, id, &sheets.Request{SetBasicFilter: &sheets.SetBasicFilterRequest{Filter: &sheets.BasicFilter{
		Range:       &sheets.GridRange{SheetId: 0, EndColumnIndex: 2},
		FilterSpecs: []*sheets.FilterSpec{{ColumnIndex: 0, FilterCriteria: &sheets.FilterCriteria{Condition: &sheets.BooleanCondition{Type: "TEXT_CONTAINS"}}}},
	}}})
	assertMessage(t, err, 400, "not supported")
	_, err = batch(b, id, &sheets.Request{SetBasicFilter: &sheets.SetBasicFilterRequest{Filter: &sheets.BasicFilter{
		Range:       &sheets.GridRange{SheetId: 0, EndColumnIndex: 2},
		FilterSpecs: []*sheets.FilterSpec{{ColumnIndex: 5, FilterCriteria: &sheets.FilterCriteria{HiddenValues: []string{"x"}}}},
	}}})
	assertMessage(t, err, 400, "inside the filter's range")
}
