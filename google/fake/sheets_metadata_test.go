package fake_test

import (
	"slices"
	"sort"
	"testing"

	"google.golang.org/api/sheets/v4"
)

// metaFixture seeds two tabs with metadata on the spreadsheet, on the
// second tab, on rows 1 and 3 of the first tab and on column C.
func metaFixture(t *testing.T) (*bundle, string, int64) {
	t.Helper()
	b := setup(t)
	id := seed(t, b, "Kasus", "Arsip")
	resp := mustBatch(t, b, id, &sheets.Request{AddSheet: &sheets.AddSheetRequest{Properties: &sheets.SheetProperties{Title: "Lain"}}})
	other := resp.Replies[0].AddSheet.Properties.SheetId
	mustBatch(t, b, id,
		&sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &sheets.DeveloperMetadata{
			MetadataId: 1, MetadataKey: "schema", MetadataValue: "v1", Visibility: "DOCUMENT",
			Location: &sheets.DeveloperMetadataLocation{Spreadsheet: true}}}},
		&sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &sheets.DeveloperMetadata{
			MetadataId: 2, MetadataKey: "tab", MetadataValue: "lain", Visibility: "PROJECT",
			Location: &sheets.DeveloperMetadataLocation{SheetId: other}}}},
		rowMeta(3, "caseId", "A-1", 0, 1),
		rowMeta(4, "caseId", "A-2", 0, 3),
		&sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &sheets.DeveloperMetadata{
			MetadataId: 5, MetadataKey: "column", MetadataValue: "status", Visibility: "DOCUMENT",
			Location: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{Dimension: "COLUMNS", StartIndex: 2, EndIndex: 3}}}}},
	)
	return b, id, other
}

func search(t *testing.T, b *bundle, id string, filters ...*sheets.DataFilter) []int64 {
	t.Helper()
	resp, err := b.sheets.Spreadsheets.DeveloperMetadata.Search(id, &sheets.SearchDeveloperMetadataRequest{DataFilters: filters}).Do()
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	var ids []int64
	for _, m := range resp.MatchedDeveloperMetadata {
		ids = append(ids, m.DeveloperMetadata.MetadataId)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

func TestCreateDeveloperMetadataReply(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	resp := mustBatch(t, b, id, &sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{
		DeveloperMetadata: &sheets.DeveloperMetadata{MetadataKey: "caseId", MetadataValue: "A-9", Visibility: "DOCUMENT",
			Location: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{Dimension: "ROWS", StartIndex: 4, EndIndex: 5}}}}})
	m := resp.Replies[0].CreateDeveloperMetadata.DeveloperMetadata
	if m.MetadataId <= 0 || m.MetadataKey != "caseId" || m.Location.LocationType != "ROW" ||
		m.Location.DimensionRange.StartIndex != 4 || m.Location.DimensionRange.EndIndex != 5 || m.Location.DimensionRange.Dimension != "ROWS" {
		t.Fatalf("reply = %+v loc %+v", m, m.Location)
	}
}

func TestCreateDeveloperMetadataValidation(t *testing.T) {
	b := setup(t)
	id := seed(t, b)
	mustBatch(t, b, id, rowMeta(9, "k", "v", 0, 1))
	loc := &sheets.DeveloperMetadataLocation{Spreadsheet: true}
	cases := map[string]*sheets.DeveloperMetadata{
		"no key":                             {Visibility: "DOCUMENT", Location: loc},
		"no visibility":                      {MetadataKey: "k", Location: loc},
		"no location":                        {MetadataKey: "k", Visibility: "DOCUMENT"},
		"empty location (sheetId 0 omitted)": {MetadataKey: "k", Visibility: "DOCUMENT", Location: &sheets.DeveloperMetadataLocation{}},
		"two rows": {MetadataKey: "k", Visibility: "DOCUMENT", Location: &sheets.DeveloperMetadataLocation{
			DimensionRange: &sheets.DimensionRange{Dimension: "ROWS", StartIndex: 1, EndIndex: 3}}},
		"unbounded": {MetadataKey: "k", Visibility: "DOCUMENT", Location: &sheets.DeveloperMetadataLocation{
			DimensionRange: &sheets.DimensionRange{Dimension: "ROWS", StartIndex: 1}}},
		"duplicate id": {MetadataId: 9, MetadataKey: "k", Visibility: "DOCUMENT", Location: loc},
		"no grid":      {MetadataKey: "k", Visibility: "DOCUMENT", Location: &sheets.DeveloperMetadataLocation{SheetId: 44}},
	}
	for name, m := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := batch(b, id, &sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: m}})
			assertCode(t, err, 400)
		})
	}
	// Sheet 0 is reachable when sheetId is sent explicitly.
	mustBatch(t, b, id, &sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &sheets.DeveloperMetadata{
		MetadataKey: "k", Visibility: "DOCUMENT",
		Location: &sheets.DeveloperMetadataLocation{SheetId: 0, ForceSendFields: []string{"SheetId"}}}}})
}

