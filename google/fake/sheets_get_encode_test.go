package fake

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"

	"google.golang.org/api/sheets/v4"
)

// TestGridEncodedDecodesLikeTheAPITypes: the hand-written grid encoding
// decodes to the same Spreadsheet as the API types' own encoding, for
// plain cells and for every cell it hands back to them.
func TestGridEncodedDecodesLikeTheAPITypes(t *testing.T) {
	s := func(v string) *string { return &v }
	n := func(v float64) *float64 { return &v }
	yes := true
	in := &sheets.Spreadsheet{
		SpreadsheetId: "id", Properties: &sheets.SpreadsheetProperties{Title: "KOPI \"Pelacakan\""},
		DeveloperMetadata: []*sheets.DeveloperMetadata{{MetadataId: 1, MetadataKey: "schema"}},
		Sheets: []*sheets.Sheet{
			{Properties: &sheets.SheetProperties{Title: "Konsultasi", SheetId: 0, ForceSendFields: []string{"SheetId"}}, Data: []*sheets.GridData{{
				StartRow: 3,
				RowData: []*sheets.RowData{
					{Values: []*sheets.CellData{
						{UserEnteredValue: &sheets.ExtendedValue{StringValue: s("=1+1 \"kutip\" \\ <b>&")}, FormattedValue: "=1+1"},
						{UserEnteredValue: &sheets.ExtendedValue{StringValue: s("Sri Wahyuni — ñ \u2028 \t")}},
						{UserEnteredValue: &sheets.ExtendedValue{NumberValue: n(46023.5)}, EffectiveValue: &sheets.ExtendedValue{NumberValue: n(46023.5)}, FormattedValue: "1/2/2026"},
						{UserEnteredValue: &sheets.ExtendedValue{NumberValue: n(0)}},
						{UserEnteredValue: &sheets.ExtendedValue{BoolValue: &yes}},
						{UserEnteredValue: &sheets.ExtendedValue{FormulaValue: s("=A1")}, EffectiveValue: &sheets.ExtendedValue{ErrorValue: &sheets.ErrorValue{Type: "REF"}}},
						{UserEnteredValue: &sheets.ExtendedValue{NumberValue: n(math.MaxFloat64)}, UserEnteredFormat: &sheets.CellFormat{NumberFormat: &sheets.NumberFormat{Type: "DATE"}}},
						{Note: "catatan"},
						{},
						nil,
					}},
					{},
					nil,
				},
				RowMetadata: []*sheets.DimensionProperties{
					{PixelSize: 21, DeveloperMetadata: []*sheets.DeveloperMetadata{{MetadataId: 202500001, MetadataKey: "kopi.row", MetadataValue: "KOPI-2025-0001",
						Location: &sheets.DeveloperMetadataLocation{LocationType: "ROW", DimensionRange: &sheets.DimensionRange{Dimension: "ROWS", StartIndex: 3, EndIndex: 4}}}}},
					{PixelSize: 40, HiddenByUser: true},
					nil,
				},
				ColumnMetadata: []*sheets.DimensionProperties{{PixelSize: 100}},
			}, {}}},
			{Properties: &sheets.SheetProperties{Title: "_kopi"}},
			nil,
		},
	}
	want, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(gridEncoded{Spreadsheet: in})
	if err != nil {
		t.Fatal(err)
	}
	var a, b sheets.Spreadsheet
	if err := json.Unmarshal(want, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got, &b); err != nil {
		t.Fatalf("%v in %s", err, got)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("decoded differently:\n got %s\nwant %s", got, want)
	}
	empty, err := json.Marshal(gridEncoded{Spreadsheet: &sheets.Spreadsheet{}})
	if err != nil || string(empty) != "{}" {
		t.Fatalf("empty spreadsheet = %s, %v", empty, err)
	}
}

// TestMetadataEncodedDecodesLikeTheAPITypes: row and column metadata
// written by hand decode to what the API types' encoding decodes to,
// located or not, zero indexes and text that JSON escapes included, and
// entries with ForceSendFields or NullFields (left to the API types).
func TestMetadataEncodedDecodesLikeTheAPITypes(t *testing.T) {
	list := []*sheets.DeveloperMetadata{
		{MetadataId: 7, MetadataKey: "kopi.row", MetadataValue: "KOPI-2025-00001", Visibility: "DOCUMENT",
			Location: &sheets.DeveloperMetadataLocation{LocationType: "ROW", DimensionRange: &sheets.DimensionRange{SheetId: 0, Dimension: "ROWS", StartIndex: 0, EndIndex: 1}}},
		{MetadataId: 1 << 40, MetadataKey: "kunci \"<&>\" \\ \u2028 ñ", MetadataValue: "nilai\n\t\x01",
			Location: &sheets.DeveloperMetadataLocation{LocationType: "COLUMN", SheetId: 12, DimensionRange: &sheets.DimensionRange{SheetId: 12, Dimension: "COLUMNS", StartIndex: 3, EndIndex: 4}}},
		{MetadataKey: "bare"},
		{Location: &sheets.DeveloperMetadataLocation{Spreadsheet: true, LocationType: "SPREADSHEET"}},
		{Location: &sheets.DeveloperMetadataLocation{}},
		nil,
		{MetadataId: 3, ForceSendFields: []string{"MetadataValue"}},
		{MetadataId: 4, Location: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{Dimension: "ROWS", ForceSendFields: []string{"StartIndex"}}}},
	}
	for i := range len(list) + 1 {
		part := list[:i]
		got, err := appendMetadataList(nil, part)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(part)
		if err != nil {
			t.Fatal(err)
		}
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("%d entries: %v in %s", i, err, got)
		}
		_ = json.Unmarshal(want, &w)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%d entries: written\n%s\nthe API types give\n%s", i, got, want)
		}
	}
}
