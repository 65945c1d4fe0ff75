package fake_test

import (
	"encoding/base64"
	"slices"
	"strings"
	"testing"

	"google.golang.org/api/forms/v1"
	"google.golang.org/api/gmail/v1"
	"google.golang.org/api/sheets/v4"
)

func TestInspectListsFormsAndSpreadsheets(t *testing.T) {
	b := setup(t)
	if got := b.srv.FormIDs(); len(got) != 0 {
		t.Fatalf("FormIDs of an empty fake = %v", got)
	}
	f2, err := b.srv.SeedForm(&forms.Form{FormId: "form-b", Info: &forms.Info{Title: "B"}})
	if err != nil {
		t.Fatal(err)
	}
	f1, err := b.srv.SeedForm(&forms.Form{FormId: "form-a", Info: &forms.Info{Title: "A"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := b.srv.FormIDs(), []string{f1.FormId, f2.FormId}; !slices.Equal(got, want) {
		t.Errorf("FormIDs = %v, want %v", got, want)
	}
	id, err := b.srv.SeedSpreadsheet("Pelacak", "Konsultasi", "Laporan")
	if err != nil {
		t.Fatal(err)
	}
	if got := b.srv.SpreadsheetIDs(); !slices.Equal(got, []string{id}) {
		t.Errorf("SpreadsheetIDs = %v, want [%s]", got, id)
	}
}

func TestInspectSpreadsheetMatchesGet(t *testing.T) {
	b := setup(t)
	id, err := b.srv.SeedSpreadsheet("Pelacak", "Konsultasi")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.srv.SetValues(id, "Konsultasi!A1:B2", [][]any{{"Nama", "Jumlah"}, {"Budi", "=1+2"}}, true); err != nil {
		t.Fatal(err)
	}
	got, err := b.srv.Spreadsheet(id)
	if err != nil {
		t.Fatal(err)
	}
	want, err := b.sheets.Spreadsheets.Get(id).IncludeGridData(true).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Sheets) != 1 || len(want.Sheets) != 1 {
		t.Fatalf("sheets: got %d, get returned %d", len(got.Sheets), len(want.Sheets))
	}
	rows := got.Sheets[0].Data[0].RowData
	if len(rows) != 2 {
		t.Fatalf("rows = %d, want 2 (trailing empty rows left out)", len(rows))
	}
	cell := rows[1].Values[1]
	if cell.UserEnteredValue.FormulaValue == nil || *cell.UserEnteredValue.FormulaValue != "=1+2" || cell.FormattedValue != "3" {
		t.Errorf("B2 = %+v / %q, want formula =1+2 showing 3", cell.UserEnteredValue, cell.FormattedValue)
	}
	wantCell := want.Sheets[0].Data[0].RowData[1].Values[1]
	if wantCell.FormattedValue != cell.FormattedValue {
		t.Errorf("Spreadsheet shows %q, spreadsheets.get %q", cell.FormattedValue, wantCell.FormattedValue)
	}
	if _, err := b.srv.Spreadsheet("nope"); err == nil {
		t.Error("Spreadsheet of an unknown id: want an error")
	}
	var _ *sheets.Spreadsheet = got
}

func TestInspectMailboxMessages(t *testing.T) {
	b := setup(t)
	sent := sendRaw(t, b, "To: a@example.com\r\nSubject: satu\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<p>Halo</p>", "")
	draft, err := b.gmail.Users.Drafts.Create("me", &gmail.Draft{Message: &gmail.Message{Raw: b64("To: b@example.com\r\nSubject: dua\r\n\r\nisi")}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	ms, err := b.srv.MailboxMessages("me")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Id != sent.Id || ms[1].Id != draft.Message.Id {
		t.Fatalf("MailboxMessages = %d messages, want the sent one then the draft", len(ms))
	}
	if !slices.Contains(ms[0].LabelIds, "SENT") || !slices.Contains(ms[1].LabelIds, "DRAFT") {
		t.Errorf("labels = %v, %v", ms[0].LabelIds, ms[1].LabelIds)
	}
	body, err := base64.URLEncoding.DecodeString(ms[0].Payload.Body.Data)
	if err != nil || string(body) != "<p>Halo</p>" {
		t.Errorf("payload body = %q, %v", body, err)
	}
	if _, err := b.srv.MailboxMessages("other@example.com"); err == nil {
		t.Error("another user's mailbox: want the delegation error")
	}
	if b.srv.Account() != "kopi@example.go.id" {
		t.Errorf("Account = %q", b.srv.Account())
	}
}

// TestMaxRequestBytes: the fake reports the largest request body per
// method (what a client uploaded in one call), and ResetCalls clears it.
func TestMaxRequestBytes(t *testing.T) {
	b := setup(t)
	id, err := b.srv.SeedSpreadsheet("Pelacak", "Konsultasi")
	if err != nil {
		t.Fatal(err)
	}
	const m = "sheets.spreadsheets.values.update"
	for _, n := range []int{10, 5000, 100} {
		v := &sheets.ValueRange{Values: [][]any{{strings.Repeat("x", n)}}}
		if _, err := b.sheets.Spreadsheets.Values.Update(id, "Konsultasi!A1", v).ValueInputOption("RAW").Do(); err != nil {
			t.Fatal(err)
		}
	}
	got := b.srv.MaxRequestBytes()[m]
	if got < 5000 || got > 5100 {
		t.Errorf("largest values.update body = %d bytes, want the 5,000-character one (5,000 + its JSON)", got)
	}
	b.srv.ResetCalls()
	if got := b.srv.MaxRequestBytes()[m]; got != 0 {
		t.Errorf("after ResetCalls: %d, want 0", got)
	}
}