func TestDeveloperMetadataGet(t *testing.T) {
	b, id, _ := metaFixture(t)
	m, err := b.sheets.Spreadsheets.DeveloperMetadata.Get(id, 4).Do()
	if err != nil {
		t.Fatal(err)
	}
	if m.MetadataValue != "A-2" || m.Visibility != "DOCUMENT" || m.Location.LocationType != "ROW" || m.Location.DimensionRange.StartIndex != 3 {
		t.Fatalf("got %+v", m)
	}
	_, err = b.sheets.Spreadsheets.DeveloperMetadata.Get(id, 404).Do()
	assertCode(t, err, 404)
	_, err = b.sheets.Spreadsheets.DeveloperMetadata.Get("missing", 4).Do()
	assertCode(t, err, 404)
}

func TestDeveloperMetadataSearchByLookup(t *testing.T) {
	b, id, other := metaFixture(t)
	lk := func(l *sheets.DeveloperMetadataLookup) *sheets.DataFilter {
		return &sheets.DataFilter{DeveloperMetadataLookup: l}
	}
	cases := []struct {
		name   string
		lookup *sheets.DeveloperMetadataLookup
		want   []int64
	}{
		{"by key", &sheets.DeveloperMetadataLookup{MetadataKey: "caseId"}, []int64{3, 4}},
		{"by key and value", &sheets.DeveloperMetadataLookup{MetadataKey: "caseId", MetadataValue: "A-2"}, []int64{4}},
		{"by id", &sheets.DeveloperMetadataLookup{MetadataId: 2}, []int64{2}},
		{"by visibility", &sheets.DeveloperMetadataLookup{Visibility: "PROJECT"}, []int64{2}},
		{"by location type", &sheets.DeveloperMetadataLookup{LocationType: "COLUMN"}, []int64{5}},
		{"spreadsheet location", &sheets.DeveloperMetadataLookup{MetadataLocation: &sheets.DeveloperMetadataLocation{Spreadsheet: true}}, []int64{1}},
		{"sheet location exact", &sheets.DeveloperMetadataLookup{LocationMatchingStrategy: "EXACT_LOCATION",
			MetadataLocation: &sheets.DeveloperMetadataLocation{SheetId: other}}, []int64{2}},
		{"sheet location intersecting", &sheets.DeveloperMetadataLookup{
			MetadataLocation: &sheets.DeveloperMetadataLocation{SheetId: 0}}, []int64{3, 4, 5}},
		{"row exact", &sheets.DeveloperMetadataLookup{LocationMatchingStrategy: "EXACT_LOCATION",
			MetadataLocation: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{Dimension: "ROWS", StartIndex: 3, EndIndex: 4}}}, []int64{4}},
		{"rows intersecting", &sheets.DeveloperMetadataLookup{LocationType: "ROW",
			MetadataLocation: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{Dimension: "ROWS", StartIndex: 0, EndIndex: 2}}}, []int64{3}},
		{"no match", &sheets.DeveloperMetadataLookup{MetadataKey: "nothing"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := search(t, b, id, lk(c.lookup)); !slices.Equal(got, c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
	_, err := b.sheets.Spreadsheets.DeveloperMetadata.Search(id, &sheets.SearchDeveloperMetadataRequest{DataFilters: []*sheets.DataFilter{
		lk(&sheets.DeveloperMetadataLookup{LocationMatchingStrategy: "EXACT_LOCATION"})}}).Do()
	assertCode(t, err, 400)
}

func TestDeveloperMetadataSearchByGridRange(t *testing.T) {
	b, id, _ := metaFixture(t)
	// Rows 3-4 of the first tab, columns A-B: row 3's metadata; column C
	// does not cross the range.
	got := search(t, b, id, &sheets.DataFilter{GridRange: &sheets.GridRange{SheetId: 0, StartRowIndex: 2, EndRowIndex: 4, EndColumnIndex: 2}})
	if !slices.Equal(got, []int64{4}) {
		t.Fatalf("got %v, want [4]", got)
	}
	got = search(t, b, id, &sheets.DataFilter{GridRange: &sheets.GridRange{SheetId: 0, StartRowIndex: 2, EndRowIndex: 4}})
	if !slices.Equal(got, []int64{4, 5}) {
		t.Fatalf("got %v, want [4 5]", got)
	}
}

func TestDeveloperMetadataSearchReportsMatchingFilters(t *testing.T) {
	b, id, _ := metaFixture(t)
	f1 := &sheets.DataFilter{DeveloperMetadataLookup: &sheets.DeveloperMetadataLookup{MetadataKey: "caseId"}}
	f2 := &sheets.DataFilter{DeveloperMetadataLookup: &sheets.DeveloperMetadataLookup{MetadataValue: "A-1"}}
	resp, err := b.sheets.Spreadsheets.DeveloperMetadata.Search(id, &sheets.SearchDeveloperMetadataRequest{DataFilters: []*sheets.DataFilter{f1, f2}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.MatchedDeveloperMetadata) != 2 {
		t.Fatalf("matches = %d, want 2 (each metadata once)", len(resp.MatchedDeveloperMetadata))
	}
	for _, m := range resp.MatchedDeveloperMetadata {
		want := 1
		if m.DeveloperMetadata.MetadataValue == "A-1" {
			want = 2
		}
		if len(m.DataFilters) != want {
			t.Fatalf("metadata %d matched by %d filters, want %d", m.DeveloperMetadata.MetadataId, len(m.DataFilters), want)
		}
	}
}

func TestUpdateDeveloperMetadata(t *testing.T) {
	b, id, _ := metaFixture(t)
	resp := mustBatch(t, b, id, &sheets.Request{UpdateDeveloperMetadata: &sheets.UpdateDeveloperMetadataRequest{
		DataFilters:       []*sheets.DataFilter{{DeveloperMetadataLookup: &sheets.DeveloperMetadataLookup{MetadataId: 3}}},
		DeveloperMetadata: &sheets.DeveloperMetadata{MetadataValue: "A-1-closed", MetadataKey: "ignored"},
		Fields:            "metadataValue",
	}})
	got := resp.Replies[0].UpdateDeveloperMetadata.DeveloperMetadata
	if len(got) != 1 || got[0].MetadataValue != "A-1-closed" || got[0].MetadataKey != "caseId" || got[0].Location.DimensionRange.StartIndex != 1 {
		t.Fatalf("updated = %+v", got)
	}
	// Moving it to another row through the location field.
	mustBatch(t, b, id, &sheets.Request{UpdateDeveloperMetadata: &sheets.UpdateDeveloperMetadataRequest{
		DataFilters: []*sheets.DataFilter{{DeveloperMetadataLookup: &sheets.DeveloperMetadataLookup{MetadataId: 3}}},
		DeveloperMetadata: &sheets.DeveloperMetadata{Location: &sheets.DeveloperMetadataLocation{
			DimensionRange: &sheets.DimensionRange{Dimension: "ROWS", StartIndex: 7, EndIndex: 8}}},
		Fields: "location",
	}})
	if r := metaRow(b, id, 3); r != 7 {
		t.Fatalf("moved to row %d, want 7", r)
	}
	_, err := batch(b, id, &sheets.Request{UpdateDeveloperMetadata: &sheets.UpdateDeveloperMetadataRequest{
		DataFilters:       []*sheets.DataFilter{{DeveloperMetadataLookup: &sheets.DeveloperMetadataLookup{MetadataId: 3}}},
		DeveloperMetadata: &sheets.DeveloperMetadata{MetadataValue: "x"},
	}})
	assertCode(t, err, 400)
}

func TestDeleteDeveloperMetadata(t *testing.T) {
	b, id, _ := metaFixture(t)
	resp := mustBatch(t, b, id, &sheets.Request{DeleteDeveloperMetadata: &sheets.DeleteDeveloperMetadataRequest{
		DataFilter: &sheets.DataFilter{DeveloperMetadataLookup: &sheets.DeveloperMetadataLookup{MetadataKey: "caseId"}}}})
	del := resp.Replies[0].DeleteDeveloperMetadata.DeletedDeveloperMetadata
	if len(del) != 2 {
		t.Fatalf("deleted = %+v", del)
	}
	if got := search(t, b, id, &sheets.DataFilter{DeveloperMetadataLookup: &sheets.DeveloperMetadataLookup{MetadataKey: "caseId"}}); len(got) != 0 {
		t.Fatalf("still found %v", got)
	}
	if n := len(b.srv.DeveloperMetadata(id)); n != 3 {
		t.Fatalf("%d metadata left, want 3", n)
	}
}

func TestDeleteSheetDeletesItsMetadata(t *testing.T) {
	b, id, other := metaFixture(t)
	mustBatch(t, b, id, &sheets.Request{DeleteSheet: &sheets.DeleteSheetRequest{SheetId: other}})
	if got := search(t, b, id, &sheets.DataFilter{DeveloperMetadataLookup: &sheets.DeveloperMetadataLookup{MetadataKey: "tab"}}); len(got) != 0 {
		t.Fatalf("sheet metadata survives: %v", got)
	}
}

func TestMetadataIsUntouchedByFailedBatch(t *testing.T) {
	b, id, _ := metaFixture(t)
	_, err := batch(b, id,
		&sheets.Request{DeleteDimension: &sheets.DeleteDimensionRequest{Range: &sheets.DimensionRange{Dimension: "ROWS", StartIndex: 0, EndIndex: 2}}},
		&sheets.Request{DeleteSheet: &sheets.DeleteSheetRequest{SheetId: 12345}},
	)
	assertCode(t, err, 400)
	if r := metaRow(b, id, 3); r != 1 {
		t.Fatalf("row metadata at %d after a failed batch, want 1", r)
	}
}

// TestMetadataByIDFollowsMovesAndFailedBatches: developerMetadata.get and
// id lookups find an entry where it is now — after rows are inserted,
// moved or deleted, and after a failed batch that had created or moved
// entries, which must leave no trace (ids stay free, entries in place).
func TestMetadataByIDFollowsMovesAndFailedBatches(t *testing.T) {
	b, id, _ := metaFixture(t)
	rowOf := func(mid int64) int64 {
		t.Helper()
		m, err := b.sheets.Spreadsheets.DeveloperMetadata.Get(id, mid).Do()
		if err != nil {
			t.Fatalf("get %d: %v", mid, err)
		}
		return m.Location.DimensionRange.StartIndex
	}
	mustBatch(t, b, id, &sheets.Request{InsertDimension: &sheets.InsertDimensionRequest{
		Range: &sheets.DimensionRange{Dimension: "ROWS", StartIndex: 0, EndIndex: 2}}})
	if r := rowOf(3); r != 3 {
		t.Fatalf("id 3 at row %d after inserting two rows above, want 3", r)
	}
	mustBatch(t, b, id, &sheets.Request{MoveDimension: &sheets.MoveDimensionRequest{
		Source: &sheets.DimensionRange{Dimension: "ROWS", StartIndex: 3, EndIndex: 4}, DestinationIndex: 10}})
	if r := rowOf(3); r != 9 {
		t.Fatalf("id 3 at row %d after moving it before row 10, want 9", r)
	}

	// A batch that creates id 77, moves id 4 and then fails.
	_, err := batch(b, id,
		rowMeta(77, "caseId", "A-77", 0, 0),
		&sheets.Request{UpdateDeveloperMetadata: &sheets.UpdateDeveloperMetadataRequest{
			DataFilters:       []*sheets.DataFilter{{DeveloperMetadataLookup: &sheets.DeveloperMetadataLookup{MetadataId: 4}}},
			DeveloperMetadata: &sheets.DeveloperMetadata{Location: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{Dimension: "ROWS", StartIndex: 0, EndIndex: 1}}},
			Fields:            "location",
		}},
		&sheets.Request{DeleteSheet: &sheets.DeleteSheetRequest{SheetId: 12345}},
	)
	assertCode(t, err, 400)
	if _, err := b.sheets.Spreadsheets.DeveloperMetadata.Get(id, 77).Do(); err == nil {
		t.Fatal("metadata 77 of a failed batch exists")
	}
	if r := rowOf(4); r != 4 {
		t.Fatalf("id 4 at row %d after a failed move, want 4 (row 3 + 2 inserted - 1 moved below)", r)
	}
	mustBatch(t, b, id, rowMeta(77, "caseId", "A-77", 0, 0))
	if r := rowOf(77); r != 0 {
		t.Fatalf("id 77 at row %d, want 0", r)
	}

	// Deleting the row deletes its metadata; the id is free again.
	mustBatch(t, b, id, &sheets.Request{DeleteDimension: &sheets.DeleteDimensionRequest{
		Range: &sheets.DimensionRange{Dimension: "ROWS", StartIndex: 9, EndIndex: 10}}})
	if _, err := b.sheets.Spreadsheets.DeveloperMetadata.Get(id, 3).Do(); err == nil {
		t.Fatal("metadata 3 survived the deletion of its row")
	}
	mustBatch(t, b, id, rowMeta(3, "caseId", "A-1", 0, 1))
	if got := search(t, b, id, &sheets.DataFilter{DeveloperMetadataLookup: &sheets.DeveloperMetadataLookup{MetadataKey: "caseId"}}); !slices.Equal(got, []int64{3, 4, 77}) {
		t.Fatalf("caseId metadata = %v, want [3 4 77]", got)
	}
}
