package fake

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strconv"

	"google.golang.org/api/sheets/v4"
)

// The API types encode themselves through a generic MarshalJSON that
// encoding/json re-scans at every level of nesting, so a grid of 50,000
// rows cost the fake seconds per read. gridEncoded writes the grid part
// of a Spreadsheet by hand — cells that hold only values and rows and
// columns that carry only a size and developer metadata, which is what a
// tracker is made of — and leaves everything else to the API types. The
// bytes decode to the same Spreadsheet.

// gridEncoded is a rendered Spreadsheet encoded with hand-written grids.
type gridEncoded struct {
	*sheets.Spreadsheet
	// lazy, when set, holds each sheet's grid data still in the model
	// (by sheet index), encoded after the sheet's own data, if any.
	lazy gridSource
}

// gridSource is grid data encoded straight from the model: a commit's
// read-back (lazyGrids) or spreadsheets.get's grid (getGrids).
type gridSource interface {
	// of returns the blocks of the sheet at index i of the response.
	of(i int) []gridBlock
	// appendBlock writes one block's GridData.
	appendBlock(buf []byte, b gridBlock) ([]byte, error)
}

// MarshalJSON implements json.Marshaler.
func (g gridEncoded) MarshalJSON() ([]byte, error) {
	shell := *g.Spreadsheet
	shell.Sheets = nil
	buf, err := openObject(&shell)
	if err != nil || len(g.Sheets) == 0 {
		return closeObject(buf), err
	}
	buf = appendKey(buf, "sheets")
	buf = append(buf, '[')
	for i, sh := range g.Sheets {
		if i > 0 {
			buf = append(buf, ',')
		}
		if sh == nil {
			buf = append(buf, "null"...)
			continue
		}
		s := *sh
		s.Data = nil
		b, err := openObject(&s)
		if err != nil {
			return nil, err
		}
		buf = append(buf, b...)
		var blocks []gridBlock
		if g.lazy != nil {
			blocks = g.lazy.of(i)
		}
		if len(sh.Data) > 0 || len(blocks) > 0 {
			buf = appendKey(buf, "data")
			buf = append(buf, '[')
			for j, gd := range sh.Data {
				if j > 0 {
					buf = append(buf, ',')
				}
				if buf, err = appendGridData(buf, gd); err != nil {
					return nil, err
				}
			}
			for j, b := range blocks {
				if j > 0 || len(sh.Data) > 0 {
					buf = append(buf, ',')
				}
				if buf, err = g.lazy.appendBlock(buf, b); err != nil {
					return nil, err
				}
			}
			buf = append(buf, ']')
		}
		buf = closeObject(buf)
	}
	buf = append(buf, ']')
	return closeObject(buf), nil
}

// compactJSON is a response encoded already, compact, as encoding/json
// would have encoded it with HTML escaping off: it is written as it is
// (encodeResponse) or trimmed (trimToFields) without encoding it again.
type compactJSON []byte

// MarshalJSON implements json.Marshaler.
func (b compactJSON) MarshalJSON() ([]byte, error) { return b, nil }

// encodeFailure is a response that failed to encode under the lock; it
// fails again, the same way, where responses are encoded.
type encodeFailure struct{ err error }

// MarshalJSON implements json.Marshaler.
func (f encodeFailure) MarshalJSON() ([]byte, error) { return nil, f.err }

// openObject encodes v and leaves its object open for more keys.
func openObject(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return b[:len(b)-1], nil
}

// appendKey appends `"key":`, after a comma unless the object is empty.
func appendKey(buf []byte, key string) []byte {
	if buf[len(buf)-1] != '{' {
		buf = append(buf, ',')
	}
	buf = append(buf, '"')
	buf = append(buf, key...)
	return append(buf, '"', ':')
}

func closeObject(buf []byte) []byte { return append(buf, '}') }

