package fake

func (s *Server) registerSheets() {
	s.sheets.byID = map[string]*spreadsheet{}
	s.registerSheetsValues()
	s.registerSheetsBatch()
}
