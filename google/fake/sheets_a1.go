package fake

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// boundRange is a range resolved against one tab: half-open row and column
// intervals with unbounded sides replaced by the grid's size.
type boundRange struct {
	tab           *tab
	row0, row1    int64
	col0, col1    int64
	rowsUnbounded bool // the A1 or GridRange had no row bounds (e.g. "A:C")
	colsUnbounded bool // the A1 or GridRange had no column bounds (e.g. "2:5")
}

// maxColumnLetters bounds column names: Sheets' widest grid is 18,278
// columns ("ZZZ").
const maxColumnLetters = 3

// a1Ref is one side of an A1 range; a negative field is absent ("A" has no
// row, "5" has no column).
type a1Ref struct{ row, col int64 }

// parseA1 resolves A1 notation against the spreadsheet. Accepted forms, as
// Sheets accepts them: "Sheet1!A1:B2", "'My Tab'!A:C" (quotes doubled
// inside: 'It”s'), "A2:C" and "A5:B" (rows to the end of the grid), "2:5",
// "A:C", a single cell "B3", a bare sheet name "Sheet1" or "'My Tab'", and
// any range without a sheet name, which refers to the first tab. Column
// letters and sheet names match case-insensitively. The result is not
// clipped to the grid: callers clip reads and refuse writes beyond it.
func (ss *spreadsheet) parseA1(a1 string) (boundRange, error) {
	bad := func() (boundRange, error) {
		return boundRange{}, invalidArgument("Unable to parse range: %s", a1)
	}
	s := strings.TrimSpace(a1)
	if s == "" || len(ss.tabs) == 0 {
		return bad()
	}
	var t *tab
	cells := s
	if strings.HasPrefix(s, "'") {
		name, rest, ok := unquoteSheetName(s)
		if !ok {
			return bad()
		}
		if t = ss.tabByName(name); t == nil {
			return bad()
		}
		switch {
		case rest == "":
			return wholeTab(t), nil
		case strings.HasPrefix(rest, "!") && len(rest) > 1:
			cells = rest[1:]
		default:
			return bad()
		}
	} else if i := strings.LastIndex(s, "!"); i >= 0 {
		if t = ss.tabByName(s[:i]); t == nil || i == len(s)-1 {
			return bad()
		}
		cells = s[i+1:]
	} else if named := ss.tabByName(s); named != nil {
		// A sheet's name wins over a cell of the same spelling ("Sheet1"
		// is also column SHEET, row 1).
		return wholeTab(named), nil
	} else {
		t = ss.tabs[0]
	}
	br, ok := parseCells(cells)
	if !ok {
		return bad()
	}
	br.tab = t
	if br.rowsUnbounded {
		br.row1 = t.rowCount()
	} else if br.row1 < 0 {
		br.row1 = t.rowCount()
		br.rowsUnbounded = false
	}
	if br.colsUnbounded {
		br.col1 = t.colCount()
	} else if br.col1 < 0 {
		br.col1 = t.colCount()
	}
	// An open end resolved to the grid's edge before the start ("A2000:B"
	// on 1,000 rows, "AB1:1" on 26 columns) is an empty range, never a
	// reversed one.
	br.row1, br.col1 = max(br.row1, br.row0), max(br.col1, br.col0)
	return br, nil
}

// wholeTab is the range of every cell of t.
func wholeTab(t *tab) boundRange {
	return boundRange{tab: t, row1: t.rowCount(), col1: t.colCount(), rowsUnbounded: true, colsUnbounded: true}
}

// tabByName finds a tab by title, exactly first and then ignoring case, as
// Sheets resolves the sheet part of A1 notation.
func (ss *spreadsheet) tabByName(name string) *tab {
	if t := ss.tabByTitle(name); t != nil {
		return t
	}
	for _, t := range ss.tabs {
		if strings.EqualFold(t.props.Title, name) {
			return t
		}
	}
	return nil
}

// unquoteSheetName reads a quoted sheet name at the start of s and returns
// it with what follows the closing quote.
func unquoteSheetName(s string) (name, rest string, ok bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != '\'' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		return b.String(), s[i+1:], b.Len() > 0
	}
	return "", "", false
}

// parseCells parses the part after "!". Unknown ends are returned as -1 in
// row1/col1 (open-ended "A2:C") or flagged unbounded ("A:C", "2:5").
func parseCells(s string) (boundRange, bool) {
	left, right, isRange := strings.Cut(s, ":")
	if a, ok := parseR1C1(left); ok {
		// R1C1 notation, which the Sheets API accepts as well as A1:
		// both ends must be absolute cells ("R1C1:R2C3").
		b := a
		if isRange {
			if b, ok = parseR1C1(right); !ok {
				return boundRange{}, false
			}
		}
		var br boundRange
		br.row0, br.row1 = orderPair(a.row, b.row)
		br.col0, br.col1 = orderPair(a.col, b.col)
		return br, true
	}
	a, ok := parseRef(left)
	if !ok {
		return boundRange{}, false
	}
	if !isRange {
		if a.row < 0 || a.col < 0 {
			return boundRange{}, false
		}
		return boundRange{row0: a.row, row1: a.row + 1, col0: a.col, col1: a.col + 1}, true
	}
	b, ok := parseRef(right)
	if !ok {
		return boundRange{}, false
	}
	var br boundRange
	switch {
	case a.row < 0 && b.row < 0: // "A:C"
		if a.col < 0 || b.col < 0 {
			return boundRange{}, false
		}
		br.rowsUnbounded = true
	case a.col < 0 && b.col < 0: // "2:5"
		br.colsUnbounded = true
	case a.row < 0 || a.col < 0: // "A:C5" and "5:C5" are not ranges
		return boundRange{}, false
	}
	br.col0, br.col1 = orderPair(a.col, b.col)
	br.row0, br.row1 = orderPair(a.row, b.row)
	if br.rowsUnbounded {
		br.row0, br.row1 = 0, -1
	}
	if br.colsUnbounded {
		br.col0, br.col1 = 0, -1
	}
	return br, true
}

