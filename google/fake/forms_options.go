package fake

// newFormEmailCollection is the emailCollectionType of a new form:
// VERIFIED for a Workspace account under Options.WorkspaceFormDefaults
// (Google: a Workspace account's forms collect verified emails by
// default), DO_NOT_COLLECT otherwise.
func (s *Server) newFormEmailCollection() string {
	if s.opts.WorkspaceFormDefaults {
		return "VERIFIED"
	}
	return "DO_NOT_COLLECT"
}
