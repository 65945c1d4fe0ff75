package web

import (
	"encoding/base64"
	"net/http"
	"net/mail"
	"slices"
	"strings"
	"time"

	"google.golang.org/api/gmail/v1"
)

// mailboxView is one mailbox: the account's own (sent mail, drafts and
// mail delivered to it), or a recipient's inbox as it would look — the
// account's sent mail addressed to them.
type mailboxView struct {
	Boxes   []link
	Address string
	Own     bool
	Threads []threadView
	Drafts  []messageView
	Inbox   []threadView
}

// threadView is a conversation, oldest message first.
type threadView struct {
	ID       string
	Subject  string
	Messages []messageView
	Last     time.Time
}

// messageView is one message with its HTML part, plain text and headers.
type messageView struct {
	ID      string
	Subject string
	From    string
	To      string
	Cc      string
	Date    time.Time
	Labels  string
	HTML    string // rendered in a sandboxed iframe's srcdoc
	Text    string
	Headers []*gmail.MessagePartHeader
}

// gmailPage shows a mailbox.
func (h *Handler) gmailPage(w http.ResponseWriter, r *http.Request) {
	v, err := h.mailboxView(r.URL.Query().Get("kotak"))
	p := &page{Title: "Gmail", Nav: "surel", Live: true, Data: v}
	if err != nil {
		p.Error = msgMailboxUnreadable + err.Error()
	}
	h.render(w, r, "gmail", p)
}

func (h *Handler) mailboxView(box string) (*mailboxView, error) {
	account := h.srv.Account()
	msgs, err := h.srv.MailboxMessages("me")
	if err != nil {
		return nil, err
	}
	views := make([]messageView, len(msgs))
	recipients := map[string]bool{}
	var order []string
	for i, m := range msgs {
		views[i] = viewMessage(m)
		if slices.Contains(m.LabelIds, "SENT") {
			for _, a := range addresses(views[i].To, views[i].Cc, header(m.Payload, "Bcc")) {
				if !recipients[a] {
					recipients[a] = true
					order = append(order, a)
				}
			}
		}
	}
	slices.Sort(order)
	if box == "" || strings.EqualFold(box, account) {
		box = account
	}
	v := &mailboxView{Address: box, Own: strings.EqualFold(box, account)}
	v.Boxes = append(v.Boxes, link{ID: account, Title: account + msgOfficeAccount, Active: v.Own})
	for _, a := range order {
		v.Boxes = append(v.Boxes, link{ID: a, Title: a, Active: strings.EqualFold(a, box)})
	}
	var sent, inbox, theirs []int
	for i, m := range msgs {
		switch {
		case slices.Contains(m.LabelIds, "DRAFT"):
			if v.Own {
				v.Drafts = append(v.Drafts, views[i])
			}
		case !v.Own:
			if slices.Contains(m.LabelIds, "SENT") && slices.Contains(addresses(views[i].To, views[i].Cc, header(m.Payload, "Bcc")), strings.ToLower(box)) {
				theirs = append(theirs, i)
			}
		case slices.Contains(m.LabelIds, "SENT"):
			sent = append(sent, i)
		case slices.Contains(m.LabelIds, "INBOX"):
			inbox = append(inbox, i)
		}
	}
	if v.Own {
		v.Threads = threads(msgs, views, sent)
		v.Inbox = threads(msgs, views, inbox)
	} else {
		v.Threads = threads(msgs, views, theirs)
	}
	return v, nil
}

// threads groups messages by thread, newest conversation first.
func threads(msgs []*gmail.Message, views []messageView, idx []int) []threadView {
	byID := map[string]*threadView{}
	var order []string
	for _, i := range idx {
		id := msgs[i].ThreadId
		t := byID[id]
		if t == nil {
			t = &threadView{ID: id, Subject: views[i].Subject}
			byID[id] = t
			order = append(order, id)
		}
		t.Messages = append(t.Messages, views[i])
		if views[i].Date.After(t.Last) {
			t.Last = views[i].Date
		}
	}
	out := make([]threadView, 0, len(order))
	for _, id := range order {
		out = append(out, *byID[id])
	}
	slices.SortStableFunc(out, func(a, b threadView) int { return b.Last.Compare(a.Last) })
	return out
}

// viewMessage decodes what the page shows of a message.
func viewMessage(m *gmail.Message) messageView {
	v := messageView{
		ID: m.Id, Date: time.UnixMilli(m.InternalDate),
		Subject: header(m.Payload, "Subject"), From: header(m.Payload, "From"),
		To: header(m.Payload, "To"), Cc: header(m.Payload, "Cc"),
		Labels: strings.Join(m.LabelIds, ", "),
	}
	if m.Payload != nil {
		v.Headers = m.Payload.Headers
	}
	v.HTML = partBody(m.Payload, "text/html")
	v.Text = partBody(m.Payload, "text/plain")
	if v.Subject == "" {
		v.Subject = msgNoSubject
	}
	return v
}

// header returns the first header named name of a part, or "".
func header(p *gmail.MessagePart, name string) string {
	if p == nil {
		return ""
	}
	for _, h := range p.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// partBody is the decoded body of the first leaf part of a MIME type,
// attachments excluded.
func partBody(p *gmail.MessagePart, mimeType string) string {
	if p == nil {
		return ""
	}
	if len(p.Parts) == 0 {
		if strings.EqualFold(p.MimeType, mimeType) && p.Filename == "" && p.Body != nil {
			b, err := base64.URLEncoding.DecodeString(p.Body.Data)
			if err != nil {
				return ""
			}
			return string(b)
		}
		return ""
	}
	for _, c := range p.Parts {
		if s := partBody(c, mimeType); s != "" {
			return s
		}
	}
	return ""
}

// addresses returns the bare, lower-cased addresses of address lists.
func addresses(lists ...string) []string {
	var out []string
	for _, l := range lists {
		if strings.TrimSpace(l) == "" {
			continue
		}
		as, err := mail.ParseAddressList(l)
		if err != nil {
			continue
		}
		for _, a := range as {
			out = append(out, strings.ToLower(a.Address))
		}
	}
	return out
}
