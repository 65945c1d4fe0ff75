package fake

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"

	"google.golang.org/api/gmail/v1"
)

// The Gmail part of the fake models one mailbox: the account the
// daemon authenticates as (Options.Account). Gmail lets a user address
// only their own mailbox unless domain-wide delegation is set up, so the
// userId path parameter must be "me" or that address; any other address
// is refused with the 403 Gmail gives for a user you cannot impersonate.
//
// Files by concern: gmail.go (store, userId, profile, control surface),
// gmail_mime.go (RFC 5322/MIME parsing and the stored copy Gmail keeps),
// gmail_messages.go (send, get, list, threads), gmail_drafts.go (drafts),
// gmail_query.go (the search language of the q parameter).

// gmailStore holds the mailboxes, keyed by lower-cased address.
type gmailStore struct {
	boxes map[string]*mailbox
}

// mailbox is one user's messages, drafts and history counter.
type mailbox struct {
	address  string
	messages map[string]*gmailMessage
	drafts   map[string]*gmailDraft
	// history is the mailbox's historyId: it grows with every change.
	history uint64
	// seq orders messages created in the same millisecond.
	seq uint64
	// sent records every message that left the mailbox, in send order;
	// it survives later deletion of the stored copy, as sent mail does.
	sent []SentMessage
}

// gmailMessage is a stored message. Its raw bytes are what Gmail keeps
// (with Gmail's own Message-ID), and parsed is derived from them.
type gmailMessage struct {
	id           string
	threadID     string
	labels       []string
	raw          []byte
	internalDate int64 // ms since the epoch
	historyID    uint64
	seq          uint64
	parsed       *parsedMail
}

// gmailDraft is a draft: a stable id around a replaceable message.
type gmailDraft struct {
	id        string
	messageID string
}

// SentMessage is one message the fake's Gmail sent, as the control
// surface reports it. Raw is the RFC 5322 message Gmail stored (with
// Gmail's Message-ID); the other fields are parsed from it for tests.
type SentMessage struct {
	ID       string `json:"id"`
	ThreadID string `json:"threadId"`
	// Raw is the stored message. It is served as base64url JSON.
	Raw []byte `json:"-"`
	// MessageID is the Message-ID header without angle brackets.
	MessageID string `json:"-"`
	// Subject is the decoded Subject header.
	Subject string `json:"-"`
	// To, Cc and Bcc are the recipients' bare addresses.
	To  []string `json:"-"`
	Cc  []string `json:"-"`
	Bcc []string `json:"-"`
	// Text is the decoded plain-text body (or the text of the HTML body
	// when the message has no text/plain part).
	Text string `json:"-"`
}

