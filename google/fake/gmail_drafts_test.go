package fake_test

import (
	"strings"
	"testing"

	"google.golang.org/api/gmail/v1"
	"google.golang.org/api/googleapi"
)

func createDraft(t *testing.T, b *bundle, raw string) *gmail.Draft {
	t.Helper()
	d, err := b.gmail.Users.Drafts.Create("me", &gmail.Draft{Message: &gmail.Message{Raw: b64(raw)}}).Do()
	if err != nil {
		t.Fatalf("drafts.create: %v", err)
	}
	return d
}

func TestGmailDraftCreateGet(t *testing.T) {
	b := setupGmail(t)
	d := createDraft(t, b, alternativeMail(t, "warga@example.com"))
	if !strings.HasPrefix(d.Id, "r") || d.Message == nil || !hexID.MatchString(d.Message.Id) {
		t.Fatalf("draft = %+v", d)
	}
	if strings.Join(d.Message.LabelIds, ",") != "DRAFT" || d.Message.ThreadId != d.Message.Id {
		t.Fatalf("draft message = %+v", d.Message)
	}
	got, err := b.gmail.Users.Drafts.Get("me", d.Id).Do()
	if err != nil {
		t.Fatal(err)
	}
	if got.Id != d.Id || got.Message.Id != d.Message.Id || header(got.Message.Payload.Headers, "Subject") != idnSubject {
		t.Fatalf("drafts.get = %+v", got)
	}
	raw, err := b.gmail.Users.Drafts.Get("me", d.Id).Format("raw").Do()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(decodeData(t, raw.Message.Raw), "multipart/alternative") {
		t.Fatal("raw draft lacks its content")
	}
	if len(b.srv.Sent("me")) != 0 {
		t.Fatal("creating a draft sent mail")
	}
	// A draft may lack recipients; a malformed recipient header is refused.
	createDraft(t, b, plainMail("", "belum ada penerima", "x"))
	_, err = b.gmail.Users.Drafts.Create("me", &gmail.Draft{Message: &gmail.Message{Raw: b64(plainMail("bad address", "x", "y"))}}).Do()
	if ge := gmailAPIError(t, err, 400); ge.Message != "Invalid To header" {
		t.Fatalf("message = %q", ge.Message)
	}
	_, err = b.gmail.Users.Drafts.Get("me", "r1234567890123456789").Do()
	gmailAPIError(t, err, 404)
}

func TestGmailDraftSendOnce(t *testing.T) {
	b := setupGmail(t)
	d := createDraft(t, b, plainMail("warga@example.com", "Jawaban tiket 5", "Isi jawaban"))
	m, err := b.gmail.Users.Drafts.Send("me", &gmail.Draft{Id: d.Id}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(m.LabelIds, ",") != "SENT" || !hexID.MatchString(m.Id) {
		t.Fatalf("drafts.send = %+v", m)
	}
	if m.ThreadId != d.Message.ThreadId {
		t.Fatalf("sent threadId = %q, want the draft's %q", m.ThreadId, d.Message.ThreadId)
	}
	sent := b.srv.Sent("me")
	if len(sent) != 1 || sent[0].ID != m.Id || sent[0].Subject != "Jawaban tiket 5" {
		t.Fatalf("Sent = %+v", sent)
	}

	// The draft is gone: sending it again is 404, never a second email.
	_, err = b.gmail.Users.Drafts.Send("me", &gmail.Draft{Id: d.Id}).Do()
	gmailAPIError(t, err, 404)
	_, err = b.gmail.Users.Drafts.Get("me", d.Id).Do()
	gmailAPIError(t, err, 404)
	if n := len(b.srv.Sent("me")); n != 1 {
		t.Fatalf("%d messages sent, want exactly 1", n)
	}
	got, err := b.gmail.Users.Messages.Get("me", m.Id).Format("minimal").Do()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.LabelIds, ",") != "SENT" {
		t.Fatalf("sent message labels = %v (DRAFT must be gone)", got.LabelIds)
	}
}