// orderPair turns two inclusive indexes into a half-open interval; a
// missing second index (-1) leaves the end open (-1).
func orderPair(x, y int64) (int64, int64) {
	if y < 0 {
		return x, -1
	}
	if x > y {
		x, y = y, x
	}
	return x, y + 1
}

// parseRef parses "B3", "B", "3" (case-insensitive) into zero-based
// indexes, -1 for an absent part.
func parseRef(s string) (a1Ref, bool) {
	ref := a1Ref{row: -1, col: -1}
	i := 0
	for i < len(s) && isASCIILetter(s[i]) {
		i++
	}
	if i > maxColumnLetters || (i == 0 && len(s) == 0) {
		return ref, false
	}
	if i > 0 {
		ref.col = columnIndex(strings.ToUpper(s[:i]))
	}
	if digits := s[i:]; digits != "" {
		n, err := strconv.ParseInt(digits, 10, 64)
		if err != nil || n < 1 || digits[0] == '+' || digits[0] == '-' || n > 1<<31 {
			return ref, false
		}
		ref.row = n - 1
	}
	return ref, true
}

// r1c1Cell is an absolute R1C1 cell reference ("R2C3").
var r1c1Cell = regexp.MustCompile(`(?i)^R([1-9][0-9]*)C([1-9][0-9]*)$`)

// parseR1C1 reads an absolute R1C1 cell ("R2C3" is row 2, column 3).
func parseR1C1(s string) (a1Ref, bool) {
	m := r1c1Cell.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return a1Ref{}, false
	}
	r, err1 := strconv.ParseInt(m[1], 10, 64)
	c, err2 := strconv.ParseInt(m[2], 10, 64)
	// Rows are bounded as in A1 notation (parseRef), so a range read in
	// R1C1 can be written back in A1.
	if err1 != nil || err2 != nil || c > 18278 || r > 1<<31 {
		return a1Ref{}, false
	}
	return a1Ref{row: r - 1, col: c - 1}, true
}

// r1c1 matches names Sheets would read as R1C1 references.
var r1c1 = regexp.MustCompile(`(?i)^R[0-9]*C[0-9]*$`)

func isASCIILetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

// columnIndex converts upper-case column letters to a zero-based index.
func columnIndex(letters string) int64 {
	var n int64
	for _, c := range letters {
		n = n*26 + int64(c-'A'+1)
	}
	return n - 1
}

// columnLetters converts a zero-based column index to its letters.
func columnLetters(i int64) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}

// quoteSheetName quotes a sheet name for A1 notation when Sheets would:
// anything but a plain word, and names that read as a cell ("A1", "R1C1").
func quoteSheetName(name string) string {
	plain := name != ""
	for i, r := range name {
		if !(unicode.IsLetter(r) || r == '_' || (i > 0 && unicode.IsDigit(r))) {
			plain = false
			break
		}
	}
	if plain {
		if ref, ok := parseRef(name); ok && ref.row >= 0 && ref.col >= 0 {
			plain = false
		}
		if r1c1.MatchString(name) {
			plain = false
		}
	}
	if plain {
		return name
	}
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

// a1 formats the range as Sheets writes it in responses: the quoted sheet
// name and explicit corners ("Sheet1!A1:C1000"), a lone cell as "Sheet1!B3".
func (br boundRange) a1() string {
	name := quoteSheetName(br.tab.props.Title)
	if cells := br.cellsA1(); cells != "" {
		return name + "!" + cells
	}
	return name
}

// cellsA1 is the part after "!": "A1:C1000", "B3", or "" when empty.
func (br boundRange) cellsA1() string {
	if br.row1 <= br.row0 || br.col1 <= br.col0 {
		return ""
	}
	first := columnLetters(br.col0) + strconv.FormatInt(br.row0+1, 10)
	if br.row1-br.row0 == 1 && br.col1-br.col0 == 1 {
		return first
	}
	return first + ":" + columnLetters(br.col1-1) + strconv.FormatInt(br.row1, 10)
}

// clip bounds the range to the grid; ok is false when nothing of it lies
// inside the grid.
func (br boundRange) clip() (boundRange, bool) {
	br.row1 = min(br.row1, br.tab.rowCount())
	br.col1 = min(br.col1, br.tab.colCount())
	return br, br.row0 < br.row1 && br.col0 < br.col1
}

// inGrid reports whether the whole range lies inside the grid.
func (br boundRange) inGrid() bool {
	return br.row1 <= br.tab.rowCount() && br.col1 <= br.tab.colCount()
}

// gridLimitError is Sheets' refusal of a range outside the grid.
func (br boundRange) gridLimitError() error {
	// Google always quotes the sheet name in this message.
	name := "'" + strings.ReplaceAll(br.tab.props.Title, "'", "''") + "'"
	return invalidArgument("Range (%s!%s) exceeds grid limits. Max rows: %d, max columns: %d",
		name, br.cellsA1(), br.tab.rowCount(), br.tab.colCount())
}
