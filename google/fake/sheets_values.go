package fake

// registerSheetsValues registers spreadsheets.create/get/getByDataFilter and
// the values.* methods.
func (s *Server) registerSheetsValues() {}
