package fake

import (
	"regexp"
	"strings"

	"google.golang.org/api/sheets/v4"
)

// Locale: Google parses typed input "following the same rules that are
// applied when entering text into a cell via the Google Sheets UI"
// (ValueInputOption USER_ENTERED) and renders FORMATTED_STRING dates "in
// their given number format (which depends on the spreadsheet locale)"
// (DateTimeRenderOption). The fake models two locales, chosen per
// spreadsheet by properties.locale (set on create, changed with
// updateSpreadsheetProperties):
//
//   - en_US (the default of spreadsheets.create): "1,234.5" is a number,
//     "1/15/2026" is 15 January (month first), "16:00" a time;
//   - id_ID (and any "id" locale): "1.234" is one thousand two hundred
//     thirty-four, "1234,5" a decimal, "15/01/2026" is 15 January (day
//     first), "16.00" and "16:00" are times; numbers display with "."
//     grouping and "," decimals.
//
// Any other locale is read as en_US. Date serials are the same in every
// locale (days since 1899-12-30); only parsing and display differ.

// sheetsLocale is how one spreadsheet locale reads and shows values.
type sheetsLocale struct {
	id          bool           // id_ID conventions
	number      *regexp.Regexp // a typed number
	slashDate   *regexp.Regexp // a typed D/M/YYYY or M/D/YYYY date, optional time
	clock       *regexp.Regexp // a typed time of day
	datePattern string         // number format a typed slash date gets
	timePattern string         // number format a typed time gets
}

var (
	localeEnUS = sheetsLocale{
		number:      regexp.MustCompile(`^[+-]?\$?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?%?$`),
		slashDate:   regexp.MustCompile(`^(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$`),
		clock:       regexp.MustCompile(`^(\d{1,2}):(\d{2})(?::(\d{2}))?$`),
		datePattern: "M/d/yyyy",
		timePattern: "hh:mm:ss",
	}
	localeIdID = sheetsLocale{
		id:          true,
		number:      regexp.MustCompile(`^[+-]?\$?(\d{1,3}(\.\d{3})+|\d+)?(,\d+)?([eE][+-]?\d+)?%?$`),
		slashDate:   regexp.MustCompile(`^(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?:\s+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$`),
		clock:       regexp.MustCompile(`^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$`),
		datePattern: "dd/MM/yyyy",
		timePattern: "HH.mm.ss",
	}
)

// localeOf is the locale model of a spreadsheet's properties.
func localeOf(props *sheets.SpreadsheetProperties) sheetsLocale {
	if props != nil {
		l := strings.ToLower(props.Locale)
		if l == "id" || strings.HasPrefix(l, "id_") || strings.HasPrefix(l, "in_") {
			return localeIdID
		}
	}
	return localeEnUS
}

// locale is the spreadsheet's locale model.
func (ss *spreadsheet) locale() sheetsLocale { return localeOf(ss.props) }

// canonicalNumber rewrites a typed number matched by l.number into Go
// syntax: grouping removed, the decimal separator made ".".
func (l sheetsLocale) canonicalNumber(s string) string {
	if !l.id {
		return strings.ReplaceAll(s, ",", "")
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".")
}

// localizeNumber turns a number displayed with en_US separators into the
// locale's: for id_ID "," and "." swap.
func (l sheetsLocale) localizeNumber(s string) string {
	if !l.id {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case ',':
			return '.'
		case '.':
			return ','
		}
		return r
	}, s)
}