func appendGridData(buf []byte, gd *sheets.GridData) ([]byte, error) {
	if gd == nil {
		return append(buf, "null"...), nil
	}
	shell := *gd
	shell.RowData, shell.RowMetadata, shell.ColumnMetadata = nil, nil, nil
	b, err := openObject(&shell)
	if err != nil {
		return nil, err
	}
	buf = append(buf, b...)
	if len(gd.RowData) > 0 {
		buf = appendKey(buf, "rowData")
		buf = append(buf, '[')
		for i, rd := range gd.RowData {
			if i > 0 {
				buf = append(buf, ',')
			}
			if buf, err = appendRowData(buf, rd); err != nil {
				return nil, err
			}
		}
		buf = append(buf, ']')
	}
	for _, dims := range []struct {
		key  string
		list []*sheets.DimensionProperties
	}{{"rowMetadata", gd.RowMetadata}, {"columnMetadata", gd.ColumnMetadata}} {
		if len(dims.list) == 0 {
			continue
		}
		buf = appendKey(buf, dims.key)
		buf = append(buf, '[')
		for i, dp := range dims.list {
			if i > 0 {
				buf = append(buf, ',')
			}
			if buf, err = appendDimension(buf, dp); err != nil {
				return nil, err
			}
		}
		buf = append(buf, ']')
	}
	return closeObject(buf), nil
}

func appendRowData(buf []byte, rd *sheets.RowData) ([]byte, error) {
	if rd == nil || len(rd.Values) == 0 || len(rd.ForceSendFields) > 0 || len(rd.NullFields) > 0 {
		return appendMarshal(buf, rd)
	}
	buf = append(buf, `{"values":[`...)
	var err error
	for i, cd := range rd.Values {
		if i > 0 {
			buf = append(buf, ',')
		}
		if buf, err = appendCell(buf, cd); err != nil {
			return nil, err
		}
	}
	return append(buf, ']', '}'), nil
}

// appendCell writes a cell holding only values by hand, anything else
// through its own MarshalJSON.
func appendCell(buf []byte, cd *sheets.CellData) ([]byte, error) {
	if cd == nil {
		return append(buf, "null"...), nil
	}
	rest := *cd
	rest.UserEnteredValue, rest.EffectiveValue, rest.FormattedValue = nil, nil, ""
	if !reflect.ValueOf(&rest).Elem().IsZero() || !plainValue(cd.UserEnteredValue) || !plainValue(cd.EffectiveValue) {
		return appendMarshal(buf, cd)
	}
	buf = append(buf, '{')
	if cd.UserEnteredValue != nil {
		buf = appendKey(buf, "userEnteredValue")
		buf = appendValue(buf, cd.UserEnteredValue)
	}
	if cd.EffectiveValue != nil {
		buf = appendKey(buf, "effectiveValue")
		buf = appendValue(buf, cd.EffectiveValue)
	}
	if cd.FormattedValue != "" {
		buf = appendKey(buf, "formattedValue")
		buf = appendString(buf, cd.FormattedValue)
	}
	return closeObject(buf), nil
}

// plainValue reports whether appendValue can write v: one string,
// finite number, bool or formula and nothing else.
func plainValue(v *sheets.ExtendedValue) bool {
	if v == nil {
		return true
	}
	if v.ErrorValue != nil || len(v.ForceSendFields) > 0 || len(v.NullFields) > 0 {
		return false
	}
	n := 0
	for _, set := range []bool{v.StringValue != nil, v.NumberValue != nil, v.BoolValue != nil, v.FormulaValue != nil} {
		if set {
			n++
		}
	}
	return n == 1 && (v.NumberValue == nil || !math.IsNaN(*v.NumberValue) && !math.IsInf(*v.NumberValue, 0))
}

func appendValue(buf []byte, v *sheets.ExtendedValue) []byte {
	buf = append(buf, '{')
	switch {
	case v.StringValue != nil:
		buf = appendKey(buf, "stringValue")
		buf = appendString(buf, *v.StringValue)
	case v.NumberValue != nil:
		buf = appendKey(buf, "numberValue")
		buf = strconv.AppendFloat(buf, *v.NumberValue, 'g', -1, 64)
	case v.BoolValue != nil:
		buf = appendKey(buf, "boolValue")
		buf = strconv.AppendBool(buf, *v.BoolValue)
	case v.FormulaValue != nil:
		buf = appendKey(buf, "formulaValue")
		buf = appendString(buf, *v.FormulaValue)
	}
	return closeObject(buf)
}

