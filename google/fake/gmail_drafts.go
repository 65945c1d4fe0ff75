package fake

import (
	"slices"

	"google.golang.org/api/gmail/v1"
)

// Drafts follow Google's guide (developers.google.com/gmail/api/guides/
// drafts): a draft is a stable id around a message labelled DRAFT; the
// message cannot be edited, only replaced, and each replacement has a
// new message id. Sending deletes the draft and creates a new message
// labelled SENT, which drafts.send returns; the draft id is then gone,
// so sending it again is 404 and never a second email.
//
// Choices where Google documents nothing: the sent message has a new
// message id (Options.DraftSendKeepsMessageID keeps the draft's) and a
// new Gmail Message-ID (callers must not assume either
// survives from the draft); it stays in the draft's thread.

// newDraftID returns a Gmail-style draft id ("r" and 19 digits).
func (s *Server) newDraftID(mb *mailbox) string {
	for {
		id := "r" + s.randomID(1, "123456789") + s.randomID(18, "0123456789")
		if _, taken := mb.drafts[id]; !taken {
			return id
		}
	}
}

// draftRaw extracts the draft's RFC 822 message from the call: the
// uploaded media on /upload/ paths, else draft.message.raw.
func draftRaw(c *call, d *gmail.Draft) ([]byte, string, error) {
	var raw, threadID string
	if d.Message != nil {
		raw, threadID = d.Message.Raw, d.Message.ThreadId
	}
	b, err := rawFromCall(c, raw, "draft.message.raw")
	return b, threadID, err
}

// putDraftMessage stores a draft's message. Gmail checks the recipient
// headers' syntax on drafts but lets a draft have no recipient yet.
func (s *Server) putDraftMessage(mb *mailbox, raw []byte, threadID string) (*gmailMessage, error) {
	if err := checkRecipients(toCRLF(raw), false); err != nil {
		return nil, err
	}
	return s.store(mb, raw, storeOptions{labels: []string{"DRAFT"}, threadID: threadID, outgoing: true})
}

// draftFromRequest stores the message of a drafts.create or
// drafts.update request (JSON body or upload) as a draft message.
func (s *Server) draftFromRequest(c *call, mb *mailbox) (*gmailMessage, error) {
	var req gmail.Draft
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	raw, threadID, err := draftRaw(c, &req)
	if err != nil {
		return nil, err
	}
	return s.putDraftMessage(mb, raw, threadID)
}

func draftRef(d *gmailDraft, m *gmailMessage) *gmail.Draft {
	return &gmail.Draft{Id: d.id, Message: &gmail.Message{Id: m.id, ThreadId: m.threadID, LabelIds: slices.Clone(m.labels)}}
}

func (s *Server) gmailDraftCreate(c *call) (any, error) {
	mb, err := s.mailbox(c.params["userId"])
	if err != nil {
		return nil, err
	}
	m, err := s.draftFromRequest(c, mb)
	if err != nil {
		return nil, err
	}
	d := &gmailDraft{id: s.newDraftID(mb), messageID: m.id}
	mb.drafts[d.id] = d
	return draftRef(d, m), nil
}

// findDraft resolves a draft id; Gmail answers 404 for an unknown or
// already sent draft.
func (mb *mailbox) findDraft(id string) (*gmailDraft, *gmailMessage, error) {
	d := mb.drafts[id]
	if d == nil || mb.messages[d.messageID] == nil {
		return nil, nil, notFound("Requested entity was not found.")
	}
	return d, mb.messages[d.messageID], nil
}

func (s *Server) gmailDraftGet(c *call) (any, error) {
	mb, err := s.mailbox(c.params["userId"])
	if err != nil {
		return nil, err
	}
	d, m, err := mb.findDraft(c.params["id"])
	if err != nil {
		return nil, err
	}
	return &gmail.Draft{Id: d.id, Message: m.render(c.query.Get("format"), nil)}, nil
}

func (s *Server) gmailDraftList(c *call) (any, error) {
	byMessage := map[string]*gmailDraft{}
	_, hits, err := s.search(c, func(mb *mailbox) []*gmailMessage {
		var pool []*gmailMessage
		for _, d := range mb.drafts {
			if m := mb.messages[d.messageID]; m != nil {
				byMessage[m.id] = d
				pool = append(pool, m)
			}
		}
		return pool
	})
	if err != nil {
		return nil, err
	}
	start, end, next, err := page(c, len(hits))
	if err != nil {
		return nil, err
	}
	out := &gmail.ListDraftsResponse{NextPageToken: next, ResultSizeEstimate: int64(len(hits))}
	for _, m := range hits[start:end] {
		out.Drafts = append(out.Drafts, &gmail.Draft{Id: byMessage[m.id].id, Message: &gmail.Message{Id: m.id, ThreadId: m.threadID}})
	}
	return out, nil
}

// gmailDraftUpdate replaces the draft's message with a new one (new
// message id, same draft id).
func (s *Server) gmailDraftUpdate(c *call) (any, error) {
	mb, err := s.mailbox(c.params["userId"])
	if err != nil {
		return nil, err
	}
	d, old, err := mb.findDraft(c.params["id"])
	if err != nil {
		return nil, err
	}
	m, err := s.draftFromRequest(c, mb)
	if err != nil {
		return nil, err
	}
	delete(mb.messages, old.id)
	d.messageID = m.id
	return draftRef(d, m), nil
}

// gmailDraftSend sends an existing draft, optionally with new content
// (a message in the body or an upload). On success the draft is gone.
func (s *Server) gmailDraftSend(c *call) (any, error) {
	mb, err := s.mailbox(c.params["userId"])
	if err != nil {
		return nil, err
	}
	var req gmail.Draft
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if req.Id == "" {
		return nil, invalidArgument("Invalid draft")
	}
	d, old, err := mb.findDraft(req.Id)
	if err != nil {
		return nil, err
	}
	raw := old.raw
	threadID := old.threadID
	if (c.upload && len(c.media) > 0) || (req.Message != nil && req.Message.Raw != "") {
		if raw, _, err = draftRaw(c, &req); err != nil {
			return nil, err
		}
	}
	if err := checkRecipients(toCRLF(raw), true); err != nil {
		return nil, err
	}
	delete(mb.drafts, d.id)
	delete(mb.messages, old.id)
	m, err := s.sendRaw(mb, raw, "")
	if err != nil {
		return nil, err
	}
	// The draft already sat in its thread; the sent message stays there.
	m.threadID = threadID
	mb.sent[len(mb.sent)-1].ThreadID = threadID
	if s.opts.DraftSendKeepsMessageID {
		mb.renameMessage(m, old.id)
	}
	return &gmail.Message{Id: m.id, ThreadId: m.threadID, LabelIds: slices.Clone(m.labels)}, nil
}

// gmailDraftDelete deletes the draft and its message permanently (204).
func (s *Server) gmailDraftDelete(c *call) (any, error) {
	mb, err := s.mailbox(c.params["userId"])
	if err != nil {
		return nil, err
	}
	d, m, err := mb.findDraft(c.params["id"])
	if err != nil {
		return nil, err
	}
	delete(mb.drafts, d.id)
	delete(mb.messages, m.id)
	mb.bump()
	return noContent{}, nil
}
