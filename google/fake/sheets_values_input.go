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
// USER_ENTERED parses strings as if typed into the Sheets UI in the
// spreadsheet's locale (sheets_locale.go), the subset the fake models:
//   - a leading apostrophe forces text and is not stored ("'=1" → "=1");
//   - "=..." is a formula (formulaValue);
//   - numbers, with optional sign, thousands separators, decimals,
//     exponent, a trailing "%" or a leading "$": "0012" → 12 (the leading
//     zeros are lost), "+62812" → 62812 (the plus is lost), "1,234.5"
//     (en_US) or "1.234,5" (id_ID),
//     "12%" → 0.12 with a PERCENT format, "$5" → 5 with a CURRENCY format;
//   - any other text starting with "+" or "-" is read as a formula, as
//     the Sheets UI does ("+62 812-3456" → formulaValue "=+62 812-3456",
//     which fails to parse: #ERROR!);
//   - "TRUE"/"FALSE" in any case → boolValue;
//   - ISO dates "2024-05-01" and date-times "2024-05-01 13:45[:30]"
//     (also with "/") → the serial number with a DATE or DATE_TIME format;
//   - locale dates "1/15/2026" (en_US, month first) or "15/01/2026"
//     (id_ID, day first), optionally with a time → DATE or DATE_TIME;
//   - times "16:00" (both) or "16.00" (id_ID) → a TIME serial (16/24);
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
func inputCell(v any, mode valueInput, old *sheets.CellData, loc sheetsLocale) (cellEdit, error) {
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
			ev, format = parseUserEntered(x, loc)
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
	dateInputRE = regexp.MustCompile(`^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$`)
)

// parseUserEntered interprets a typed string.
func parseUserEntered(s string, loc sheetsLocale) (*sheets.ExtendedValue, *sheets.NumberFormat) {
	str := func(v string) *sheets.ExtendedValue { return &sheets.ExtendedValue{StringValue: &v} }
	if strings.HasPrefix(s, "'") {
		return str(s[1:]), nil
	}
	if strings.HasPrefix(s, "=") && len(s) > 1 {
		return &sheets.ExtendedValue{FormulaValue: &s}, nil
	}
	trimmed := strings.TrimSpace(s)
	if n, format, ok := parseNumberInput(trimmed, loc); ok {
		return &sheets.ExtendedValue{NumberValue: &n}, format
	}
	if n, format, ok := parseDateInput(trimmed, loc); ok {
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
func parseNumberInput(s string, loc sheetsLocale) (float64, *sheets.NumberFormat, bool) {
	if !loc.number.MatchString(s) || !strings.ContainsAny(s, "0123456789") {
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
	t = loc.canonicalNumber(strings.TrimSuffix(t, "%"))
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

// parseDateInput reads an ISO-like date or date-time, a date in the
// locale's order, or a time of day, into a serial number.
func parseDateInput(s string, loc sheetsLocale) (float64, *sheets.NumberFormat, bool) {
	atoi := func(x string) int { n, _ := strconv.Atoi(x); return n }
	var y, mo, d, hh, mm, sec int
	var datePattern, timePattern string
	if m := dateInputRE.FindStringSubmatch(s); m != nil {
		y, mo, d = atoi(m[1]), atoi(m[2]), atoi(m[3])
		hh, mm, sec = atoi(m[4]), atoi(m[5]), atoi(m[6])
		datePattern, timePattern = "yyyy-mm-dd", ""
		if m[4] != "" {
			timePattern = "hh:mm:ss"
		}
	} else if m := loc.slashDate.FindStringSubmatch(s); m != nil {
		mo, d, y = atoi(m[1]), atoi(m[2]), atoi(m[3])
		if loc.id {
			mo, d = d, mo
		}
		hh, mm, sec = atoi(m[4]), atoi(m[5]), atoi(m[6])
		datePattern = loc.datePattern
		if m[4] != "" {
			timePattern = loc.timePattern
		}
	} else if m := loc.clock.FindStringSubmatch(s); m != nil {
		hh, mm, sec = atoi(m[1]), atoi(m[2]), atoi(m[3])
		if hh > 23 || mm > 59 || sec > 59 {
			return 0, nil, false
		}
		return float64(hh*3600+mm*60+sec) / 86400, &sheets.NumberFormat{Type: "TIME", Pattern: loc.timePattern}, true
	} else {
		return 0, nil, false
	}
	t := time.Date(y, time.Month(mo), d, hh, mm, sec, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != mo || t.Day() != d || hh > 23 || mm > 59 || sec > 59 {
		return 0, nil, false
	}
	serial := t.Sub(sheetsEpoch).Hours() / 24
	if timePattern == "" {
		return serial, &sheets.NumberFormat{Type: "DATE", Pattern: datePattern}, true
	}
	return serial, &sheets.NumberFormat{Type: "DATE_TIME", Pattern: datePattern + " " + timePattern}, true
}
