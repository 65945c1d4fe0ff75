package fake

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"google.golang.org/api/sheets/v4"
)

// A batchUpdate is decoded into the API types once, with the cells of
// updateCells and appendCells — nearly all of a commit's bytes — read by
// hand when they have the plain shape kopi writes (one user-entered
// string, number, boolean or formula). encoding/json takes every other
// cell and everything else, so the result is the value json.Unmarshal
// gives (a differential test and FuzzDecodeBatchRequest hold it to
// that): the API types decode each cell's value through its own
// UnmarshalJSON, which scans and decodes the cell's bytes a second time.

// batchRequestIn is BatchUpdateSpreadsheetRequest with its requests
// decoded through requestIn.
type batchRequestIn struct {
	sheets.BatchUpdateSpreadsheetRequest
	Requests []*requestIn `json:"requests"`
}

// requestIn is a Request whose updateCells and appendCells rows are
// decoded through rowsIn.
type requestIn struct {
	sheets.Request
	UpdateCells *updateCellsIn `json:"updateCells"`
	AppendCells *appendCellsIn `json:"appendCells"`
}

type updateCellsIn struct {
	sheets.UpdateCellsRequest
	Rows rowsIn `json:"rows"`
}

type appendCellsIn struct {
	sheets.AppendCellsRequest
	Rows rowsIn `json:"rows"`
}

// rowsIn is []*sheets.RowData decoded with plain cells read by hand.
type rowsIn []*sheets.RowData

// decodeBatchRequest decodes a checked batchUpdate body.
func decodeBatchRequest(body []byte) (*sheets.BatchUpdateSpreadsheetRequest, error) {
	var in batchRequestIn
	if len(body) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			return nil, invalidArgument("Invalid JSON payload received. %s", jsonErrText(err))
		}
	}
	out := in.BatchUpdateSpreadsheetRequest
	if in.Requests != nil {
		out.Requests = make([]*sheets.Request, len(in.Requests))
	}
	for i, r := range in.Requests {
		if r == nil {
			continue
		}
		req := r.Request
		if u := r.UpdateCells; u != nil {
			uc := u.UpdateCellsRequest
			uc.Rows = u.Rows
			req.UpdateCells = &uc
		}
		if a := r.AppendCells; a != nil {
			ac := a.AppendCellsRequest
			ac.Rows = a.Rows
			req.AppendCells = &ac
		}
		out.Requests[i] = &req
	}
	return &out, nil
}

// UnmarshalJSON decodes rows in one pass, taking plain rows by hand and
// handing a row of any other shape to encoding/json.
func (rs *rowsIn) UnmarshalJSON(data []byte) error {
	if isJSONNull(data) {
		*rs = nil
		return nil
	}
	p := &bodyScan{b: data}
	p.space()
	if !p.literal("[") {
		return json.Unmarshal(data, (*[]*sheets.RowData)(rs)) // not an array: its error
	}
	rows := []*sheets.RowData{}
	p.space()
	if p.literal("]") {
		*rs = rows
		return nil
	}
	for {
		p.space()
		start := p.i
		rd, ok := p.plainRow()
		if !ok {
			p.i = start
			if !p.skip() {
				return json.Unmarshal(data, (*[]*sheets.RowData)(rs))
			}
			rd = nil
			if err := json.Unmarshal(p.b[start:p.i], &rd); err != nil {
				return err
			}
		}
		rows = append(rows, rd)
		p.space()
		if p.literal(",") {
			continue
		}
		if p.literal("]") && p.rest() {
			*rs = rows
			return nil
		}
		return json.Unmarshal(data, (*[]*sheets.RowData)(rs))
	}
}

// plainRow decodes, at p.i, {"values":[cell,...]} whose cells are all
// null or plain (plainCell); ok is false for any other row, and p.i is
// then anywhere. A row's cells are allocated together.
func (p *bodyScan) plainRow() (*sheets.RowData, bool) {
	if !p.literal("{") {
		return nil, false
	}
	p.space()
	if !p.literal(`"values"`) {
		return nil, false
	}
	p.space()
	if !p.literal(":") {
		return nil, false
	}
	p.space()
	if !p.literal("[") {
		return nil, false
	}
	var cells []*sheets.CellData
	var store []sheets.CellData
	var values []sheets.ExtendedValue
	p.space()
	if !p.literal("]") {
		for {
			p.space()
			if p.literal("null") {
				cells = append(cells, nil)
			} else {
				if len(store) == cap(store) {
					store = make([]sheets.CellData, 0, 16)
					values = make([]sheets.ExtendedValue, 0, 16)
				}
				store = store[:len(store)+1]
				values = values[:len(values)+1]
				cd, v := &store[len(store)-1], &values[len(values)-1]
				if !p.plainCell(cd, v) {
					return nil, false
				}
				cells = append(cells, cd)
			}
			p.space()
			if p.literal(",") {
				continue
			}
			if p.literal("]") {
				break
			}
			return nil, false
		}
	}
	p.space()
	if !p.literal("}") {
		return nil, false
	}
	if cells == nil {
		cells = []*sheets.CellData{}
	}
	return &sheets.RowData{Values: cells}, true
}

// plainCell decodes into cd, at p.i, {} or {"userEnteredValue":{K:V}}
// with at most one member K among stringValue, formulaValue (a string),
// numberValue (a JSON number) and boolValue; v is the value's storage.
// It reports false for any other cell.
func (p *bodyScan) plainCell(cd *sheets.CellData, v *sheets.ExtendedValue) bool {
	if !p.literal("{") {
		return false
	}
	p.space()
	if p.literal("}") {
		return true
	}
	if !p.literal(`"userEnteredValue"`) {
		return false
	}
	p.space()
	if !p.literal(":") {
		return false
	}
	p.space()
	if !p.literal("{") {
		return false
	}
	p.space()
	if !p.literal("}") {
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return false
		}
		key, escaped, ok := p.str()
		if !ok || escaped {
			return false
		}
		p.space()
		if !p.literal(":") {
			return false
		}
		p.space()
		if p.i >= len(p.b) {
			return false
		}
		switch string(key) {
		case "stringValue", "formulaValue":
			if p.b[p.i] != '"' {
				return false
			}
			at := p.i
			raw, escaped, ok := p.str()
			if !ok {
				return false
			}
			s := string(raw)
			// encoding/json unescapes and replaces invalid UTF-8
			if (escaped || !utf8.Valid(raw)) && json.Unmarshal(p.b[at:p.i], &s) != nil {
				return false
			}
			if string(key) == "stringValue" {
				v.StringValue = &s
			} else {
				v.FormulaValue = &s
			}
		case "numberValue":
			at := p.i
			if !p.number() {
				return false
			}
			f, err := strconv.ParseFloat(string(p.b[at:p.i]), 64)
			if err != nil {
				return false
			}
			v.NumberValue = &f
		case "boolValue":
			b := p.literal("true")
			if !b && !p.literal("false") {
				return false
			}
			v.BoolValue = &b
		default:
			return false
		}
		p.space()
		if !p.literal("}") {
			return false
		}
	}
	p.space()
	if !p.literal("}") {
		return false
	}
	cd.UserEnteredValue = v
	return true
}

// rest reports whether only white space is left.
func (p *bodyScan) rest() bool {
	p.space()
	return p.i == len(p.b)
}
