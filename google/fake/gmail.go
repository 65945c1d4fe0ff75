package fake

// gmailStore holds mailboxes.
type gmailStore struct{}

func (s *Server) registerGmail() {}
