package google_test

import (
	"context"
	"testing"

	"google.golang.org/api/googleapi"
	"google.golang.org/api/sheets/v4"

	"kopi/google"
	"kopi/google/fake"
	"kopi/rules"
)

// localeTracker is a tracker made by kopi (locale id_ID) and switched to
// locale when that is another, as an admin does in File > Settings.
func localeTracker(t *testing.T, locale string) (context.Context, *google.Services, string, *google.Tracker) {
	t.Helper()
	ctx := context.Background()
	srv, err := fake.New(fake.Options{NoListener: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	svc, err := google.NewServices(ctx, google.Options{Endpoint: srv.URL(), HTTPClient: srv.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	cfg := rules.DefaultConfig()
	cfg.Intake.FormID, cfg.Tracker.SpreadsheetID = "form", "sheet"
	cfg.Mail.Sender.Address, cfg.Mail.Admins = "kopi@example.go.id", []string{"admin@example.go.id"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	id, err := google.CreateSpreadsheet(ctx, svc.Sheets, nil, "KOPI", "Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.Sheets.Spreadsheets.Get(id).Fields("properties(locale)").Do()
	if err != nil {
		t.Fatal(err)
	}
	if got.Properties.Locale != "id_ID" {
		t.Fatalf("kopi's tracker locale = %q, want id_ID", got.Properties.Locale)
	}
	if locale != "id_ID" {
		if _, err := svc.Sheets.Spreadsheets.BatchUpdate(id, &sheets.BatchUpdateSpreadsheetRequest{Requests: []*sheets.Request{{
			UpdateSpreadsheetProperties: &sheets.UpdateSpreadsheetPropertiesRequest{Properties: &sheets.SpreadsheetProperties{Locale: locale}, Fields: "locale"},
		}}}).Do(); err != nil {
			t.Fatal(err)
		}
	}
	sh := google.NewSheets(svc.Sheets, nil, id)
	tr := google.NewTracker(sh, cfg)
	if _, err := sh.Ensure(ctx, tr.Schemas(), nil); err != nil {
		t.Fatal(err)
	}
	return ctx, svc, id, tr
}

// typeRow writes one row as a person types it (USER_ENTERED).
func typeRow(t *testing.T, svc *google.Services, id, a1 string, cells ...any) {
	t.Helper()
	if _, err := svc.Sheets.Spreadsheets.Values.Update(id, a1, &sheets.ValueRange{Values: [][]any{cells}}).ValueInputOption("USER_ENTERED").Do(); err != nil {
		t.Fatalf("type %s: %v", a1, err)
	}
}

// TestRosterReadUnderEachLocale: what staff type in the roster's number
// and date columns — a count, a thousands-grouped count, a leave date in
// the locale's order, in the other order (text there) and in ISO — reads
// the same whether the spreadsheet's locale is id_ID or en_US.
func TestRosterReadUnderEachLocale(t *testing.T) {
	jan15 := rules.Date{Year: 2026, Month: 1, Day: 15}
	type row struct {
		maxOpen, leave string // as typed
		wantMax        int
		wantLeave      rules.Date
	}
	for _, tc := range []struct {
		locale string
		rows   []row
	}{
		{"id_ID", []row{
			{"3", "15/01/2026", 3, jan15},        // a day-first date: a DATE serial
			{"1.000", "2026-01-15", 1000, jan15}, // "." groups thousands
			{"0", "15-01-2026", 0, jan15},
		}},
		{"en_US", []row{
			{"3", "1/15/2026", 3, jan15},         // a month-first date: a DATE serial
			{"1,000", "15/01/2026", 1000, jan15}, // not a date in en_US: kept as text, read day-first
			{"0", "2026-01-15", 0, jan15},
		}},
	} {
		t.Run(tc.locale, func(t *testing.T) {
			ctx, svc, id, tr := localeTracker(t, tc.locale)
			for i, r := range tc.rows {
				a1 := google.QuoteSheetName(google.RosterTab.Title) + "!A" + string(rune('2'+i))
				typeRow(t, svc, id, a1, "Konsuler", "k"+string(rune('a'+i))+"@example.go.id", "Auditor", "", "Ya", r.maxOpen, r.leave)
			}
			snap, _, err := tr.Read(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(snap.Problems) != 0 {
				t.Errorf("problems: %q", snap.Problems)
			}
			if len(snap.Roster) != len(tc.rows) {
				t.Fatalf("roster has %d consultants, want %d", len(snap.Roster), len(tc.rows))
			}
			for i, r := range tc.rows {
				c := snap.Roster[i]
				if c.MaxOpen != r.wantMax || !c.OnLeaveUntil.Equal(r.wantLeave) {
					t.Errorf("row typed %q, %q: max open %d, on leave until %v; want %d, %v", r.maxOpen, r.leave, c.MaxOpen, c.OnLeaveUntil, r.wantMax, r.wantLeave)
				}
			}
		})
	}
}

// TestCellTextUnderEachLocale: kopi reads a typed time, date, date-time,
// count and decimal the same under both locales, from userEnteredValue
// and the number format's type alone (no formattedValue).
func TestCellTextUnderEachLocale(t *testing.T) {
	for _, tc := range []struct {
		locale string
		typed  []any
	}{
		{"id_ID", []any{"16.00", "15/01/2026", "15/01/2026 16.30", "3", "1234,5", "Ya"}},
		{"en_US", []any{"16:00", "1/15/2026", "1/15/2026 16:30", "3", "1234.5", "Ya"}},
	} {
		t.Run(tc.locale, func(t *testing.T) {
			_, svc, id, _ := localeTracker(t, tc.locale)
			typeRow(t, svc, id, "Konsuler!A2", tc.typed...)
			got, err := svc.Sheets.Spreadsheets.Get(id).Ranges("Konsuler!A2:F2").IncludeGridData(true).
				Fields(googleapi.Field("sheets(data(rowData(values(" + google.CellFields + "))))")).Do()
			if err != nil {
				t.Fatal(err)
			}
			cells := got.Sheets[0].Data[0].RowData[0].Values
			want := []string{"16:00", "2026-01-15", "2026-01-15 16:30", "3", "1234.5", "Ya"}
			for i, w := range want {
				if g := google.CellText(cells[i]); g != w {
					t.Errorf("typed %q: kopi reads %q, want %q", tc.typed[i], g, w)
				}
			}
		})
	}
}
