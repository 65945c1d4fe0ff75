package fake

import (
	"fmt"

	"google.golang.org/api/sheets/v4"
)

// Read-only helpers for tests and the demo that look at a spreadsheet
// without changing it. They take the state lock without counting a
// spreadsheet generation (readcache.go), as the cached read does, so a
// test reading the tracker between kopi's cycles (the simulation's staff
// and checks) does not make the next spreadsheets.get miss the cache.
// TestSheetsPeekOnlyReads keeps this file to that: its functions assign
// only to their own variables and call only reading functions.

// SpreadsheetValues returns the formatted values of an A1 range, as
// values.get with FORMATTED_VALUE would, but padded to a rectangle of the
// range's size clipped to the grid, so tests can index cells directly.
func (s *Server) SpreadsheetValues(spreadsheetID, a1 string) ([][]string, error) {
	s.mu.lockKeepingSheets()
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
	s.mu.lockKeepingSheets()
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

// Spreadsheet returns a spreadsheet as spreadsheets.get with
// includeGridData=true would: every tab's properties, protected ranges,
// charts and cells (user-entered, effective and formatted values, data
// validation), trailing empty rows and cells left out. Errors are the
// *APIError Google gives for an unknown spreadsheet.
func (s *Server) Spreadsheet(spreadsheetID string) (*sheets.Spreadsheet, error) {
	s.mu.lockKeepingSheets()
	defer s.mu.Unlock()
	ss, err := s.getSpreadsheet(spreadsheetID)
	if err != nil {
		return nil, err
	}
	return ss.render(nil, true), nil
}

// SortsApplied returns how many sortRange requests the spreadsheet has
// had applied (by anyone, in batchUpdates that succeeded) since it was
// created. The fake's sort behaviours (Options.SortLeavesMetadata) differ
// only in what sortRange does, so a test that finds none applied has run
// the same under each of them.
func (s *Server) SortsApplied(spreadsheetID string) (int, error) {
	s.mu.lockKeepingSheets()
	defer s.mu.Unlock()
	ss, err := s.getSpreadsheet(spreadsheetID)
	if err != nil {
		return 0, err
	}
	return ss.sorts, nil
}
