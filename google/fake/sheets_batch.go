package fake

// registerSheetsBatch registers spreadsheets.batchUpdate and the
// developerMetadata methods.
func (s *Server) registerSheetsBatch() {}
