package rules

import (
	"strings"
	"testing"
	"time"
)

func TestEaster(t *testing.T) {
	for year, want := range map[int]string{2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28", 2028: "2028-04-16", 2038: "2038-04-25"} {
		if got := DateOf(Easter(year)).String(); got != want {
			t.Errorf("Easter(%d) = %s, want %s", year, got, want)
		}
	}
}

// TestHolidayTemplateAgainst2026Decree: the template of 2026 holds every
// exact holiday of the decree on its date, and estimates each moving one
// within a day (two for the Islamic feasts, fixed by sidang isbat).
func TestHolidayTemplateAgainst2026Decree(t *testing.T) {
	official := map[string]Date{}
	for _, h := range BuiltinHolidays() {
		if h.Kind == HolidayNational {
			if _, ok := official[h.Name]; !ok {
				official[h.Name] = h.Date
			}
		}
	}
	tmpl := HolidayTemplate(2026)
	seen := map[string]bool{}
	for _, h := range tmpl {
		if seen[h.Name] {
			continue // the second day of Idul Fitri
		}
		seen[h.Name] = true
		want, ok := official[h.Name]
		if !ok {
			t.Errorf("template holiday %q (%s) not in the 2026 decree", h.Name, h.Date)
			continue
		}
		diff := h.Date.In(time.UTC).Sub(want.In(time.UTC)) / (24 * time.Hour)
		tol := time.Duration(0)
		switch {
		case h.Estimate && strings.Contains(h.Basis, "Hijriah"):
			tol = 2
		case h.Estimate:
			tol = 1
		}
		if diff < -tol || diff > tol {
			t.Errorf("%q: template %s, decree %s (tolerance %d days)", h.Name, h.Date, want, tol)
		}
	}
	for name := range official {
		if !seen[name] {
			t.Errorf("decree holiday %q missing from the template", name)
		}
	}
}

// TestRenderHolidayTemplateParses: the rendered CSV is read back by
// ParseHolidayCSV with the exact holidays only; removing the confirm
// prefix makes the estimates holidays too.
func TestRenderHolidayTemplateParses(t *testing.T) {
	csv := RenderHolidayTemplate(2027)
	hs, err := ParseHolidayCSV("libur-2027.csv", csv)
	if err != nil {
		t.Fatalf("template does not parse: %v\n%s", err, csv)
	}
	exact, estimates := 0, 0
	for _, h := range HolidayTemplate(2027) {
		if h.Estimate {
			estimates++
		} else {
			exact++
		}
	}
	if len(hs) != exact || exact != 8 {
		t.Errorf("%d holidays parsed, want the %d exact ones (8):\n%s", len(hs), exact, csv)
	}
	confirmed := strings.ReplaceAll(string(csv), ConfirmPrefix, "")
	all, err := ParseHolidayCSV("libur-2027.csv", []byte(confirmed))
	if err != nil {
		t.Fatalf("confirmed template does not parse: %v", err)
	}
	if len(all) != exact+estimates || estimates < 9 {
		t.Errorf("%d holidays after confirming, want %d (%d estimates)", len(all), exact+estimates, estimates)
	}
	if !strings.Contains(string(csv), "2027-03-26,Jumat,libur,Wafat Yesus Kristus") {
		t.Errorf("Good Friday 2027 missing:\n%s", csv)
	}
}