func (s *Server) registerGmail() {
	s.gmail = gmailStore{boxes: map[string]*mailbox{}}
	s.handle("gmail.users.getProfile", s.gmailGetProfile)
	s.handle("gmail.users.labels.list", s.gmailLabelsList)

	s.handle("gmail.users.messages.send", s.gmailSend)
	s.handle("gmail.users.messages.get", s.gmailGet)
	s.handle("gmail.users.messages.list", s.gmailList)
	s.handle("gmail.users.messages.insert", s.gmailInsert)
	s.handle("gmail.users.messages.trash", s.gmailTrash)
	s.handle("gmail.users.messages.delete", s.gmailDelete)
	s.handle("gmail.users.threads.get", s.gmailThreadGet)
	s.handle("gmail.users.threads.list", s.gmailThreadList)

	s.handle("gmail.users.drafts.create", s.gmailDraftCreate)
	s.handle("gmail.users.drafts.get", s.gmailDraftGet)
	s.handle("gmail.users.drafts.list", s.gmailDraftList)
	s.handle("gmail.users.drafts.update", s.gmailDraftUpdate)
	s.handle("gmail.users.drafts.send", s.gmailDraftSend)
	s.handle("gmail.users.drafts.delete", s.gmailDraftDelete)

	s.control.HandleFunc("GET /_fake/gmail/{userId}/sent", func(w http.ResponseWriter, r *http.Request) {
		s.mu.lockKeepingSheets()
		mb, err := s.mailbox(r.PathValue("userId"))
		var list []sentJSON
		if err == nil {
			list = make([]sentJSON, 0, len(mb.sent))
			for _, m := range mb.sent {
				list = append(list, sentJSON{ID: m.ID, ThreadID: m.ThreadID, Raw: base64.URLEncoding.EncodeToString(m.Raw)})
			}
		}
		s.mu.Unlock()
		if err != nil {
			writeAny(w, err)
			return
		}
		writeJSON(w, http.StatusOK, list)
	})
	s.control.HandleFunc("DELETE /_fake/gmail/{userId}", func(w http.ResponseWriter, r *http.Request) {
		if err := s.ResetMailbox(r.PathValue("userId")); err != nil {
			writeAny(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// sentJSON is the control surface's shape of a sent message.
type sentJSON struct {
	ID       string `json:"id"`
	ThreadID string `json:"threadId"`
	Raw      string `json:"raw"`
}

// mailbox resolves a userId path parameter. "me" and the account's
// address (case-insensitive) name the account's mailbox; Gmail answers
// any other user with 403 "Delegation denied for <user>".
func (s *Server) mailbox(userID string) (*mailbox, error) {
	addr := strings.ToLower(strings.TrimSpace(userID))
	if userID == "me" {
		addr = strings.ToLower(s.opts.Account)
	}
	if addr != strings.ToLower(s.opts.Account) {
		return nil, newError(http.StatusForbidden, "Delegation denied for %s", userID)
	}
	mb := s.gmail.boxes[addr]
	if mb == nil {
		mb = &mailbox{
			address:  s.opts.Account,
			messages: map[string]*gmailMessage{},
			drafts:   map[string]*gmailDraft{},
			history:  1000,
		}
		s.gmail.boxes[addr] = mb
	}
	return mb, nil
}

// bump advances the mailbox history and returns the new historyId.
func (mb *mailbox) bump() uint64 {
	mb.history++
	return mb.history
}

// newMessageID returns a Gmail-style message id: 16 lower-case hex
// digits whose high bits are the creation time in milliseconds, which is
// how Gmail's ids sort by time.
func (mb *mailbox) newMessageID(ms int64) string {
	for {
		mb.seq++
		id := fmt.Sprintf("%016x", uint64(ms)<<20|mb.seq&0xfffff)
		if _, taken := mb.messages[id]; !taken {
			return id
		}
	}
}

func (s *Server) gmailGetProfile(c *call) (any, error) {
	mb, err := s.mailbox(c.params["userId"])
	if err != nil {
		return nil, err
	}
	threads := map[string]bool{}
	for _, m := range mb.messages {
		threads[m.threadID] = true
	}
	return map[string]any{
		"emailAddress":  mb.address,
		"messagesTotal": len(mb.messages),
		"threadsTotal":  len(threads),
		"historyId":     fmt.Sprint(mb.history),
	}, nil
}

// systemLabels are the labels every Gmail mailbox has. The fake has no
// user labels.
var systemLabels = []string{
	"CHAT", "SENT", "INBOX", "IMPORTANT", "TRASH", "DRAFT", "SPAM",
	"CATEGORY_FORUMS", "CATEGORY_UPDATES", "CATEGORY_PERSONAL",
	"CATEGORY_PROMOTIONS", "CATEGORY_SOCIAL", "STARRED", "UNREAD",
}

func (s *Server) gmailLabelsList(c *call) (any, error) {
	if _, err := s.mailbox(c.params["userId"]); err != nil {
		return nil, err
	}
	out := &gmail.ListLabelsResponse{}
	for _, id := range systemLabels {
		out.Labels = append(out.Labels, &gmail.Label{Id: id, Name: id, Type: "system"})
	}
	return out, nil
}

// Sent returns every message sent from userID's mailbox ("me" or the
// account's address), oldest first, including messages sent as drafts.
// An unknown user has sent nothing.
func (s *Server) Sent(userID string) []SentMessage {
	s.mu.lockKeepingSheets()
	defer s.mu.Unlock()
	mb, err := s.mailbox(userID)
	if err != nil {
		return nil
	}
	out := make([]SentMessage, len(mb.sent))
	copy(out, mb.sent)
	return out
}

// ResetMailbox empties userID's mailbox: messages, drafts and the sent
// record. The history counter keeps growing, as Gmail's never goes back.
func (s *Server) ResetMailbox(userID string) error {
	s.mu.lockKeepingSheets()
	defer s.mu.Unlock()
	mb, err := s.mailbox(userID)
	if err != nil {
		return err
	}
	mb.messages = map[string]*gmailMessage{}
	mb.drafts = map[string]*gmailDraft{}
	mb.sent = nil
	mb.bump()
	return nil
}

// DeliverMessage puts a received message into userID's mailbox with the
// INBOX and UNREAD labels, as if it arrived by SMTP (e.g. a reply from a
// respondent). The raw message is kept as given, Message-ID included; a
// message that references a message in the mailbox with a matching
// subject joins its thread. It returns the new message's id and thread.
func (s *Server) DeliverMessage(userID string, raw []byte) (id, threadID string, err error) {
	s.mu.lockKeepingSheets()
	defer s.mu.Unlock()
	mb, err := s.mailbox(userID)
	if err != nil {
		return "", "", err
	}
	m, err := s.store(mb, raw, storeOptions{labels: []string{"INBOX", "UNREAD"}, autoThread: true})
	if err != nil {
		return "", "", err
	}
	return m.id, m.threadID, nil
}

// GmailSendingLimitFault is the fault that reproduces Gmail's answer once
// the account's daily sending limit is exhausted: 429 "User-rate limit
// exceeded.  Retry after <time> (Mail sending)" with reason
// rateLimitExceeded, for the given method ("gmail.users.messages.send"
// or "gmail.users.drafts.send"), on every call until cleared. Google
// documents the 429 and notes it can last for hours.
func GmailSendingLimitFault(method string, retryAt time.Time) Fault {
	return Fault{
		Method:  method,
		Status:  http.StatusTooManyRequests,
		Reason:  "rateLimitExceeded",
		Message: fmt.Sprintf("User-rate limit exceeded.  Retry after %s (Mail sending)", retryAt.UTC().Format("2006-01-02T15:04:05.000Z")),
		Times:   -1,
	}
}