func TestGmailDraftSendRequiresRecipient(t *testing.T) {
	b := setupGmail(t)
	d := createDraft(t, b, plainMail("", "tanpa penerima", "x"))
	_, err := b.gmail.Users.Drafts.Send("me", &gmail.Draft{Id: d.Id}).Do()
	if ge := gmailAPIError(t, err, 400); ge.Message != "Recipient address required" {
		t.Fatalf("message = %q", ge.Message)
	}
	if _, err := b.gmail.Users.Drafts.Get("me", d.Id).Do(); err != nil {
		t.Fatalf("a draft that failed to send must remain: %v", err)
	}
	// drafts.send may carry new content for the draft.
	m, err := b.gmail.Users.Drafts.Send("me", &gmail.Draft{Id: d.Id, Message: &gmail.Message{Raw: b64(plainMail("warga@example.com", "sekarang ada", "x"))}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if s := b.srv.Sent("me"); len(s) != 1 || s[0].ID != m.Id || s[0].Subject != "sekarang ada" {
		t.Fatalf("Sent = %+v", s)
	}
}

func TestGmailDraftUpdateAndDelete(t *testing.T) {
	b := setupGmail(t)
	d := createDraft(t, b, plainMail("warga@example.com", "versi 1", "x"))
	u, err := b.gmail.Users.Drafts.Update("me", d.Id, &gmail.Draft{Message: &gmail.Message{Raw: b64(plainMail("warga@example.com", "versi 2", "x"))}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if u.Id != d.Id || u.Message.Id == d.Message.Id {
		t.Fatalf("update = %+v: same draft id, new message id expected", u)
	}
	_, err = b.gmail.Users.Messages.Get("me", d.Message.Id).Do()
	gmailAPIError(t, err, 404)

	list, err := b.gmail.Users.Drafts.List("me").Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Drafts) != 1 || list.Drafts[0].Id != d.Id || list.Drafts[0].Message.Id != u.Message.Id {
		t.Fatalf("drafts.list = %+v", list.Drafts)
	}
	if list, _ := b.gmail.Users.Drafts.List("me").Q("subject:\"versi 1\"").Do(); len(list.Drafts) != 0 {
		t.Fatal("the replaced content is still searchable")
	}

	if err := b.gmail.Users.Drafts.Delete("me", d.Id).Do(); err != nil {
		t.Fatal(err)
	}
	err = b.gmail.Users.Drafts.Delete("me", d.Id).Do()
	gmailAPIError(t, err, 404)
	_, err = b.gmail.Users.Messages.Get("me", u.Message.Id).Do()
	gmailAPIError(t, err, 404)
	_, err = b.gmail.Users.Drafts.Send("me", &gmail.Draft{Id: d.Id}).Do()
	gmailAPIError(t, err, 404)
	if len(b.srv.Sent("me")) != 0 {
		t.Fatal("a deleted draft was sent")
	}
}

func TestGmailDraftCreateByUpload(t *testing.T) {
	b := setupGmail(t)
	d, err := b.gmail.Users.Drafts.Create("me", &gmail.Draft{}).
		Media(strings.NewReader(plainMail("warga@example.com", "Draf upload", "x")), googleapi.ContentType("message/rfc822")).Do()
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.gmail.Users.Drafts.Get("me", d.Id).Format("metadata").Do()
	if err != nil {
		t.Fatal(err)
	}
	if header(got.Message.Payload.Headers, "Subject") != "Draf upload" {
		t.Fatalf("draft headers = %+v", got.Message.Payload.Headers)
	}
}

func TestGmailDraftInThread(t *testing.T) {
	b := setupGmail(t)
	first := sendRaw(t, b, plainMail("warga@example.com", "Tiket 3", "x"), "")
	ref := "In-Reply-To: <" + b.srv.Sent("me")[0].MessageID + ">"
	d, err := b.gmail.Users.Drafts.Create("me", &gmail.Draft{Message: &gmail.Message{
		Raw: b64(plainMail("warga@example.com", "Re: Tiket 3", "y", ref)), ThreadId: first.ThreadId,
	}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if d.Message.ThreadId != first.ThreadId {
		t.Fatalf("draft threadId = %q, want %q", d.Message.ThreadId, first.ThreadId)
	}
	m, err := b.gmail.Users.Drafts.Send("me", &gmail.Draft{Id: d.Id}).Do()
	if err != nil {
		t.Fatal(err)
	}
	th, err := b.gmail.Users.Threads.Get("me", first.ThreadId).Format("minimal").Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(th.Messages) != 2 || th.Messages[1].Id != m.Id {
		t.Fatalf("thread = %v, want the sent draft second", ids(th.Messages))
	}
}
