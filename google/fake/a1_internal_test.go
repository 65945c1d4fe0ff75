package fake

import (
	"testing"

	"google.golang.org/api/sheets/v4"
)

func a1Fixture() *spreadsheet {
	ss := &spreadsheet{}
	for _, title := range []string{"Sheet1", "My Tab", "It's", "Data"} {
		ss.tabs = append(ss.tabs, newTab(&sheets.SheetProperties{Title: title}))
	}
	return ss
}

func TestParseA1(t *testing.T) {
	ss := a1Fixture()
	tests := []struct {
		in                     string
		tab                    string
		row0, row1, col0, col1 int64
		out                    string // the normalised form responses carry
	}{
		{"Sheet1!A1:B2", "Sheet1", 0, 2, 0, 2, "Sheet1!A1:B2"},
		{"sheet1!a1:b2", "Sheet1", 0, 2, 0, 2, "Sheet1!A1:B2"},
		{"B2:A1", "Sheet1", 0, 2, 0, 2, "Sheet1!A1:B2"},
		{"'My Tab'!A:C", "My Tab", 0, 1000, 0, 3, "'My Tab'!A1:C1000"},
		{"'It''s'!B3", "It's", 2, 3, 1, 2, "'It''s'!B3"},
		{"A:C", "Sheet1", 0, 1000, 0, 3, "Sheet1!A1:C1000"},
		{"A2:C", "Sheet1", 1, 1000, 0, 3, "Sheet1!A2:C1000"},
		{"Data!A5:B", "Data", 4, 1000, 0, 2, "Data!A5:B1000"},
		{"2:5", "Sheet1", 1, 5, 0, 26, "Sheet1!A2:Z5"},
		{"B3", "Sheet1", 2, 3, 1, 2, "Sheet1!B3"},
		{"Sheet1", "Sheet1", 0, 1000, 0, 26, "Sheet1!A1:Z1000"},
		{"'My Tab'", "My Tab", 0, 1000, 0, 26, "'My Tab'!A1:Z1000"},
		{"My Tab!A1", "My Tab", 0, 1, 0, 1, "'My Tab'!A1"},
		{"AA10:AB11", "Sheet1", 9, 11, 26, 28, "Sheet1!AA10:AB11"},
	}
	for _, tc := range tests {
		br, err := ss.parseA1(tc.in)
		if err != nil {
			t.Errorf("parseA1(%q): %v", tc.in, err)
			continue
		}
		got := [4]int64{br.row0, br.row1, br.col0, br.col1}
		if br.tab.props.Title != tc.tab || got != [4]int64{tc.row0, tc.row1, tc.col0, tc.col1} {
			t.Errorf("parseA1(%q) = %s %v, want %s %v", tc.in, br.tab.props.Title, got, tc.tab, [4]int64{tc.row0, tc.row1, tc.col0, tc.col1})
		}
		if a1 := br.a1(); a1 != tc.out {
			t.Errorf("parseA1(%q).a1() = %q, want %q", tc.in, a1, tc.out)
		}
	}
}

func TestParseA1Errors(t *testing.T) {
	ss := a1Fixture()
	for _, in := range []string{
		"", "Nope!A1", "'Nope'!A1", "'My Tab", "'My Tab'A1", "Sheet1!", "A1:", ":B2",
		"A0", "1A", "A1:B2:C3", "ABCD1", "A-1", "!A1", "'My Tab'!", "A:C5",
	} {
		_, err := ss.parseA1(in)
		e, ok := err.(*APIError)
		if !ok || e.Code != 400 || e.Message != "Unable to parse range: "+in {
			t.Errorf("parseA1(%q) err = %v, want 400 Unable to parse range", in, err)
		}
	}
}

func TestQuoteSheetName(t *testing.T) {
	for in, want := range map[string]string{
		"Sheet1":     "Sheet1",
		"Konsultasi": "Konsultasi",
		"My Tab":     "'My Tab'",
		"It's":       "'It''s'",
		"A1":         "'A1'",
		"R1C1":       "'R1C1'",
		"2024":       "'2024'",
		"Laporan-1":  "'Laporan-1'",
		"_state":     "_state",
	} {
		if got := quoteSheetName(in); got != want {
			t.Errorf("quoteSheetName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestColumnLetters(t *testing.T) {
	for i, want := range map[int64]string{0: "A", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA", 18277: "ZZZ"} {
		if got := columnLetters(i); got != want {
			t.Errorf("columnLetters(%d) = %q, want %q", i, got, want)
		}
		if got := columnIndex(want); got != i {
			t.Errorf("columnIndex(%q) = %d, want %d", want, got, i)
		}
	}
}

func TestFormatGeneral(t *testing.T) {
	for n, want := range map[float64]string{
		2: "2", 62812: "62812", 0.1 + 0.2: "0.3", 1.0 / 3: "0.3333333333", -1.5: "-1.5",
		1e15: "1E+15", 62812345678: "62812345678",
	} {
		if got := formatGeneral(n); got != want {
			t.Errorf("formatGeneral(%v) = %q, want %q", n, got, want)
		}
	}
}
