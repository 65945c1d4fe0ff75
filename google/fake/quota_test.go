package fake_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"google.golang.org/api/googleapi"
	"google.golang.org/api/sheets/v4"

	"kopi/google/fake"
)

// rateLimitDetail returns the ErrorInfo reason of a 429, failing unless
// the error is Google's quota refusal.
func rateLimitDetail(t *testing.T, err error) string {
	t.Helper()
	var ge *googleapi.Error
	if !errors.As(err, &ge) || ge.Code != 429 {
		t.Fatalf("want a 429, got %v", err)
	}
	if len(ge.Errors) == 0 || ge.Errors[0].Reason != "rateLimitExceeded" {
		t.Errorf("legacy reason = %+v", ge.Errors)
	}
	if len(ge.Details) != 1 {
		t.Fatalf("details = %v", ge.Details)
	}
	b, _ := json.Marshal(ge.Details[0])
	var info struct {
		Type     string            `json:"@type"`
		Reason   string            `json:"reason"`
		Metadata map[string]string `json:"metadata"`
	}
	if err := json.Unmarshal(b, &info); err != nil {
		t.Fatal(err)
	}
	if info.Type != "type.googleapis.com/google.rpc.ErrorInfo" || info.Metadata["service"] != "sheets.googleapis.com" {
		t.Errorf("detail = %s", b)
	}
	return info.Reason + " " + info.Metadata["quota_limit"]
}

// TestSheetsQuotaPerMinute: with SheetsQuota, the 61st read of a minute
// is refused with Google's 429 (ErrorInfo RATE_LIMIT_EXCEEDED), writes
// count separately, and the next minute refills the quota.
func TestSheetsQuotaPerMinute(t *testing.T) {
	clock := fake.NewClock(time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC))
	b := setupWith(t, fake.Options{Now: clock.Now, SheetsQuota: true})
	ss, err := b.sheets.Spreadsheets.Create(&sheets.Spreadsheet{Properties: &sheets.SpreadsheetProperties{Title: "Kuota"}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 60; i++ {
		if _, err := b.sheets.Spreadsheets.Get(ss.SpreadsheetId).Do(); err != nil {
			t.Fatalf("read %d: %v", i+1, err)
		}
	}
	_, err = b.sheets.Spreadsheets.Get(ss.SpreadsheetId).Do()
	if got := rateLimitDetail(t, err); got != "RATE_LIMIT_EXCEEDED ReadRequestsPerMinutePerUser" {
		t.Errorf("61st read: %s", got)
	}
	if _, err := b.sheets.Spreadsheets.Values.Update(ss.SpreadsheetId, "A1", &sheets.ValueRange{Values: [][]any{{"x"}}}).ValueInputOption("RAW").Do(); err != nil {
		t.Errorf("a write is refused by the read quota: %v", err)
	}
	if n := b.srv.QuotaRefusals(); n != 1 {
		t.Errorf("refusals = %d, want 1", n)
	}
	clock.Advance(time.Minute)
	if _, err := b.sheets.Spreadsheets.Get(ss.SpreadsheetId).Do(); err != nil {
		t.Errorf("read in the next minute: %v", err)
	}
}

// TestFault429HasErrorInfo: a 429 fault carries the same details.
func TestFault429HasErrorInfo(t *testing.T) {
	b := setup(t)
	if err := b.srv.AddFault(fake.Fault{Method: "sheets.spreadsheets.create", Status: 429}); err != nil {
		t.Fatal(err)
	}
	_, err := b.sheets.Spreadsheets.Create(&sheets.Spreadsheet{}).Do()
	if got := rateLimitDetail(t, err); got != "RATE_LIMIT_EXCEEDED WriteRequestsPerMinutePerUser" {
		t.Errorf("fault 429: %s", got)
	}
}
