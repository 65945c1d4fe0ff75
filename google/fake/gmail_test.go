package fake_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/api/gmail/v1"
	"google.golang.org/api/googleapi"

	"kopi/google/fake"
)

const account = "kopi@example.go.id"

// tickingClock returns a clock that advances one second per reading, so
// messages sent in a row have increasing internal dates.
func tickingClock() func() time.Time {
	base := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	var n atomic.Int64
	return func() time.Time { return base.Add(time.Duration(n.Add(1)) * time.Second) }
}

func setupGmail(t *testing.T) *bundle {
	t.Helper()
	return setupWith(t, fake.Options{Now: tickingClock()})
}

// plainMail is a minimal RFC 5322 message.
func plainMail(to, subject, body string, extra ...string) string {
	var b strings.Builder
	b.WriteString("From: Inspektorat <" + account + ">\r\n")
	if to != "" {
		b.WriteString("To: " + to + "\r\n")
	}
	b.WriteString("Subject: " + subject + "\r\n")
	for _, h := range extra {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("Message-ID: <client-chosen@kopi.local>\r\n")
	b.WriteString("Content-Type: text/plain; charset=UTF-8\r\n\r\n")
	b.WriteString(body + "\r\n")
	return b.String()
}

const (
	idnSubject = "Tanggapan pengaduan Anda ☕ — nomor 42"
	idnPlain   = "Terima kasih, Bapak/Ibu. Pengaduan Anda sudah kami terima 🙏\r\nSalam hangat,\r\nInspektorat \"Kota\" & Kabupaten"
	idnHTML    = "<p>Terima kasih, <b>Bapak/Ibu</b>. Pengaduan Anda sudah kami terima 🙏</p>"
)

// alternativeMail is a multipart/alternative message with an RFC 2047
// subject, a quoted-printable UTF-8 text part and a base64 HTML part.
func alternativeMail(t *testing.T, to string) string {
	t.Helper()
	var qp bytes.Buffer
	w := quotedprintable.NewWriter(&qp)
	if _, err := w.Write([]byte(idnPlain)); err != nil {
		t.Fatal(err)
	}
	_ = w.Close()
	return "From: Inspektorat <" + account + ">\r\n" +
		"To: Warga Satu <" + to + ">\r\n" +
		"Subject: " + mime.BEncoding.Encode("UTF-8", idnSubject) + "\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n" +
		"--b1\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
		qp.String() + "\r\n" +
		"--b1\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString([]byte(idnHTML)) + "\r\n" +
		"--b1--\r\n"
}

func b64(s string) string { return base64.URLEncoding.EncodeToString([]byte(s)) }

func sendRaw(t *testing.T, b *bundle, raw, threadID string) *gmail.Message {
	t.Helper()
	m, err := b.gmail.Users.Messages.Send("me", &gmail.Message{Raw: b64(raw), ThreadId: threadID}).Do()
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	return m
}

func gmailAPIError(t *testing.T, err error, code int) *googleapi.Error {
	t.Helper()
	var ge *googleapi.Error
	if !errors.As(err, &ge) {
		t.Fatalf("err = %v, want googleapi error %d", err, code)
	}
	if ge.Code != code {
		t.Fatalf("code = %d (%s), want %d", ge.Code, ge.Message, code)
	}
	return ge
}

var hexID = regexp.MustCompile(`^[0-9a-f]{16}$`)

func TestGmailSendRawJSON(t *testing.T) {
	b := setupGmail(t)
	m := sendRaw(t, b, plainMail("warga@example.com", "Tiket 001", "Halo"), "")
	if !hexID.MatchString(m.Id) {
		t.Fatalf("id %q is not 16 lower-case hex digits", m.Id)
	}
	if m.ThreadId != m.Id {
		t.Fatalf("threadId = %q, want the first message's id %q", m.ThreadId, m.Id)
	}
	if strings.Join(m.LabelIds, ",") != "SENT" {
		t.Fatalf("labelIds = %v, want [SENT]", m.LabelIds)
	}
	sent := b.srv.Sent("me")
	if len(sent) != 1 || sent[0].ID != m.Id || sent[0].ThreadID != m.ThreadId {
		t.Fatalf("Sent = %+v", sent)
	}
	if sent[0].Subject != "Tiket 001" || strings.Join(sent[0].To, ",") != "warga@example.com" {
		t.Fatalf("parsed sent fields = %+v", sent[0])
	}
}

func TestGmailSendReplacesMessageID(t *testing.T) {
	b := setupGmail(t)
	m := sendRaw(t, b, plainMail("warga@example.com", "Tiket", "Halo"), "")
	sent := b.srv.Sent(account)[0]
	if sent.MessageID == "client-chosen@kopi.local" || !strings.HasSuffix(sent.MessageID, "@mail.gmail.com") {
		t.Fatalf("Message-ID = %q, want Gmail's own", sent.MessageID)
	}
	if bytes.Contains(sent.Raw, []byte("client-chosen@kopi.local")) {
		t.Fatalf("stored raw still has the client's Message-ID:\n%s", sent.Raw)
	}
	head, _, _ := bytes.Cut(sent.Raw, []byte("\r\n\r\n"))
	if n := bytes.Count(bytes.ToLower(append([]byte("\r\n"), head...)), []byte("\r\nmessage-id:")); n != 1 {
		t.Fatalf("stored raw has %d Message-ID fields:\n%s", n, sent.Raw)
	}
	got, err := b.gmail.Users.Messages.Get("me", m.Id).Format("raw").Do()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.URLEncoding.DecodeString(got.Raw)
	if err != nil {
		t.Fatalf("raw is not base64url: %v", err)
	}
	if !bytes.Equal(raw, sent.Raw) {
		t.Fatalf("messages.get raw differs from the sent record")
	}
}

func TestGmailSendStampsFromAndKeepsBcc(t *testing.T) {
	b := setupGmail(t)
	raw := "From: Someone Else <spoof@example.com>\r\nTo: a@example.com\r\nBcc: arsip@example.go.id\r\nSubject: x\r\n\r\nbody\r\n"
	sendRaw(t, b, raw, "")
	s := b.srv.Sent("me")[0]
	if !bytes.Contains(s.Raw, []byte("From: \"Someone Else\" <"+account+">")) {
		t.Fatalf("From not replaced by the account:\n%s", s.Raw)
	}
	if strings.Join(s.Bcc, ",") != "arsip@example.go.id" {
		t.Fatalf("Bcc = %v; the sender's copy keeps Bcc", s.Bcc)
	}
	if !bytes.Contains(s.Raw, []byte("\r\nDate: ")) {
		t.Fatalf("no Date added:\n%s", s.Raw)
	}
}

func TestGmailSendMediaUpload(t *testing.T) {
	b := setupGmail(t)
	raw := plainMail("warga@example.com", "Lewat upload", "Isi")
	m, err := b.gmail.Users.Messages.Send("me", &gmail.Message{}).
		Media(strings.NewReader(raw), googleapi.ContentType("message/rfc822")).Do()
	if err != nil {
		t.Fatal(err)
	}
	if !hexID.MatchString(m.Id) || m.LabelIds[0] != "SENT" {
		t.Fatalf("response = %+v", m)
	}
	// uploadType=media: the message alone, no metadata part.
	req, _ := http.NewRequest("POST", b.srv.URL()+"/upload/gmail/v1/users/me/messages/send?uploadType=media",
		strings.NewReader(plainMail("warga@example.com", "Media saja", "Isi")))
	req.Header.Set("Content-Type", "message/rfc822")
	resp, err := b.srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("uploadType=media: %d %s", resp.StatusCode, body)
	}
	sent := b.srv.Sent("me")
	if len(sent) != 2 || sent[0].Subject != "Lewat upload" || sent[1].Subject != "Media saja" {
		t.Fatalf("Sent = %+v", sent)
	}
}

