package fake

import (
	"math"
	"strconv"
	"strings"
	"time"

	"google.golang.org/api/sheets/v4"
)

// Rendering: the model stores what was entered (userEnteredValue and
// formats); effectiveValue and formattedValue are computed when a response
// is built, so every writer (values.*, batchUpdate's updateCells, ...)
// only has to store userEnteredValue.

// renderOpts are a read's ValueRenderOption and DateTimeRenderOption.
type renderOpts struct {
	value    string // FORMATTED_VALUE (default), UNFORMATTED_VALUE, FORMULA
	dateTime string // SERIAL_NUMBER (default), FORMATTED_STRING
}

func newRenderOpts(value, dateTime string) renderOpts {
	if value == "" {
		value = "FORMATTED_VALUE"
	}
	if dateTime == "" {
		dateTime = "SERIAL_NUMBER"
	}
	return renderOpts{value: value, dateTime: dateTime}
}

// evaluated is a cell's effective value and its formatted text.
type evaluated struct {
	value     *sheets.ExtendedValue
	formatted string
	format    *sheets.NumberFormat
}

// evalCell computes the effective and formatted value of the cell at
// (r, c) of t.
func (ss *spreadsheet) evalCell(t *tab, r, c int64) evaluated {
	return ss.evalCellDepth(t, r, c, 0)
}

func (ss *spreadsheet) evalCellDepth(t *tab, r, c int64, depth int) evaluated {
	cd := t.cell(r, c)
	if cd == nil || cd.UserEnteredValue == nil {
		return evaluated{}
	}
	var nf *sheets.NumberFormat
	if cd.UserEnteredFormat != nil {
		nf = cd.UserEnteredFormat.NumberFormat
	}
	uev := cd.UserEnteredValue
	var v *sheets.ExtendedValue
	switch {
	case uev.FormulaValue != nil:
		if depth > 64 {
			v = errValue("REF", "Circular dependency detected.")
		} else {
			v = (&formulaEval{ss: ss, tab: t, depth: depth + 1}).run(*uev.FormulaValue)
		}
	default:
		copied := *uev
		v = &copied
	}
	return evaluated{value: v, formatted: formatValueIn(v, nf, ss.locale()), format: nf}
}

// errValue builds an error effective value.
func errValue(typ, msg string) *sheets.ExtendedValue {
	return &sheets.ExtendedValue{ErrorValue: &sheets.ErrorValue{Type: typ, Message: msg}}
}

// errorText is how Sheets displays each error type.
var errorText = map[string]string{
	"ERROR": "#ERROR!", "NULL_VALUE": "#NULL!", "DIVIDE_BY_ZERO": "#DIV/0!",
	"VALUE": "#VALUE!", "REF": "#REF!", "NAME": "#NAME?", "NUM": "#NUM!",
	"N_A": "#N/A", "LOADING": "Loading...",
}

// formatValue renders an effective value as the Sheets UI shows it in
// en_US (formulas' text conversions use it).
func formatValue(v *sheets.ExtendedValue, nf *sheets.NumberFormat) string {
	return formatValueIn(v, nf, localeEnUS)
}

// formatValueIn renders an effective value as the Sheets UI shows it in
// the locale: numbers with its separators; dates by their pattern.
func formatValueIn(v *sheets.ExtendedValue, nf *sheets.NumberFormat, loc sheetsLocale) string {
	switch {
	case v == nil:
		return ""
	case v.StringValue != nil:
		return *v.StringValue
	case v.BoolValue != nil:
		if *v.BoolValue {
			return "TRUE"
		}
		return "FALSE"
	case v.ErrorValue != nil:
		return errorText[v.ErrorValue.Type]
	case v.NumberValue != nil:
		if isDateFormat(nf) {
			return formatNumber(*v.NumberValue, nf)
		}
		return loc.localizeNumber(formatNumber(*v.NumberValue, nf))
	}
	return ""
}

