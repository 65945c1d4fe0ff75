package main

import (
	"os"
	"strings"
	"testing"
)

func TestInitCreatesSheetAndFormAndWritesIDs(t *testing.T) {
	o := newOffice(t)
	before := o.read(t)

	r := kopi(t, "init", "--config", o.config, "--create-intake-form")
	if r.err != nil {
		t.Fatalf("init: %v\n%s", r.err, r.stderr)
	}
	sheetID, formID := o.value(t, keySpreadsheetID), o.value(t, keyFormID)
	if sheetID == "" || formID == "" {
		t.Fatalf("ids not written:\n%s", o.read(t))
	}
	if _, ok := o.srv.Form(formID); !ok {
		t.Errorf("form %s written to the config is not on the fake", formID)
	}
	for _, want := range []string{
		"Spreadsheet pelacakan dibuat: " + sheetID,
		`tab "Konsultasi" dibuat`,
		"Formulir asupan dibuat: " + formID,
		"Tautan publik formulir: https://",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("init output lacks %q:\n%s", want, r.stdout)
		}
	}

	// Only the two id lines changed; comments, blank lines and the
	// trailing comment of the form id line are kept.
	after := o.read(t)
	bl, al := strings.Split(before, "\n"), strings.Split(after, "\n")
	if len(bl) != len(al) {
		t.Fatalf("line count changed %d → %d:\n%s", len(bl), len(al), after)
	}
	for i := range bl {
		switch {
		case strings.Contains(bl[i], "form_id:"):
			if want := `  form_id: "` + formID + `"   # diisi oleh kopi init --create-intake-form`; al[i] != want {
				t.Errorf("form id line = %q, want %q", al[i], want)
			}
		case strings.Contains(bl[i], "spreadsheet_id:"):
			if want := `  spreadsheet_id: "` + sheetID + `"`; al[i] != want {
				t.Errorf("spreadsheet id line = %q, want %q", al[i], want)
			}
		case bl[i] != al[i]:
			t.Errorf("line %d changed: %q → %q", i+1, bl[i], al[i])
		}
	}
	if st, err := os.Stat(o.config); err != nil || st.Mode().Perm() != 0o640 {
		t.Errorf("config mode after init = %v, %v; want 0640 kept", st.Mode().Perm(), err)
	}

	// A second run finds everything in place and changes nothing.
	r = kopi(t, "init", "--config", o.config, "--create-intake-form")
	if r.err != nil {
		t.Fatalf("second init: %v", r.err)
	}
	if !strings.Contains(r.stdout, "Spreadsheet sudah siap; tidak ada yang diubah.") {
		t.Errorf("second init does not say nothing changed:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "tidak dibuat lagi") {
		t.Errorf("second init does not say the form exists:\n%s", r.stdout)
	}
	if again := o.read(t); again != after {
		t.Errorf("second init rewrote the config:\n%s", again)
	}
}

func TestInitWithoutFormFlagLeavesFormIDEmpty(t *testing.T) {
	o := newOffice(t)
	r := kopi(t, "init", "--config", o.config)
	if r.err != nil {
		t.Fatalf("init: %v", r.err)
	}
	if o.value(t, keySpreadsheetID) == "" {
		t.Error("spreadsheet id not written")
	}
	if o.value(t, keyFormID) != "" {
		t.Error("form created without --create-intake-form")
	}
	if !strings.Contains(r.stdout, "--create-intake-form") {
		t.Errorf("init does not hint how to get a form:\n%s", r.stdout)
	}
}

func TestInitRefusesOtherConfigProblems(t *testing.T) {
	o := newOffice(t)
	text := strings.Replace(o.read(t), "timezone: Asia/Jakarta", "timezone: Asia/Jakart", 1)
	if err := os.WriteFile(o.config, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	r := kopi(t, "init", "--config", o.config, "--create-intake-form")
	if r.err == nil || !strings.Contains(r.err.Error(), "timezone") {
		t.Fatalf("init with a bad time zone: err = %v", r.err)
	}
	if strings.Contains(r.err.Error(), "form_id") || strings.Contains(r.err.Error(), "spreadsheet_id") {
		t.Errorf("init complains about the ids it is about to create: %v", r.err)
	}
	if n := o.srv.TotalCalls(); n != 0 {
		t.Errorf("init made %d API calls before refusing the config", n)
	}
}

// TestInitWithUnknownSpreadsheetSaysNotFound: init never claims to adopt
// a spreadsheet that did not answer, and says what to do.
func TestInitWithUnknownSpreadsheetSaysNotFound(t *testing.T) {
	o := newOffice(t)
	if err := setConfigValue(o.config, keySpreadsheetID, "1TidakAdaTidakAdaTidakAdaTidakAda"); err != nil {
		t.Fatal(err)
	}
	r := kopi(t, "init", "--config", o.config)
	if r.err == nil {
		t.Fatal("init adopted a spreadsheet that does not exist")
	}
	if strings.Contains(r.stdout, "Memakai spreadsheet") {
		t.Errorf("init said it adopted the spreadsheet before failing:\n%s", r.stdout)
	}
	for _, want := range []string{"Google tidak menemukan spreadsheet dengan ID ini", "cara memperbaiki: salin ID dari alamat spreadsheet"} {
		if !strings.Contains(r.err.Error(), want) {
			t.Errorf("err lacks %q: %v", want, r.err)
		}
	}
}