func TestGmailSendRejects(t *testing.T) {
	cases := []struct {
		name string
		raw  string // base64url unless literal
		lit  bool
		want string
	}{
		{"no recipient", b64(plainMail("", "x", "y")), false, "Recipient address required"},
		{"empty To", b64("To: \r\nSubject: x\r\n\r\nbody"), false, "Recipient address required"},
		{"no header at all", b64("just some words"), false, "Recipient address required"},
		{"unparseable To", b64(plainMail("not an address", "x", "y")), false, "Invalid To header"},
		{"undotted domain", b64(plainMail("someone@host", "x", "y")), false, "Invalid To header"},
		{"bad Cc", b64("To: a@example.com\r\nCc: <broken\r\n\r\nx"), false, "Invalid Cc header"},
		{"empty raw", "", true, "'raw' RFC822 payload message string or uploading message via /upload/* URL required"},
		{"not base64", "!!!not base64!!!", true, "Base64 decoding failed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := setupGmail(t)
			_, err := b.gmail.Users.Messages.Send("me", &gmail.Message{Raw: tc.raw}).Do()
			ge := gmailAPIError(t, err, 400)
			if !strings.Contains(ge.Message, tc.want) {
				t.Fatalf("message = %q, want %q", ge.Message, tc.want)
			}
			if len(ge.Errors) == 0 || ge.Errors[0].Reason != "badRequest" && ge.Errors[0].Reason != "invalidArgument" {
				t.Fatalf("errors = %+v", ge.Errors)
			}
			if n := len(b.srv.Sent("me")); n != 0 {
				t.Fatalf("a rejected message was sent (%d)", n)
			}
		})
	}
}

