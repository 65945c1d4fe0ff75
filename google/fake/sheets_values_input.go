package fake

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"google.golang.org/api/sheets/v4"
)

// Value input: how a JSON value sent to values.update/append/batchUpdate
// becomes a cell, per ValueInputOption.
//
// RAW stores strings as they are (stringValue, "=1+1" included), JSON
// numbers as numberValue and booleans as boolValue.
//
// USER_ENTERED parses strings as if typed into the Sheets UI (en_US
// locale), the subset the fake models:
//   - a leading apostrophe forces text and is not stored ("'=1" → "=1");
//   - "=..." is a formula (formulaValue);
//   - numbers, with optional sign, thousands separators, decimals,
//     exponent, a trailing "%" or a leading "$": "0012" → 12 (the leading
//     zeros are lost), "+62812" → 62812 (the plus is lost), "1,234.5",
//     "12%" → 0.12 with a PERCENT format, "$5" → 5 with a CURRENCY format;
//   - any other text starting with "+" or "-" is read as a formula, as
//     the Sheets UI does ("+62 812-3456" → formulaValue "=+62 812-3456",
//     which fails to parse: #ERROR!);
//   - "TRUE"/"FALSE" in any case → boolValue;
//   - ISO dates "2024-05-01" and date-times "2024-05-01 13:45[:30]"
//     (also with "/") → the serial number with a DATE or DATE_TIME format;
//   - everything else, "@SUM(A1)" included, is text (Sheets gives "@" no
//     meaning in typed input).
//
// In both modes a JSON null leaves the cell unchanged and "" clears it.

// valueInput is the decoded ValueInputOption.
type valueInput int

const (
	inputRaw valueInput = iota
	inputUserEntered
)

// parseValueInput checks the required valueInputOption.
func parseValueInput(opt string) (valueInput, error) {
	switch opt {
	case "RAW":
		return inputRaw, nil
	case "USER_ENTERED":
		return inputUserEntered, nil
	case "", "INPUT_VALUE_OPTION_UNSPECIFIED":
		return 0, invalidArgument("Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED")
	}
	return 0, invalidArgument("Invalid valueInputOption: %s", opt)
}

// cellEdit is the effect of one input value: skip (null), clear ("") or
// set a new cell.
type cellEdit struct {
	skip  bool
	cell  *sheets.CellData // nil with !skip clears the cell
	chars int              // length of the input, for the 50,000 limit
}

// inputCell converts one JSON value into a cell edit, keeping the parts of
// the old cell (format, note, validation) that writing a value keeps.
func inputCell(v any, mode valueInput, old *sheets.CellData) (cellEdit, error) {
	var ev *sheets.ExtendedValue
	var format *sheets.NumberFormat
	chars := 0
	switch x := v.(type) {
	case nil:
		return cellEdit{skip: true}, nil
	case bool:
		ev = &sheets.ExtendedValue{BoolValue: &x}
	case float64:
		ev = &sheets.ExtendedValue{NumberValue: &x}
	case string:
		chars = utf8.RuneCountInString(x)
		if chars > maxCellChars {
			return cellEdit{}, invalidArgument("Your input contains more than the maximum of %d characters in a single cell.", maxCellChars)
		}
		if x == "" {
			break
		}
		if mode == inputRaw {
			ev = &sheets.ExtendedValue{StringValue: &x}
		} else {
			ev, format = parseUserEntered(x)
		}
	default:
		return cellEdit{}, invalidArgument("Invalid values: a value must be a string, number or boolean, got %T", v)
	}
	return cellEdit{cell: withValue(old, ev, format), chars: chars}, nil
}

// withValue returns a copy of old with a new user-entered value (nil
// clears it); format, when set, becomes the cell's number format, as
// typing a date or a percentage sets one. A cell left with nothing is nil.
func withValue(old *sheets.CellData, ev *sheets.ExtendedValue, format *sheets.NumberFormat) *sheets.CellData {
	var c sheets.CellData
	if old != nil {
		c = *old
	}
	c.UserEnteredValue = ev
	c.EffectiveValue, c.FormattedValue, c.EffectiveFormat = nil, "", nil
	if format != nil {
		f := sheets.CellFormat{}
		if c.UserEnteredFormat != nil {
			f = *c.UserEnteredFormat
		}
		f.NumberFormat = format
		c.UserEnteredFormat = &f
	}
	if c.UserEnteredValue == nil && c.UserEnteredFormat == nil && c.Note == "" &&
		c.DataValidation == nil && c.Hyperlink == "" && len(c.TextFormatRuns) == 0 {
		return nil
	}
	return &c
}

