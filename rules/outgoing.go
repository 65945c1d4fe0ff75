package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"net/mail"
	"strings"
)

// Email is one message kopi wants to send, fully rendered. It is the
// domain's view of an email: the google package turns it into RFC 5322
// (MIME) and Gmail calls; the sync package decides when it is sent.
type Email struct {
	// Key identifies the effect for exactly-once delivery (see EmailKey).
	Key string
	// Ticket is the case the email is about, for logs (never the address).
	Ticket string
	// Kind is the email's purpose, e.g. "tanda-terima" (receipt).
	Kind string
	From mail.Address
	To   []mail.Address
	Cc   []mail.Address
	// Subject, Text and HTML are the rendered content. HTML is already
	// escaped by html/template; Text is plain.
	Subject string
	Text    string
	HTML    string
	// ThreadID is Gmail's thread to continue (the receipt's), if any.
	ThreadID string
	// Ref is the reference token printed in the email and carried in its
	// X-Kopi-Ref header (see RefToken): after a crash kopi finds its own
	// drafts by it.
	Ref string
	// InReplyTo and References thread the email under earlier messages of
	// the ticket for mail clients other than Gmail (RFC 5322 msg-ids).
	InReplyTo  string
	References []string
}

// EmailKey derives the stable idempotency key of an email effect from the
// fields that make it unique — e.g. (form id, response id, kind, version).
// The same inputs always give the same key, so an intent recorded before a
// crash is recognised after it.
func EmailKey(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:20]
}

// RefToken is the reference printed in every email's footer
// ("Ref: KOPI-2026-0001/abcd…"): a human can quote it to the admin, and the
// daemon can search its drafts for it after a crash.
func RefToken(ticket, key string) string {
	if len(key) > 12 {
		key = key[:12]
	}
	return strings.TrimSpace(ticket + "/" + key)
}

// DraftRef is an email stored as a draft in the sender's mailbox, ready
// to be sent once.
type DraftRef struct {
	ID        string // the draft's id
	MessageID string // the mail system's message id (not the RFC Message-ID)
	ThreadID  string
}

// SentRef is an email that went out.
type SentRef struct {
	MessageID string
	ThreadID  string
}