func TestGmailUserID(t *testing.T) {
	b := setupGmail(t)
	for _, u := range []string{"me", account, strings.ToUpper(account)} {
		p, err := b.gmail.Users.GetProfile(u).Do()
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		if p.EmailAddress != account {
			t.Fatalf("%s: emailAddress = %q", u, p.EmailAddress)
		}
	}
	_, err := b.gmail.Users.Messages.Send("other@example.go.id", &gmail.Message{Raw: b64(plainMail("a@example.com", "x", "y"))}).Do()
	ge := gmailAPIError(t, err, 403)
	if ge.Message != "Delegation denied for other@example.go.id" {
		t.Fatalf("message = %q", ge.Message)
	}
	if len(b.srv.Sent("me")) != 0 {
		t.Fatal("a message was sent as another user")
	}
}

func TestGmailCustomAccount(t *testing.T) {
	b := setupWith(t, fake.Options{Account: "inspektorat@example.go.id"})
	p, err := b.gmail.Users.GetProfile("me").Do()
	if err != nil {
		t.Fatal(err)
	}
	if p.EmailAddress != "inspektorat@example.go.id" {
		t.Fatalf("emailAddress = %q", p.EmailAddress)
	}
	_, err = b.gmail.Users.GetProfile(account).Do()
	gmailAPIError(t, err, 403)
}

func TestGmailGetProfileCounts(t *testing.T) {
	b := setupGmail(t)
	before, err := b.gmail.Users.GetProfile("me").Do()
	if err != nil {
		t.Fatal(err)
	}
	first := sendRaw(t, b, plainMail("a@example.com", "Satu", "x"), "")
	sendRaw(t, b, plainMail("a@example.com", "Dua", "x"), "")
	sendRaw(t, b, plainMail("a@example.com", "Re: Satu", "x", "In-Reply-To: <"+b.srv.Sent("me")[0].MessageID+">"), first.ThreadId)
	p, err := b.gmail.Users.GetProfile("me").Do()
	if err != nil {
		t.Fatal(err)
	}
	if p.MessagesTotal != 3 || p.ThreadsTotal != 2 {
		t.Fatalf("profile = %+v, want 3 messages in 2 threads", p)
	}
	if p.HistoryId <= before.HistoryId {
		t.Fatalf("historyId %d did not grow past %d", p.HistoryId, before.HistoryId)
	}
}

func TestGmailLabelsList(t *testing.T) {
	b := setupGmail(t)
	r, err := b.gmail.Users.Labels.List("me").Do()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]string{}
	for _, l := range r.Labels {
		have[l.Id] = l.Type
	}
	for _, id := range []string{"INBOX", "SENT", "DRAFT", "SPAM", "TRASH", "UNREAD"} {
		if have[id] != "system" {
			t.Fatalf("label %s missing or not a system label: %v", id, have)
		}
	}
	_, err = b.gmail.Users.Labels.List("someone@example.com").Do()
	gmailAPIError(t, err, 403)
}

