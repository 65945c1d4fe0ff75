package google

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"

	"google.golang.org/api/gmail/v1"

	"kopi/rules"
)

// ErrDraftGone is returned by SendDraft when Gmail no longer has the
// draft. A sent draft is deleted by Gmail, so after a crash between
// drafts.send and recording its outcome this is how an earlier successful
// send shows itself — but a draft a person deleted in Gmail looks the
// same: the caller confirms with FindSent before recording anything.
var ErrDraftGone error = draftGoneError{}

type draftGoneError struct{}

func (draftGoneError) Error() string {
	return "draf tidak ada lagi di Gmail (sudah terkirim atau dihapus)"
}

// DraftGone marks the error for consumers that branch on behaviour.
func (draftGoneError) DraftGone() bool { return true }

// Gmail is kopi's adapter over the service account's mailbox. Every email
// goes out as a draft that is created first and then sent: a draft can be
// sent once only, which makes a repeated send after a crash a harmless
// 404 instead of a second email. It needs only the gmail.compose scope.
type Gmail struct {
	svc    *gmail.Service
	retry  *Retrier
	user   string
	domain string // right-hand side of generated Message-IDs
	now    func() time.Time
}

// NewGmail returns the adapter for the authenticated user ("me").
// msgIDDomain is the domain of the Message-IDs kopi generates (the
// sender's domain).
func NewGmail(svc *gmail.Service, r *Retrier, msgIDDomain string, now func() time.Time) *Gmail {
	if r == nil {
		r = &Retrier{}
	}
	if now == nil {
		now = time.Now
	}
	if msgIDDomain == "" {
		msgIDDomain = "kopi.invalid"
	}
	return &Gmail{svc: svc, retry: r, user: "me", domain: msgIDDomain, now: now}
}

// MessageIDFor is the RFC 5322 Message-ID kopi writes for an email key.
// Gmail may replace it on send; later emails of a ticket still refer to
// it in References, and thread through Gmail's thread id.
func (g *Gmail) MessageIDFor(key string) string {
	return "<" + key + "@" + g.domain + ">"
}

// CreateDraft composes e and stores it as a draft (drafts.create, not
// idempotent: an ambiguous failure returns *AmbiguousError and the caller
// looks for the draft with FindDrafts before creating another).
func (g *Gmail) CreateDraft(ctx context.Context, e rules.Email) (rules.DraftRef, error) {
	raw, err := ComposeMIME(e, g.now(), g.MessageIDFor(e.Key))
	if err != nil {
		return rules.DraftRef{}, err
	}
	msg := &gmail.Message{Raw: base64.URLEncoding.EncodeToString(raw), ThreadId: e.ThreadID}
	d, err := DoValue(ctx, g.retry, NonIdempotent("gmail.users.drafts.create"), func(ctx context.Context) (*gmail.Draft, error) {
		return g.svc.Users.Drafts.Create(g.user, &gmail.Draft{Message: msg}).Context(ctx).Do()
	})
	if err != nil {
		return rules.DraftRef{}, fmt.Errorf("create draft %s: %w", e.Kind, err)
	}
	out := rules.DraftRef{ID: d.Id}
	if d.Message != nil {
		out.MessageID, out.ThreadID = d.Message.Id, d.Message.ThreadId
	}
	return out, nil
}

// RefHeader carries each email's reference token.
const RefHeader = "X-Kopi-Ref"

