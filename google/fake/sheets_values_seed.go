package fake

// Seed helpers for tests and the demo: they write the same model the
// API serves, taking the lock themselves (the ones that only read a
// spreadsheet are in sheets_peek.go).

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