func TestGmailSendToSelf(t *testing.T) {
	b := setupGmail(t)
	m := sendRaw(t, b, plainMail(account, "Catatan", "untuk diri sendiri"), "")
	got := strings.Join(m.LabelIds, ",")
	if got != "UNREAD,SENT,INBOX" {
		t.Fatalf("labelIds = %s, want UNREAD,SENT,INBOX", got)
	}
}

func TestGmailGetFormats(t *testing.T) {
	b := setupGmail(t)
	sent := sendRaw(t, b, alternativeMail(t, "warga1@example.com"), "")

	full, err := b.gmail.Users.Messages.Get("me", sent.Id).Do() // format defaults to full
	if err != nil {
		t.Fatal(err)
	}
	p := full.Payload
	if p.MimeType != "multipart/alternative" || p.PartId != "" || len(p.Parts) != 2 {
		t.Fatalf("payload = %+v", p)
	}
	if subj := header(p.Headers, "Subject"); subj != idnSubject {
		t.Fatalf("Subject = %q, want the decoded %q", subj, idnSubject)
	}
	plain, htmlPart := p.Parts[0], p.Parts[1]
	if plain.PartId != "0" || plain.MimeType != "text/plain" || htmlPart.PartId != "1" || htmlPart.MimeType != "text/html" {
		t.Fatalf("parts = %+v / %+v", plain, htmlPart)
	}
	if got := decodeData(t, plain.Body.Data); got != idnPlain {
		t.Fatalf("text/plain = %q, want %q", got, idnPlain)
	}
	if plain.Body.Size != int64(len(idnPlain)) {
		t.Fatalf("body.size = %d, want %d", plain.Body.Size, len(idnPlain))
	}
	if got := decodeData(t, htmlPart.Body.Data); got != idnHTML {
		t.Fatalf("text/html = %q", got)
	}
	wantSnippet := "Terima kasih, Bapak/Ibu. Pengaduan Anda sudah kami terima 🙏 Salam hangat, Inspektorat &quot;Kota&quot; &amp; Kabupaten"
	if full.Snippet != wantSnippet {
		t.Fatalf("snippet = %q, want %q", full.Snippet, wantSnippet)
	}
	if full.InternalDate == 0 || full.HistoryId == 0 || full.SizeEstimate == 0 {
		t.Fatalf("missing internalDate/historyId/sizeEstimate: %+v", full)
	}

	meta, err := b.gmail.Users.Messages.Get("me", sent.Id).Format("metadata").MetadataHeaders("Subject", "to").Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(meta.Payload.Headers) != 2 || header(meta.Payload.Headers, "To") != "Warga Satu <warga1@example.com>" ||
		header(meta.Payload.Headers, "Subject") != idnSubject || len(meta.Payload.Parts) != 0 {
		t.Fatalf("metadata payload = %+v", meta.Payload)
	}

	minimal, err := b.gmail.Users.Messages.Get("me", sent.Id).Format("minimal").Do()
	if err != nil {
		t.Fatal(err)
	}
	if minimal.Payload != nil || minimal.Raw != "" || minimal.Snippet != wantSnippet || minimal.ThreadId != sent.ThreadId {
		t.Fatalf("minimal = %+v", minimal)
	}

	raw, err := b.gmail.Users.Messages.Get("me", sent.Id).Format("raw").Do()
	if err != nil {
		t.Fatal(err)
	}
	if raw.Payload != nil || decodeData(t, raw.Raw) != string(b.srv.Sent("me")[0].Raw) {
		t.Fatalf("raw format does not round-trip the stored message")
	}
	if !strings.Contains(b.srv.Sent("me")[0].Text, "Pengaduan Anda sudah kami terima 🙏") {
		t.Fatalf("Sent text = %q", b.srv.Sent("me")[0].Text)
	}
}

func TestGmailGetMissing(t *testing.T) {
	b := setupGmail(t)
	_, err := b.gmail.Users.Messages.Get("me", "18c0ffee00000000").Do()
	gmailAPIError(t, err, 404)
	_, err = b.gmail.Users.Messages.Get("me", "not-an-id").Do()
	gmailAPIError(t, err, 400)
}

