package fake

// formStore holds forms and their responses.
type formStore struct{}

func (s *Server) registerForms() {}
