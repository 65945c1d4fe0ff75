package fake

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"google.golang.org/api/sheets/v4"
)

// maxGridColumns is Sheets' widest grid: 18,278 columns ("ZZZ").
const maxGridColumns = 18278

// maxA1Row is the highest row number A1 notation accepts here.
const maxA1Row = 1 << 31

// FuzzParseA1 feeds arbitrary range strings (A1 and R1C1, quoted and
// bare sheet names) to the fake's range parser. A refusal is Google's
// 400 "Unable to parse range: <input>"; an accepted range is well
// ordered and inside Sheets' limits, and the A1 text the fake writes
// back in responses parses to the very same range (format ∘ parse is
// the identity on what parse accepts).
func FuzzParseA1(f *testing.F) {
	for _, s := range []string{
		"Sheet1!A1:B2", "sheet1!a1:b2", "B2:A1", "'My Tab'!A:C", "'It''s'!B3", "A:C", "A2:C",
		"Data!A5:B", "2:5", "B3", "Sheet1", "'My Tab'", "My Tab!A1", "AA10:AB11", "R1C1:R2C3",
		"r2c3", "Sheet1!R1C1", "ZZZ1", "A2147483648", "R2147483649C1", "R1C18278", "'Konsultasi'!1:1",
		"", "!", "'", "''", "'''!A1", "A0", "A1:", ":B2", "A:C5", "Sheet1!", "=SUM(A1)", "A1\r\nB2",
		"'\u202eبات'!A1", "A\x001", "\xff\xfe!A1", strings.Repeat("A", 60000),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		ss := a1Fixture()
		br, err := ss.parseA1(in)
		if err != nil {
			var ae *APIError
			if !errors.As(err, &ae) || ae.Code != 400 || ae.Status != "INVALID_ARGUMENT" {
				t.Fatalf("parseA1(%q) error = %v, want Google's 400 INVALID_ARGUMENT", in, err)
			}
			if ae.Message != "Unable to parse range: "+in {
				t.Fatalf("parseA1(%q) message = %q, want Google's wording", in, ae.Message)
			}
			return
		}
		checkRange(t, in, br)
		if br.row1 == br.row0 || br.col1 == br.col0 {
			return // an empty grid side: nothing to write back
		}
		out := br.a1()
		again, err := ss.parseA1(out)
		if err != nil {
			t.Fatalf("parseA1(%q) wrote back %q, which does not parse: %v", in, out, err)
		}
		if again.tab != br.tab || bounds(again) != bounds(br) {
			t.Fatalf("parseA1(%q) = %s %v, written back as %q = %s %v", in, br.tab.props.Title, bounds(br), out, again.tab.props.Title, bounds(again))
		}
		if again.a1() != out {
			t.Fatalf("A1 of %q is not stable: %q then %q", in, out, again.a1())
		}
	})
}

// FuzzQuoteSheetName: any tab title (spaces, quotes, "!", digits, a
// title that reads as a cell, right-to-left text) quoted the way the
// fake writes it in responses resolves back to that tab, and only to
// it, with and without a cell part.
func FuzzQuoteSheetName(f *testing.F) {
	for _, s := range []string{
		"Konsultasi", "Konsuler", "Laporan", "_kopi_state", "My Tab", "It's", "A1", "R1C1", "rc",
		"Sheet1!A1", "Riwayat 2025", "''", "'", "!", ":", "=HYPERLINK(\"x\")", "\u202eبات", "名前", "a\nb", "x\x00y",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		if title == "" || !utf8.ValidString(title) {
			return // Sheets refuses empty titles; titles travel as JSON strings
		}
		ss := a1Fixture()
		for _, other := range ss.tabs {
			if strings.EqualFold(other.props.Title, title) {
				return // case-insensitive twins resolve to the first by design
			}
		}
		ss.tabs = append(ss.tabs, newTab(&sheets.SheetProperties{SheetId: 99, Title: title}))
		q := quoteSheetName(title)
		for _, in := range []string{q, q + "!B3", q + "!A1:C2", q + "!2:5"} {
			br, err := ss.parseA1(in)
			if err != nil {
				t.Fatalf("title %q quoted as %q: %v", title, in, err)
			}
			if br.tab.props.Title != title {
				t.Fatalf("%q resolved to tab %q, want %q", in, br.tab.props.Title, title)
			}
			checkRange(t, in, br)
		}
	})
}

// bounds is a range's four ends.
func bounds(br boundRange) [4]int64 { return [4]int64{br.row0, br.row1, br.col0, br.col1} }

// checkRange asserts what every accepted range satisfies.
func checkRange(t *testing.T, in string, br boundRange) {
	t.Helper()
	if br.tab == nil {
		t.Fatalf("parseA1(%q) accepted without a tab", in)
	}
	if br.row0 < 0 || br.col0 < 0 || br.row1 < br.row0 || br.col1 < br.col0 {
		t.Fatalf("parseA1(%q) = %v, not an ordered range", in, bounds(br))
	}
	if br.col1 > max(maxGridColumns, br.tab.colCount()) {
		t.Fatalf("parseA1(%q) = %v, wider than Sheets' %d columns", in, bounds(br), maxGridColumns)
	}
	if br.row1 > max(maxA1Row, br.tab.rowCount()) {
		t.Fatalf("parseA1(%q) = %v, past row %d", in, bounds(br), maxA1Row)
	}
}
