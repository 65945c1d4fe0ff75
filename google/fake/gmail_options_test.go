package fake_test

import (
	"strings"
	"testing"

	"google.golang.org/api/gmail/v1"
	"google.golang.org/api/googleapi"

	"kopi/google/fake"
)

// TestGmailDraftSendMessageID: Google does not document whether the
// email drafts.send sends keeps the draft's message id. By default it
// gets a new one; with DraftSendKeepsMessageID it keeps the draft's.
// Either way the draft is gone and the sent copy is found by its id.
func TestGmailDraftSendMessageID(t *testing.T) {
	for _, keep := range []bool{false, true} {
		b := setupWith(t, fake.Options{DraftSendKeepsMessageID: keep})
		d := createDraft(t, b, plainMail("warga@example.com", "Jawaban", "Isi"))
		m, err := b.gmail.Users.Drafts.Send("me", &gmail.Draft{Id: d.Id}).Do()
		if err != nil {
			t.Fatal(err)
		}
		if (m.Id == d.Message.Id) != keep {
			t.Errorf("keep=%v: sent id %q, draft's message id %q", keep, m.Id, d.Message.Id)
		}
		got, err := b.gmail.Users.Messages.Get("me", m.Id).Format("metadata").Do()
		if err != nil {
			t.Fatalf("keep=%v: messages.get of the sent id: %v", keep, err)
		}
		if len(got.LabelIds) != 1 || got.LabelIds[0] != "SENT" || got.ThreadId != d.Message.ThreadId {
			t.Errorf("keep=%v: sent message = %+v", keep, got)
		}
		if s := b.srv.Sent("me"); len(s) != 1 || s[0].ID != m.Id {
			t.Errorf("keep=%v: Sent = %+v", keep, s)
		}
		if !keep {
			_, err := b.gmail.Users.Messages.Get("me", d.Message.Id).Do()
			gmailAPIError(t, err, 404)
		}
		_, err = b.gmail.Users.Drafts.Send("me", &gmail.Draft{Id: d.Id}).Do()
		gmailAPIError(t, err, 404)
	}
}

// TestGmailMessageOver35MBRefused: a message over 35 MB (the discovery
// document's maxSize 36700160) is refused with 400, not cut or stored.
// (The exact boundary is checked in TestMessageSizeBoundary.)
func TestGmailMessageOver35MBRefused(t *testing.T) {
	b := setupGmail(t)
	head := plainMail("warga@example.com", "Lampiran besar", "")
	raw := head + strings.Repeat("A", 36700160+1-len(head))
	// The upload path, as clients send large messages (the JSON body's
	// base64 would be a third larger).
	_, err := b.gmail.Users.Messages.Send("me", &gmail.Message{}).Media(strings.NewReader(raw), googleapi.ContentType("message/rfc822"), googleapi.ChunkSize(0)).Do()
	gmailAPIError(t, err, 400)
	if n := len(b.srv.Sent("me")); n != 0 {
		t.Errorf("sent %d messages, want none", n)
	}
}
