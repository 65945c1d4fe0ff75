package fake_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"google.golang.org/api/gmail/v1"
)

// TestGmailListQuery runs each supported q operator against a small
// mailbox: two sent messages, a draft and a received one.
func TestGmailListQuery(t *testing.T) {
	b := setupGmail(t)
	tiket := sendRaw(t, b, plainMail("Warga Satu <warga1@example.com>", "Tiket 001 diterima", "Nomor tiket Anda 001. Terima kasih."), "")
	tiketMsgID := b.srv.Sent("me")[0].MessageID
	jadwal := sendRaw(t, b, "To: warga2@example.org\r\nCc: dinas@example.go.id\r\nSubject: Pengingat jadwal\r\n\r\n"+
		"Jadwal konsultasi besok pukul 09.00 di kantor Inspektorat.\r\n", "")
	alt := sendRaw(t, b, alternativeMail(t, "warga3@example.net"), "")
	draft := createDraft(t, b, plainMail("warga4@example.com", "Draf balasan", "belum dikirim"))
	inboxID, _, err := b.srv.DeliverMessage("me", []byte("From: Budi <budi@example.com>\r\nTo: "+account+
		"\r\nSubject: Pertanyaan jadwal\r\nMessage-ID: <masuk-1@example.com>\r\n\r\nKapan jadwal konsultasi?\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	name := map[string]string{tiket.Id: "tiket", jadwal.Id: "jadwal", alt.Id: "alt", draft.Message.Id: "draft", inboxID: "inbox"}

	cases := []struct {
		q    string
		want []string // names, any order
	}{
		{"", []string{"tiket", "jadwal", "alt", "draft", "inbox"}},
		{"rfc822msgid:" + tiketMsgID, []string{"tiket"}},
		{"rfc822msgid:<" + tiketMsgID + ">", []string{"tiket"}},
		{"rfc822msgid:<masuk-1@example.com>", []string{"inbox"}},
		{"rfc822msgid:client-chosen@kopi.local", nil}, // replaced by Gmail's
		{"subject:tiket", []string{"tiket"}},
		{"subject:JADWAL", []string{"jadwal", "inbox"}},
		{`subject:"pengingat jadwal"`, []string{"jadwal"}},
		{`subject:"jadwal pengingat"`, nil},
		{"subject:(pertanyaan jadwal)", []string{"inbox"}},
		{"subject:(tiket OR pengingat)", []string{"tiket", "jadwal"}},
		{"subject:tik", nil}, // whole words only
		{"to:warga1@example.com", []string{"tiket"}},
		{"to:example.org", []string{"jadwal"}},
		{"to:dinas@example.go.id", []string{"jadwal"}}, // a Cc recipient
		{"cc:dinas@example.go.id", []string{"jadwal"}},
		{"to:me", []string{"inbox"}},
		{"from:budi", []string{"inbox"}},
		{"from:me", []string{"tiket", "jadwal", "alt", "draft"}},
		{"in:sent", []string{"tiket", "jadwal", "alt"}},
		{"in:inbox", []string{"inbox"}},
		{"in:drafts", []string{"draft"}},
		{"label:sent", []string{"tiket", "jadwal", "alt"}},
		{"is:unread", []string{"inbox"}},
		{`"konsultasi besok"`, []string{"jadwal"}},
		{`"KONSULTASI BESOK pukul"`, []string{"jadwal"}},
		{`"besok konsultasi"`, nil},
		{"konsultasi jadwal", []string{"jadwal", "inbox"}},
		{"konsultasi -besok", []string{"inbox"}},
		{"tiket OR kapan", []string{"tiket", "inbox"}},
		{"{tiket kapan}", []string{"tiket", "inbox"}},
		{"in:sent jadwal", []string{"jadwal"}},
		{"in:sent subject:tiket to:warga1@example.com", []string{"tiket"}},
		{"terima 🙏", []string{"tiket", "alt"}},
		{"pengaduan", []string{"alt"}}, // from the RFC 2047 subject and QP body
		{"unknownop:value", nil},
		{"after:2026/03/02 before:2026/03/03", []string{"tiket", "jadwal", "alt", "draft", "inbox"}},
		{"before:2026/03/01", nil},
		{"newer_than:1d", []string{"tiket", "jadwal", "alt", "draft", "inbox"}},
		{"older_than:1d", nil},
	}
	for _, tc := range cases {
		t.Run(tc.q, func(t *testing.T) {
			r, err := b.gmail.Users.Messages.List("me").Q(tc.q).Do()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range r.Messages {
				got = append(got, name[m.Id])
			}
			slices.Sort(got)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("q=%q: got %v, want %v", tc.q, got, want)
			}
			if r.ResultSizeEstimate != int64(len(want)) {
				t.Fatalf("resultSizeEstimate = %d, want %d", r.ResultSizeEstimate, len(want))
			}
		})
	}
}

func TestGmailListLabelIDs(t *testing.T) {
	b := setupGmail(t)
	sendRaw(t, b, plainMail("a@example.com", "keluar", "x"), "")
	self := sendRaw(t, b, plainMail(account, "ke diri sendiri", "x"), "")
	for _, tc := range []struct {
		labels []string
		want   int
	}{
		{[]string{"SENT"}, 2},
		{[]string{"INBOX"}, 1},
		{[]string{"SENT", "UNREAD"}, 1},
		{[]string{"DRAFT"}, 0},
	} {
		r, err := b.gmail.Users.Messages.List("me").LabelIds(tc.labels...).Do()
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Messages) != tc.want {
			t.Fatalf("labelIds %v: %d messages, want %d", tc.labels, len(r.Messages), tc.want)
		}
		if tc.want == 1 && r.Messages[0].Id != self.Id {
			t.Fatalf("labelIds %v: got %s", tc.labels, r.Messages[0].Id)
		}
	}
}