func header(hs []*gmail.MessagePartHeader, name string) string {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

func decodeData(t *testing.T, s string) string {
	t.Helper()
	b, err := base64.URLEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("not base64url: %v", err)
	}
	return string(b)
}

func TestGmailThreading(t *testing.T) {
	b := setupGmail(t)
	first := sendRaw(t, b, plainMail("warga@example.com", "Tiket 7", "pertama"), "")
	firstID := b.srv.Sent("me")[0].MessageID
	reply := plainMail("warga@example.com", "Re: Tiket 7", "kedua", "In-Reply-To: <"+firstID+">", "References: <"+firstID+">")

	second := sendRaw(t, b, reply, first.ThreadId)
	if second.ThreadId != first.ThreadId {
		t.Fatalf("reply threadId = %q, want %q", second.ThreadId, first.ThreadId)
	}
	// Without matching headers Gmail starts a new thread despite threadId.
	other := sendRaw(t, b, plainMail("warga@example.com", "Topik lain", "x", "References: <"+firstID+">"), first.ThreadId)
	if other.ThreadId == first.ThreadId {
		t.Fatal("a message with another subject joined the thread")
	}
	noRefs := sendRaw(t, b, plainMail("warga@example.com", "Re: Tiket 7", "x"), first.ThreadId)
	if noRefs.ThreadId == first.ThreadId {
		t.Fatal("a message without References/In-Reply-To joined the thread")
	}
	// Without threadId a reply starts its own thread (threadId is required).
	loose := sendRaw(t, b, reply, "")
	if loose.ThreadId == first.ThreadId {
		t.Fatal("a reply without threadId joined the thread")
	}

	_, err := b.gmail.Users.Messages.Send("me", &gmail.Message{Raw: b64(reply), ThreadId: "18c0ffee00000000"}).Do()
	ge := gmailAPIError(t, err, 400)
	if ge.Message != "Invalid thread_id value" {
		t.Fatalf("message = %q", ge.Message)
	}

	th, err := b.gmail.Users.Threads.Get("me", first.ThreadId).Format("minimal").Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(th.Messages) != 2 || th.Messages[0].Id != first.Id || th.Messages[1].Id != second.Id {
		t.Fatalf("thread messages = %v, want [%s %s] oldest first", ids(th.Messages), first.Id, second.Id)
	}
	if th.Messages[0].Payload != nil || th.HistoryId == 0 {
		t.Fatalf("minimal thread = %+v", th)
	}
	full, err := b.gmail.Users.Threads.Get("me", first.ThreadId).Do()
	if err != nil {
		t.Fatal(err)
	}
	if full.Messages[1].Payload == nil || header(full.Messages[1].Payload.Headers, "Subject") != "Re: Tiket 7" {
		t.Fatalf("full thread payload = %+v", full.Messages[1].Payload)
	}
	_, err = b.gmail.Users.Threads.Get("me", "18c0ffee00000000").Do()
	gmailAPIError(t, err, 404)

	list, err := b.gmail.Users.Threads.List("me").Q("subject:tiket").Do()
	if err != nil {
		t.Fatal(err)
	}
	if list.ResultSizeEstimate != 3 || list.Threads[len(list.Threads)-1].Id != first.ThreadId {
		t.Fatalf("threads.list = %+v", list.Threads)
	}
}

func TestGmailDeliveredReplyJoinsThread(t *testing.T) {
	b := setupGmail(t)
	first := sendRaw(t, b, plainMail("warga@example.com", "Tiket 9", "x"), "")
	msgID := b.srv.Sent("me")[0].MessageID
	id, thread, err := b.srv.DeliverMessage("me", []byte("From: warga@example.com\r\nTo: "+account+
		"\r\nSubject: Re: Tiket 9\r\nIn-Reply-To: <"+msgID+">\r\nMessage-ID: <balasan@example.com>\r\n\r\nterima kasih\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if thread != first.ThreadId {
		t.Fatalf("delivered reply thread = %q, want %q", thread, first.ThreadId)
	}
	m, err := b.gmail.Users.Messages.Get("me", id).Format("minimal").Do()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(m.LabelIds, ",") != "INBOX,UNREAD" {
		t.Fatalf("labels = %v", m.LabelIds)
	}
	if len(b.srv.Sent("me")) != 1 {
		t.Fatal("a delivered message counts as sent")
	}
}

func ids(ms []*gmail.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Id
	}
	return out
}

