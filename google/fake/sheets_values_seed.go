package fake

import (
	"fmt"

	"google.golang.org/api/sheets/v4"
)

// Seed and inspect helpers for tests and the demo: they read and write
// the same model the API serves, taking the lock themselves.

// SpreadsheetValues returns the formatted values of an A1 range, as
// values.get with FORMATTED_VALUE would, but padded to a rectangle of the
// range's size clipped to the grid, so tests can index cells directly.
func (s *Server) SpreadsheetValues(spreadsheetID, a1 string) ([][]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, err := s.getSpreadsheet(spreadsheetID)
	if err != nil {
		return nil, err
	}
	br, err := ss.readRange(a1)
	if err != nil {
		return nil, err
	}
	out := make([][]string, 0, br.row1-br.row0)
	for r := br.row0; r < br.row1; r++ {
		line := make([]string, 0, br.col1-br.col0)
		for c := br.col0; c < br.col1; c++ {
			line = append(line, ss.evalCell(br.tab, r, c).formatted)
		}
		out = append(out, line)
	}
	return out, nil
}

// CellUserEnteredValue returns what is stored in one cell (a1 names a
// single cell): a string, number, bool or formula, or nil for an empty
// cell. Tests use it to tell the text "=1+1" from the formula.
func (s *Server) CellUserEnteredValue(spreadsheetID, a1 string) (*sheets.ExtendedValue, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, err := s.getSpreadsheet(spreadsheetID)
	if err != nil {
		return nil, err
	}
	br, err := ss.readRange(a1)
	if err != nil {
		return nil, err
	}
	if br.row1-br.row0 != 1 || br.col1-br.col0 != 1 {
		return nil, fmt.Errorf("cell user-entered value: %q is not a single cell", a1)
	}
	cd := br.tab.cell(br.row0, br.col0)
	if cd == nil || cd.UserEnteredValue == nil {
		return nil, nil
	}
	v := *cd.UserEnteredValue
	return &v, nil
}

// SetValues writes rows of values at an A1 range as values.update would,
// with USER_ENTERED parsing when userEntered is set and RAW otherwise —
// the way staff edit the tracking sheet by hand in a test.
func (s *Server) SetValues(spreadsheetID, a1 string, rows [][]any, userEntered bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	mode := inputRaw
	if userEntered {
		mode = inputUserEntered
	}
	// Go ints become the float64 a decoded JSON number would be.
	values := make([][]any, len(rows))
	for i, row := range rows {
		values[i] = make([]any, len(row))
		for j, v := range row {
			switch n := v.(type) {
			case int:
				v = float64(n)
			case int64:
				v = float64(n)
			}
			values[i][j] = v
		}
	}
	_, err := s.transact(spreadsheetID, func(ss *spreadsheet) (any, error) {
		br, err := ss.parseA1(a1)
		if err != nil {
			return nil, err
		}
		return ss.writeValues(br, values, writeOpts{mode: mode, anchor: true})
	})
	return err
}
