package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEditYAMLKeepsTheRestOfTheFile(t *testing.T) {
	const id = "1NewId_-x"
	for _, tc := range []struct {
		name, in, want string
	}{
		{"quoted empty", "# c\ntracker:\n  spreadsheet_id: \"\"  # here\nx: 1\n", "# c\ntracker:\n  spreadsheet_id: \"1NewId_-x\"  # here\nx: 1\n"},
		{"single quoted", "tracker:\n  spreadsheet_id: 'old''s'\n", "tracker:\n  spreadsheet_id: \"1NewId_-x\"\n"},
		{"plain", "tracker:\n  spreadsheet_id: abc   # old\n", "tracker:\n  spreadsheet_id: \"1NewId_-x\"   # old\n"},
		{"bare key", "tracker:\n  spreadsheet_id:\n\nmail: {}\n", "tracker:\n  spreadsheet_id: \"1NewId_-x\"\n\nmail: {}\n"},
		{"bare key with comment", "tracker:\n  spreadsheet_id:   # isi\n", "tracker:\n  spreadsheet_id: \"1NewId_-x\"   # isi\n"},
		{"tilde", "tracker:\n  spreadsheet_id: ~\n", "tracker:\n  spreadsheet_id: \"1NewId_-x\"\n"},
		{"flow mapping", "tracker: {spreadsheet_id: \"\"}\n", "tracker: {spreadsheet_id: \"1NewId_-x\"}\n"},
		{"missing key", "# c\ntracker:\n  other: 1\n", "# c\ntracker:\n  other: 1\n  spreadsheet_id: \"1NewId_-x\"\n"},
		{"missing section", "# c\nmail:\n  admins: [a@b.id]\n", "# c\nmail:\n  admins: [a@b.id]\ntracker:\n  spreadsheet_id: \"1NewId_-x\"\n"},
		{"null section", "tracker: ~\n", "tracker:\n  spreadsheet_id: \"1NewId_-x\"\n"},
		{"empty file", "", "tracker:\n  spreadsheet_id: \"1NewId_-x\"\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := editYAML([]byte(tc.in), "tracker.spreadsheet_id", id)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestEditYAMLRefusesAScalarSection(t *testing.T) {
	if _, err := editYAML([]byte("tracker: abc\n"), "tracker.spreadsheet_id", "x"); err == nil {
		t.Error("a scalar where a section belongs was overwritten")
	}
}

func TestSetConfigValueIsAtomicAndKeepsTheMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "kopi.yaml")
	if err := os.WriteFile(path, []byte("intake:\n  form_id: \"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := setConfigValue(path, keyFormID, "1Form"); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", st.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("temporary files left behind: %s", strings.Join(names, ", "))
	}
}