var (
	numberInputRE = regexp.MustCompile(`^[+-]?\$?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?%?$`)
	dateInputRE   = regexp.MustCompile(`^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$`)
)

// parseUserEntered interprets a typed string.
func parseUserEntered(s string) (*sheets.ExtendedValue, *sheets.NumberFormat) {
	str := func(v string) *sheets.ExtendedValue { return &sheets.ExtendedValue{StringValue: &v} }
	if strings.HasPrefix(s, "'") {
		return str(s[1:]), nil
	}
	if strings.HasPrefix(s, "=") && len(s) > 1 {
		return &sheets.ExtendedValue{FormulaValue: &s}, nil
	}
	trimmed := strings.TrimSpace(s)
	if n, format, ok := parseNumberInput(trimmed); ok {
		return &sheets.ExtendedValue{NumberValue: &n}, format
	}
	if n, format, ok := parseDateInput(trimmed); ok {
		return &sheets.ExtendedValue{NumberValue: &n}, format
	}
	switch strings.ToUpper(trimmed) {
	case "TRUE", "FALSE":
		b := strings.EqualFold(trimmed, "TRUE")
		return &sheets.ExtendedValue{BoolValue: &b}, nil
	}
	if len(s) > 1 && (s[0] == '+' || s[0] == '-') {
		f := "=" + s
		return &sheets.ExtendedValue{FormulaValue: &f}, nil
	}
	return str(s), nil
}

// parseNumberInput reads a typed number; percent and currency set a format.
func parseNumberInput(s string) (float64, *sheets.NumberFormat, bool) {
	if !numberInputRE.MatchString(s) || !strings.ContainsAny(s, "0123456789") {
		return 0, nil, false
	}
	var format *sheets.NumberFormat
	t := s
	neg := false
	if t[0] == '+' || t[0] == '-' {
		neg = t[0] == '-'
		t = t[1:]
	}
	if strings.HasPrefix(t, "$") {
		t = t[1:]
		format = &sheets.NumberFormat{Type: "CURRENCY", Pattern: `"$"#,##0.00`}
	}
	pct := strings.HasSuffix(t, "%")
	t = strings.ReplaceAll(strings.TrimSuffix(t, "%"), ",", "")
	n, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(n, 0) {
		return 0, nil, false
	}
	if pct {
		n /= 100
		format = &sheets.NumberFormat{Type: "PERCENT", Pattern: "0%"}
		if strings.Contains(t, ".") {
			format.Pattern = "0.00%"
		}
	}
	if neg {
		n = -n
	}
	return n, format, true
}

// sheetsEpoch is day 0 of Sheets' serial dates.
var sheetsEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// parseDateInput reads an ISO-like date or date-time into a serial number.
func parseDateInput(s string) (float64, *sheets.NumberFormat, bool) {
	m := dateInputRE.FindStringSubmatch(s)
	if m == nil {
		return 0, nil, false
	}
	atoi := func(x string) int { n, _ := strconv.Atoi(x); return n }
	y, mo, d := atoi(m[1]), atoi(m[2]), atoi(m[3])
	hh, mm, sec := atoi(m[4]), atoi(m[5]), atoi(m[6])
	t := time.Date(y, time.Month(mo), d, hh, mm, sec, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != mo || t.Day() != d || hh > 23 || mm > 59 || sec > 59 {
		return 0, nil, false
	}
	serial := t.Sub(sheetsEpoch).Hours() / 24
	if m[4] == "" {
		return serial, &sheets.NumberFormat{Type: "DATE", Pattern: "yyyy-mm-dd"}, true
	}
	return serial, &sheets.NumberFormat{Type: "DATE_TIME", Pattern: "yyyy-mm-dd hh:mm:ss"}, true
}
