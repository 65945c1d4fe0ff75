package fake

import (
	"slices"

	"google.golang.org/api/gmail/v1"
)

// Read helpers for tools that show the fake's whole state (the demo's
// web view): they list what the fake holds and return it in the shapes
// the public API serves, so a viewer never walks the internal model.

// FormIDs returns the ids of every form the fake holds, sorted.
func (s *Server) FormIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.forms.byID))
	for id := range s.forms.byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// SpreadsheetIDs returns the ids of every spreadsheet the fake holds,
// sorted.
func (s *Server) SpreadsheetIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.sheets.byID))
	for id := range s.sheets.byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Account returns the address of the mailbox the fake's Gmail serves
// (Options.Account).
func (s *Server) Account() string { return s.opts.Account }

// MailboxMessages returns every message stored in userID's mailbox ("me"
// or the account's address) — sent mail, drafts (label DRAFT) and
// delivered mail — oldest first, as messages.get with format=full
// returns them (headers and the decoded MIME tree in payload).
func (s *Server) MailboxMessages(userID string) ([]*gmail.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	mb, err := s.mailbox(userID)
	if err != nil {
		return nil, err
	}
	ms := make([]*gmailMessage, 0, len(mb.messages))
	for _, m := range mb.messages {
		ms = append(ms, m)
	}
	sortOldestFirst(ms)
	out := make([]*gmail.Message, len(ms))
	for i, m := range ms {
		out[i] = m.render("full", nil)
	}
	return out, nil
}