func TestGmailListPagingNewestFirst(t *testing.T) {
	b := setupGmail(t)
	var sent []string
	for i := 0; i < 7; i++ {
		sent = append(sent, sendRaw(t, b, plainMail("a@example.com", fmt.Sprintf("pesan %d", i), "x"), "").Id)
	}
	slices.Reverse(sent) // newest first

	var got []string
	token := ""
	pages := 0
	for {
		call := b.gmail.Users.Messages.List("me").MaxResults(3)
		if token != "" {
			call = call.PageToken(token)
		}
		r, err := call.Do()
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if r.ResultSizeEstimate != 7 {
			t.Fatalf("resultSizeEstimate = %d", r.ResultSizeEstimate)
		}
		for _, m := range r.Messages {
			got = append(got, m.Id)
		}
		if r.NextPageToken == "" {
			break
		}
		token = r.NextPageToken
	}
	if pages != 3 || !slices.Equal(got, sent) {
		t.Fatalf("%d pages %v, want 3 pages %v", pages, got, sent)
	}

	// Pages() walks the same tokens.
	var walked []string
	err := b.gmail.Users.Messages.List("me").MaxResults(2).Pages(b.ctx, func(r *gmail.ListMessagesResponse) error {
		for _, m := range r.Messages {
			walked = append(walked, m.Id)
		}
		return nil
	})
	if err != nil || !slices.Equal(walked, sent) {
		t.Fatalf("Pages: %v %v", walked, err)
	}

	// Default page size is 100; an empty result has no messages field.
	r, err := b.gmail.Users.Messages.List("me").Q("subject:tidakada").Do()
	if err != nil {
		t.Fatal(err)
	}
	if r.Messages != nil || r.ResultSizeEstimate != 0 || r.NextPageToken != "" {
		t.Fatalf("empty list = %+v", r)
	}
	_, err = b.gmail.Users.Messages.List("me").PageToken("garbage").Do()
	gmailAPIError(t, err, 400)
}

func TestGmailListDefaultPageSize(t *testing.T) {
	b := setupGmail(t)
	for i := 0; i < 101; i++ {
		sendRaw(t, b, plainMail("a@example.com", "massal", strings.Repeat("x", i)), "")
	}
	r, err := b.gmail.Users.Messages.List("me").Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Messages) != 100 || r.NextPageToken == "" {
		t.Fatalf("default page: %d messages, next %q", len(r.Messages), r.NextPageToken)
	}
	r, err = b.gmail.Users.Messages.List("me").MaxResults(1000).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Messages) != 101 {
		t.Fatalf("maxResults above 500 is capped, not refused: %d", len(r.Messages))
	}
}