// KopiDrafts returns every draft in the mailbox that carries a kopi
// reference (RefHeader), by reference: after a crash that may have
// followed drafts.create, the caller adopts the draft instead of
// creating a second one. It lists the drafts and reads each one's
// headers (1 + one call per draft) rather than searching: listing does
// not lag behind like Gmail's search index, and the `q` parameter is
// refused to tokens holding gmail.metadata.
func (g *Gmail) KopiDrafts(ctx context.Context) (map[string][]rules.DraftRef, error) {
	var ids []string
	err := g.retry.Do(ctx, Idempotent("gmail.users.drafts.list"), func(ctx context.Context) error {
		ids = ids[:0]
		return g.svc.Users.Drafts.List(g.user).MaxResults(500).Pages(ctx, func(r *gmail.ListDraftsResponse) error {
			for _, d := range r.Drafts {
				ids = append(ids, d.Id)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list drafts: %w", err)
	}
	out := map[string][]rules.DraftRef{}
	for _, id := range ids {
		d, err := DoValue(ctx, g.retry, Idempotent("gmail.users.drafts.get"), func(ctx context.Context) (*gmail.Draft, error) {
			return g.svc.Users.Drafts.Get(g.user, id).Format("metadata").Context(ctx).Do()
		})
		if IsNotFound(err) {
			continue // sent or deleted meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("read draft: %w", err)
		}
		if d.Message == nil || d.Message.Payload == nil {
			continue
		}
		for _, h := range d.Message.Payload.Headers {
			if strings.EqualFold(h.Name, RefHeader) && h.Value != "" {
				out[h.Value] = append(out[h.Value], rules.DraftRef{ID: d.Id, MessageID: d.Message.Id, ThreadID: d.Message.ThreadId})
			}
		}
	}
	return out, nil
}

// SendDraft sends a draft (drafts.send). ErrDraftGone means Gmail no
// longer has it — already sent, or deleted (see FindSent). Not idempotent: an ambiguous failure
// returns *AmbiguousError; sending again later is safe because a sent
// draft is gone.
func (g *Gmail) SendDraft(ctx context.Context, draftID string) (rules.SentRef, error) {
	m, err := DoValue(ctx, g.retry, NonIdempotent("gmail.users.drafts.send"), func(ctx context.Context) (*gmail.Message, error) {
		return g.svc.Users.Drafts.Send(g.user, &gmail.Draft{Id: draftID}).Context(ctx).Do()
	})
	if err != nil {
		if IsNotFound(err) {
			return rules.SentRef{}, ErrDraftGone
		}
		return rules.SentRef{}, fmt.Errorf("send draft: %w", err)
	}
	return rules.SentRef{MessageID: m.Id, ThreadID: m.ThreadId}, nil
}

// DeleteDraft removes a draft (an orphan found after a crash). A draft
// that is already gone counts as deleted.
func (g *Gmail) DeleteDraft(ctx context.Context, draftID string) error {
	_, err := g.DiscardDraft(ctx, draftID)
	return err
}

// DiscardDraft deletes a draft kopi recorded and will not send (a
// withdrawn reminder) and reports whether Gmail still had it
// (drafts.delete: "Immediately and permanently deletes the specified
// draft"). Gone (false, nil) means it was sent before — drafts.send
// removes the draft it sends, so a send whose answer was lost leaves none
// — or deleted by a person, or by an earlier attempt whose answer was
// lost: FindSent tells whether it went out.
func (g *Gmail) DiscardDraft(ctx context.Context, draftID string) (bool, error) {
	err := g.retry.Do(ctx, Idempotent("gmail.users.drafts.delete"), func(ctx context.Context) error {
		return g.svc.Users.Drafts.Delete(g.user, draftID).Context(ctx).Do()
	})
	switch {
	case IsNotFound(err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("delete draft: %w", err)
	}
	return true, nil
}

// SentMessageID returns the RFC 5322 Message-ID Gmail gave a sent
// email, which a reply needs in In-Reply-To and References (Gmail
// replaces the Message-ID kopi wrote). It reads headers only
// (messages.get format=metadata, scope gmail.metadata), never a body.
// When the message id is unknown or gone — an email recorded as sent
// after a crash keeps its draft's message id — it reads the first
// message of the thread instead (threads.get, same format).
func (g *Gmail) SentMessageID(ctx context.Context, sent rules.SentRef) (string, error) {
	if sent.MessageID != "" {
		m, err := DoValue(ctx, g.retry, Idempotent("gmail.users.messages.get"), func(ctx context.Context) (*gmail.Message, error) {
			return g.svc.Users.Messages.Get(g.user, sent.MessageID).Format("metadata").MetadataHeaders("Message-ID").
				Fields("id,threadId,payload/headers").Context(ctx).Do()
		})
		if err == nil {
			if id := headerValue(m.Payload, "Message-ID"); id != "" {
				return id, nil
			}
		} else if !IsNotFound(err) || sent.ThreadID == "" {
			return "", fmt.Errorf("read Message-ID: %w", err)
		}
	}
	if sent.ThreadID == "" {
		return "", fmt.Errorf("read Message-ID: %w", ErrNoMessageID)
	}
	th, err := DoValue(ctx, g.retry, Idempotent("gmail.users.threads.get"), func(ctx context.Context) (*gmail.Thread, error) {
		return g.svc.Users.Threads.Get(g.user, sent.ThreadID).Format("metadata").MetadataHeaders("Message-ID").
			Fields("id,messages(id,labelIds,payload/headers)").Context(ctx).Do()
	})
	if err != nil {
		return "", fmt.Errorf("read thread Message-ID: %w", err)
	}
	for _, m := range th.Messages {
		if id := headerValue(m.Payload, "Message-ID"); id != "" && slices.Contains(m.LabelIds, "SENT") {
			return id, nil
		}
	}
	return "", fmt.Errorf("read thread Message-ID: %w", ErrNoMessageID)
}

// ErrNoMessageID means Gmail shows no Message-ID for the email: the
// reply goes out without In-Reply-To (it still names the ticket).
var ErrNoMessageID error = noMessageIDError{}

type noMessageIDError struct{}

func (noMessageIDError) Error() string   { return "email tidak memiliki Message-ID" }
func (noMessageIDError) Permanent() bool { return true }

func headerValue(p *gmail.MessagePart, name string) string {
	if p == nil {
		return ""
	}
	for _, h := range p.Headers {
		if strings.EqualFold(h.Name, name) {
			return strings.TrimSpace(h.Value)
		}
	}
	return ""
}

// sentSlack widens the window FindSent searches: the caller's clock and
// Gmail's may disagree by a little.
const sentSlack = 10 * time.Minute

// sentPage is the page size FindSent lists sent mail in.
const sentPage = 25

// FindSent looks for the sent email carrying reference ref (RefHeader)
// among the mail sent since the draft was made: drafts.send answers 404
// both when the draft was sent before (its answer lost) and when a person
// deleted it, and only the Sent folder tells them apart. hint is the
// draft's message: Google does not document whether a sent draft keeps
// its message id, so that id is tried first (one call when it does).
// Otherwise SENT messages are listed newest first (labelIds, since `q` is
// refused to gmail.metadata tokens) and their headers read one by one
// (format=metadata), stopping at the first page wholly older than since.
// found is false when no such email was sent.
func (g *Gmail) FindSent(ctx context.Context, ref string, since time.Time, hint rules.SentRef) (sent rules.SentRef, found bool, err error) {
	read := func(id string) (*gmail.Message, error) {
		return DoValue(ctx, g.retry, Idempotent("gmail.users.messages.get"), func(ctx context.Context) (*gmail.Message, error) {
			return g.svc.Users.Messages.Get(g.user, id).Format("metadata").MetadataHeaders(RefHeader).
				Fields("id,threadId,labelIds,internalDate,payload/headers").Context(ctx).Do()
		})
	}
	isSent := func(m *gmail.Message) bool {
		return slices.Contains(m.LabelIds, "SENT") && headerValue(m.Payload, RefHeader) == ref
	}
	if hint.MessageID != "" {
		m, err := read(hint.MessageID)
		switch {
		case err == nil && isSent(m):
			return rules.SentRef{MessageID: m.Id, ThreadID: m.ThreadId}, true, nil
		case err != nil && !IsNotFound(err):
			return rules.SentRef{}, false, fmt.Errorf("read draft's message: %w", err)
		}
	}
	floor := since.Add(-sentSlack).UnixMilli()
	token := ""
	for {
		list, err := DoValue(ctx, g.retry, Idempotent("gmail.users.messages.list"), func(ctx context.Context) (*gmail.ListMessagesResponse, error) {
			return g.svc.Users.Messages.List(g.user).LabelIds("SENT").MaxResults(sentPage).PageToken(token).Context(ctx).Do()
		})
		if err != nil {
			return rules.SentRef{}, false, fmt.Errorf("list sent mail: %w", err)
		}
		recent := false
		for _, s := range list.Messages {
			m, err := read(s.Id)
			if IsNotFound(err) {
				continue // deleted meanwhile
			}
			if err != nil {
				return rules.SentRef{}, false, fmt.Errorf("read sent mail: %w", err)
			}
			if m.InternalDate < floor {
				continue
			}
			recent = true
			if isSent(m) {
				return rules.SentRef{MessageID: m.Id, ThreadID: m.ThreadId}, true, nil
			}
		}
		if !recent || list.NextPageToken == "" {
			return rules.SentRef{}, false, nil
		}
		token = list.NextPageToken
	}
}
