package fake

import (
	"slices"

	"google.golang.org/api/gmail/v1"
	"google.golang.org/api/sheets/v4"
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

// Spreadsheet returns a spreadsheet as spreadsheets.get with
// includeGridData=true would: every tab's properties, protected ranges,
// charts and cells (user-entered, effective and formatted values, data
// validation), trailing empty rows and cells left out. Errors are the
// *APIError Google gives for an unknown spreadsheet.
func (s *Server) Spreadsheet(spreadsheetID string) (*sheets.Spreadsheet, error) {
	s.mu.Lock()
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
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, err := s.getSpreadsheet(spreadsheetID)
	if err != nil {
		return 0, err
	}
	return ss.sorts, nil
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