func TestGmailSentControlEndpoint(t *testing.T) {
	b := setupGmail(t)
	m1 := sendRaw(t, b, plainMail("a@example.com", "Satu", "x"), "")
	m2 := sendRaw(t, b, plainMail("b@example.com", "Dua", "x"), "")
	resp, err := http.Get(b.srv.URL() + "/_fake/gmail/me/sent")
	if err != nil {
		t.Fatal(err)
	}
	var got []struct {
		ID       string `json:"id"`
		ThreadID string `json:"threadId"`
		Raw      string `json:"raw"`
	}
	err = json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != m1.Id || got[1].ID != m2.Id || got[1].ThreadID != m2.ThreadId {
		t.Fatalf("sent = %+v", got)
	}
	if raw := decodeData(t, got[1].Raw); !strings.Contains(raw, "Subject: Dua") {
		t.Fatalf("raw = %q", raw)
	}
	resp, err = http.Get(b.srv.URL() + "/_fake/gmail/someone@example.com/sent")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Fatalf("other user's sent: %d, want 403", resp.StatusCode)
	}
	if err := b.srv.ResetMailbox("me"); err != nil {
		t.Fatal(err)
	}
	if n := len(b.srv.Sent("me")); n != 0 {
		t.Fatalf("after reset: %d sent", n)
	}
}

func TestGmailSendingLimitFault(t *testing.T) {
	b := setupGmail(t)
	retry := time.Date(2026, 3, 3, 8, 0, 0, 0, time.UTC)
	if err := b.srv.AddFault(fake.GmailSendingLimitFault("gmail.users.messages.send", retry)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		_, err := b.gmail.Users.Messages.Send("me", &gmail.Message{Raw: b64(plainMail("a@example.com", "x", "y"))}).Do()
		ge := gmailAPIError(t, err, 429)
		want := "User-rate limit exceeded.  Retry after 2026-03-03T08:00:00.000Z (Mail sending)"
		if ge.Message != want || ge.Errors[0].Reason != "rateLimitExceeded" {
			t.Fatalf("attempt %d: %q %+v", i, ge.Message, ge.Errors)
		}
	}
	if len(b.srv.Sent("me")) != 0 {
		t.Fatal("a message went out past the limit")
	}
	b.srv.ClearFaults()
	sendRaw(t, b, plainMail("a@example.com", "x", "y"), "")
}

func TestGmailTrashAndIncludeSpamTrash(t *testing.T) {
	b := setupGmail(t)
	m := sendRaw(t, b, plainMail("a@example.com", "Buang", "x"), "")
	if _, err := b.gmail.Users.Messages.Trash("me", m.Id).Do(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		call *gmail.UsersMessagesListCall
		want int
	}{
		{b.gmail.Users.Messages.List("me"), 0},
		{b.gmail.Users.Messages.List("me").IncludeSpamTrash(true), 1},
		{b.gmail.Users.Messages.List("me").Q("in:trash"), 1},
	} {
		r, err := tc.call.Do()
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Messages) != tc.want {
			t.Fatalf("got %d messages, want %d", len(r.Messages), tc.want)
		}
	}
	if err := b.gmail.Users.Messages.Delete("me", m.Id).Do(); err != nil {
		t.Fatal(err)
	}
	_, err := b.gmail.Users.Messages.Get("me", m.Id).Do()
	gmailAPIError(t, err, 404)
	if len(b.srv.Sent("me")) != 1 {
		t.Fatal("deleting the stored copy erased the sent record")
	}
}

func ExampleServer_Sent() {
	srv, _ := fake.New(fake.Options{NoListener: true})
	defer srv.Close()
	// ... run kopi against srv, then inspect what it mailed:
	for _, m := range srv.Sent("me") {
		fmt.Println(m.To, m.Subject)
	}
	// Output:
}