// appendDimension writes row or column properties; their developer
// metadata goes through its own MarshalJSON.
func appendDimension(buf []byte, dp *sheets.DimensionProperties) ([]byte, error) {
	if dp == nil {
		return append(buf, "null"...), nil
	}
	shell := *dp
	shell.DeveloperMetadata = nil
	b, err := openObject(&shell)
	if err != nil {
		return nil, err
	}
	buf = append(buf, b...)
	if len(dp.DeveloperMetadata) > 0 {
		buf = appendKey(buf, "developerMetadata")
		if buf, err = appendMetadataList(buf, dp.DeveloperMetadata); err != nil {
			return nil, err
		}
	}
	return closeObject(buf), nil
}

// appendMetadataList writes a row's or column's developer metadata by
// hand (a commit's read-back carries one entry per row: through the API
// types each cost some 2.6 kB of garbage); the bytes decode to the same
// values. An entry with ForceSendFields or NullFields anywhere is left to
// the API types.
func appendMetadataList(buf []byte, list []*sheets.DeveloperMetadata) ([]byte, error) {
	buf = append(buf, '[')
	for i, m := range list {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if buf, err = appendMetadata(buf, m); err != nil {
			return nil, err
		}
	}
	return append(buf, ']'), nil
}

func appendMetadata(buf []byte, m *sheets.DeveloperMetadata) ([]byte, error) {
	if m == nil {
		return append(buf, "null"...), nil
	}
	l := m.Location
	var d *sheets.DimensionRange
	if l != nil {
		d = l.DimensionRange
	}
	if m.ForceSendFields != nil || m.NullFields != nil || l != nil && (l.ForceSendFields != nil || l.NullFields != nil) ||
		d != nil && (d.ForceSendFields != nil || d.NullFields != nil) {
		return appendMarshal(buf, m)
	}
	buf = append(buf, '{')
	if l != nil {
		buf = appendKey(buf, "location")
		buf = append(buf, '{')
		if d != nil {
			buf = appendKey(buf, "dimensionRange")
			buf = append(buf, '{')
			buf = appendStringField(buf, "dimension", d.Dimension)
			buf = appendIntField(buf, "endIndex", d.EndIndex)
			buf = appendIntField(buf, "sheetId", d.SheetId)
			buf = appendIntField(buf, "startIndex", d.StartIndex)
			buf = append(buf, '}')
		}
		buf = appendStringField(buf, "locationType", l.LocationType)
		buf = appendIntField(buf, "sheetId", l.SheetId)
		if l.Spreadsheet {
			buf = append(appendKey(buf, "spreadsheet"), "true"...)
		}
		buf = append(buf, '}')
	}
	return append(appendMetadataFields(buf, m), '}'), nil
}

// appendMetadataFields writes the members of an entry after its location.
func appendMetadataFields(buf []byte, m *sheets.DeveloperMetadata) []byte {
	buf = appendIntField(buf, "metadataId", m.MetadataId)
	buf = appendStringField(buf, "metadataKey", m.MetadataKey)
	buf = appendStringField(buf, "metadataValue", m.MetadataValue)
	return appendStringField(buf, "visibility", m.Visibility)
}

// appendStringField writes an omitempty string member.
func appendStringField(buf []byte, key, v string) []byte {
	if v == "" {
		return buf
	}
	return appendString(appendKey(buf, key), v)
}

// appendIntField writes an omitempty int64 member.
func appendIntField(buf []byte, key string, v int64) []byte {
	if v == 0 {
		return buf
	}
	return strconv.AppendInt(appendKey(buf, key), v, 10)
}

func appendMarshal(buf []byte, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(buf, b...), nil
}

// appendString writes s as a JSON string.
func appendString(buf []byte, s string) []byte {
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c >= 0x20 && c < 0x80 && c != '"' && c != '\\'
	}
	if plain {
		buf = append(buf, '"')
		buf = append(buf, s...)
		return append(buf, '"')
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return append(buf, bytes.TrimRight(b.Bytes(), "\n")...)
}
