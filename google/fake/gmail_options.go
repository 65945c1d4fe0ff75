package fake

// renameMessage gives a stored message another id (the draft's, under
// Options.DraftSendKeepsMessageID), keeping the sent record in step.
func (mb *mailbox) renameMessage(m *gmailMessage, id string) {
	delete(mb.messages, m.id)
	for i := range mb.sent {
		if mb.sent[i].ID == m.id {
			mb.sent[i].ID = id
		}
	}
	if m.threadID == m.id {
		m.threadID = id
	}
	m.id = id
	mb.messages[id] = m
}