// formatNumber applies the subset of Sheets number formats the fake
// models: automatic, NUMBER/PERCENT/CURRENCY patterns made of 0, #, ",",
// "." and literals, and DATE/TIME/DATE_TIME patterns.
func formatNumber(n float64, nf *sheets.NumberFormat) string {
	if nf == nil || nf.Type == "" || nf.Type == "TEXT" {
		return formatGeneral(n)
	}
	switch nf.Type {
	case "DATE", "TIME", "DATE_TIME":
		return formatSerial(n, nf)
	}
	pattern := nf.Pattern
	if pattern == "" {
		switch nf.Type {
		case "PERCENT":
			pattern = "0.00%"
		case "CURRENCY":
			pattern = `"$"#,##0.00`
		case "SCIENTIFIC":
			return strings.ToUpper(strconv.FormatFloat(n, 'E', 2, 64))
		default:
			pattern = "#,##0.00"
		}
	}
	if i := strings.IndexByte(pattern, ';'); i >= 0 {
		pattern = pattern[:i]
	}
	return formatPattern(n, pattern)
}

// formatGeneral is Sheets' automatic format: up to 15 significant digits,
// no trailing zeros, scientific notation for very large or small numbers.
func formatGeneral(n float64) string {
	if n == 0 {
		return "0"
	}
	a := math.Abs(n)
	if a >= 1e15 || a < 1e-10 {
		s := strconv.FormatFloat(n, 'E', -1, 64)
		mant, exp, _ := strings.Cut(s, "E")
		e, _ := strconv.Atoi(exp)
		sign := "+"
		if e < 0 {
			sign, e = "-", -e
		}
		return mant + "E" + sign + strconv.Itoa(e)
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(n, 'g', 15, 64), 64)
	if a < 1 {
		r = math.Round(r*1e10) / 1e10
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// formatPattern formats n with a number pattern such as "#,##0.00",
// "0%", `"$"#,##0.00` or "0".
func formatPattern(n float64, pattern string) string {
	var prefix, suffix, core strings.Builder
	inCore, doneCore := false, false
	for i := 0; i < len(pattern); i++ {
		ch := pattern[i]
		var lit string
		switch {
		case ch == '"':
			j := strings.IndexByte(pattern[i+1:], '"')
			if j < 0 {
				j = len(pattern) - i - 1
			}
			lit = pattern[i+1 : i+1+j]
			i += j + 1
		case ch == '\\' && i+1 < len(pattern):
			lit = string(pattern[i+1])
			i++
		case strings.IndexByte("0#,.?", ch) >= 0 && !doneCore:
			inCore = true
			core.WriteByte(ch)
			continue
		case ch == '%':
			n *= 100
			lit = "%"
		default:
			lit = string(ch)
		}
		if inCore {
			doneCore = true
		}
		if doneCore {
			suffix.WriteString(lit)
		} else {
			prefix.WriteString(lit)
		}
	}
	c := core.String()
	decimals := 0
	if i := strings.IndexByte(c, '.'); i >= 0 {
		decimals = strings.Count(c[i:], "0")
	}
	s := strconv.FormatFloat(math.Abs(n), 'f', decimals, 64)
	if strings.Contains(c, ",") {
		intPart, frac, _ := strings.Cut(s, ".")
		var b strings.Builder
		for i, d := range intPart {
			if i > 0 && (len(intPart)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(d)
		}
		s = b.String()
		if frac != "" {
			s += "." + frac
		}
	}
	if c != "" && !strings.Contains(c, "0") && s == "0" {
		s = ""
	}
	sign := ""
	if n < 0 && strings.Trim(s, "0.,") != "" {
		sign = "-"
	}
	return sign + prefix.String() + s + suffix.String()
}

// serialTime converts a serial number to a time.
func serialTime(n float64) time.Time {
	return sheetsEpoch.Add(time.Duration(math.Round(n*86400)) * time.Second)
}

// formatSerial formats a date/time serial with the pattern's common
// tokens: yyyy yy mmmm mmm mm m dd d hh h ss and "mm" after hh as minutes.
func formatSerial(n float64, nf *sheets.NumberFormat) string {
	t := serialTime(n)
	pattern := nf.Pattern
	if pattern == "" {
		pattern = map[string]string{"DATE": "yyyy-mm-dd", "TIME": "hh:mm:ss", "DATE_TIME": "yyyy-mm-dd hh:mm:ss"}[nf.Type]
	}
	var b strings.Builder
	lower := strings.ToLower(pattern)
	lastWasHour := false
	for i := 0; i < len(lower); {
		run := 1
		for i+run < len(lower) && lower[i+run] == lower[i] {
			run++
		}
		tok := lower[i : i+run]
		switch lower[i] {
		case 'y':
			if run <= 2 {
				b.WriteString(t.Format("06"))
			} else {
				b.WriteString(t.Format("2006"))
			}
		case 'm':
			minute := lastWasHour || strings.HasPrefix(strings.TrimLeft(lower[i+run:], ":."), "s")
			switch {
			case minute:
				b.WriteString(pad2(t.Minute(), run))
			case run >= 4:
				b.WriteString(t.Month().String())
			case run == 3:
				b.WriteString(t.Month().String()[:3])
			default:
				b.WriteString(pad2(int(t.Month()), run))
			}
		case 'd':
			if run >= 3 {
				b.WriteString(t.Weekday().String()[:3])
			} else {
				b.WriteString(pad2(t.Day(), run))
			}
		case 'h':
			b.WriteString(pad2(t.Hour(), run))
		case 's':
			b.WriteString(pad2(t.Second(), run))
		case '"':
			j := strings.IndexByte(pattern[i+1:], '"')
			if j < 0 {
				j = len(pattern) - i - 1
			}
			b.WriteString(pattern[i+1 : i+1+j])
			i += j + 2
			continue
		default:
			b.WriteString(pattern[i : i+run])
		}
		if tok[0] == 'h' {
			lastWasHour = true
		} else if tok[0] != ':' && tok[0] != '.' {
			lastWasHour = false
		}
		i += run
	}
	return b.String()
}

func pad2(v, width int) string {
	s := strconv.Itoa(v)
	if width >= 2 && len(s) < 2 {
		s = "0" + s
	}
	return s
}

// isDateFormat reports whether dateTimeRenderOption applies to a cell.
func isDateFormat(nf *sheets.NumberFormat) bool {
	return nf != nil && (nf.Type == "DATE" || nf.Type == "TIME" || nf.Type == "DATE_TIME")
}

// renderValue is one cell as values.get returns it; nil for an empty cell.
func (ss *spreadsheet) renderValue(t *tab, r, c int64, o renderOpts) any {
	cd := t.cell(r, c)
	if cd == nil || cd.UserEnteredValue == nil {
		return nil
	}
	if o.value == "FORMULA" && cd.UserEnteredValue.FormulaValue != nil {
		return *cd.UserEnteredValue.FormulaValue
	}
	e := ss.evalCell(t, r, c)
	if o.value == "FORMATTED_VALUE" {
		return e.formatted
	}
	v := e.value
	switch {
	case v.NumberValue != nil:
		if isDateFormat(e.format) && o.dateTime == "FORMATTED_STRING" {
			return e.formatted
		}
		return *v.NumberValue
	case v.BoolValue != nil:
		return *v.BoolValue
	case v.StringValue != nil:
		return *v.StringValue
	}
	return e.formatted
}

// renderCellData is a cell as spreadsheets.get returns it with grid data:
// the stored cell plus its effective and formatted value.
func (ss *spreadsheet) renderCellData(t *tab, r, c int64) *sheets.CellData {
	cd := t.cell(r, c)
	if cd == nil {
		return &sheets.CellData{}
	}
	out := *cd
	if cd.UserEnteredValue != nil {
		e := ss.evalCell(t, r, c)
		out.EffectiveValue, out.FormattedValue = e.value, e.formatted
	}
	if ef := effectiveFormat(cd); ef != cd.EffectiveFormat {
		f := *ef
		out.EffectiveFormat = &f
	}
	return &out
}

// effectiveFormat is the effective format a cell is read with: the one
// stored, else, for a cell holding a value, its user-entered format.
func effectiveFormat(cd *sheets.CellData) *sheets.CellFormat {
	if cd.EffectiveFormat == nil && cd.UserEnteredValue != nil {
		return cd.UserEnteredFormat
	}
	return cd.EffectiveFormat
}
