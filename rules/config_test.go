package rules

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestExampleConfig(t *testing.T) {
	data, err := os.ReadFile("../kopi.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig(data)
	if err != nil {
		t.Fatalf("kopi.example.yaml does not validate:\n%v", err)
	}
	if got := cfg.Location().String(); got != "Asia/Jakarta" {
		t.Errorf("Location = %s", got)
	}
	if len(cfg.Topics) != 4 || cfg.Topics[2].Name != TopicReviu {
		t.Errorf("topics = %v", cfg.TopicNames())
	}
	if s := cfg.SOP.Steps; len(s) != 6 || s[StepAnswer-1].Standard != MustSpan("1d") {
		t.Errorf("sop.steps = %v", s)
	}
	c, err := cfg.Calendar()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Holiday(at("2026-11-14 10:00")); !ok {
		t.Error("extra holiday from the example is missing")
	}
	if !c.HasYear(2026) {
		t.Error("builtin table missing")
	}
}

func TestDefaultConfig(t *testing.T) {
	cfg := DefaultConfig()
	if cfg.TimeZone != "Asia/Jakarta" || !cfg.Answers.ApprovalRequired || cfg.Reminders.PreBreachShare != 0.75 ||
		cfg.Mail.DailyLimit != 500 || !cfg.Holidays.Builtin {
		t.Errorf("defaults: %+v", cfg)
	}
	if got := cfg.OfficeHours.Working(); got != 37*time.Hour+30*time.Minute {
		t.Errorf("default week = %v, want 37h30m (Perpres 21/2023)", got)
	}
	if got := DefaultRamadanHours().Working(); got != 32*time.Hour+30*time.Minute {
		t.Errorf("Ramadan week = %v, want 32h30m", got)
	}
	if tl, _ := cfg.Topic("TLHP"); !tl.Rules.AttachmentRequired {
		t.Error("topic by code: TLHP should require an attachment")
	}
	if err := cfg.Validate(); err == nil {
		t.Error("DefaultConfig validates, but form, sheet, sender and admins are missing")
	}
}

func TestGoodConfigs(t *testing.T) {
	files, _ := filepath.Glob("testdata/config/good/*.yaml")
	if len(files) == 0 {
		t.Fatal("no good configs")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := ParseConfig(data)
			if err != nil {
				t.Fatalf("want valid, got:\n%v", err)
			}
			if _, err := cfg.Calendar(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestCustomConfigValues(t *testing.T) {
	data, _ := os.ReadFile("testdata/config/good/custom.yaml")
	cfg, err := ParseConfig(data)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.OfficeHours.Monday.Open.String() != "08:00" || cfg.OfficeHours.Monday.BreakStart.IsSet() {
		t.Errorf("monday = %+v", cfg.OfficeHours.Monday)
	}
	if cfg.OfficeHours.Tuesday == nil || cfg.OfficeHours.Tuesday.Open.String() != "07:30" {
		t.Error("tuesday should keep its default")
	}
	if cfg.OfficeHours.Saturday == nil || cfg.OfficeHours.Saturday.Close.String() != "12:00" {
		t.Error("saturday should be open")
	}
	if len(cfg.Ramadan) != 0 {
		t.Error("ramadan: [] should remove the default period")
	}
	if s := cfg.SOP.Steps; len(s) < 3 || s[2].Standard != (Span{Days: 2}) {
		t.Errorf("sop.steps = %v", s)
	}
	if cfg.Answers.ApprovalRequired {
		t.Error("approval_required: false ignored")
	}
	tp, _ := cfg.Topic("audit")
	if tp.Rules.checkPhone() || len(tp.Rules.Required) != 3 {
		t.Errorf("topic rules = %+v", tp.Rules)
	}
	if cfg.Location().String() != "Asia/Makassar" {
		t.Error(cfg.Location())
	}
}

func TestBadConfigs(t *testing.T) {
	files, _ := filepath.Glob("testdata/config/bad/*.yaml")
	if len(files) == 0 {
		t.Fatal("no bad configs")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			wantData, err := os.ReadFile(strings.TrimSuffix(f, ".yaml") + ".want")
			if err != nil {
				t.Fatal(err)
			}
			_, err = ParseConfig(data)
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("want *ConfigError, got %v", err)
			}
			var got []string
			for _, p := range ce.Problems {
				got = append(got, p.String())
			}
			want := strings.Split(strings.TrimSpace(string(wantData)), "\n")
			used := make([]bool, len(got))
			for _, w := range want {
				found := false
				for i, g := range got {
					if !used[i] && strings.Contains(g, w) {
						used[i], found = true, true
						break
					}
				}
				if !found {
					t.Errorf("missing problem %q", w)
				}
			}
			for i, g := range got {
				if !used[i] {
					t.Errorf("unexpected problem %q", g)
				}
			}
			if t.Failed() {
				t.Logf("all problems:\n%s", err)
			}
		})
	}
}
