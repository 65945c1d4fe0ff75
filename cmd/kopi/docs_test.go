package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kopi/google"
)

// TestOperatorAuthDocListsEveryScope: the guide an admin follows to set up
// domain-wide delegation lists exactly the scopes kopi requests, in the
// comma-separated form the Admin console takes, and counts them right.
func TestOperatorAuthDocListsEveryScope(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "operator-auth.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	if joined := strings.Join(google.Scopes(), ","); !strings.Contains(doc, joined) {
		t.Errorf("docs/operator-auth.md lacks the delegation scope list %q", joined)
	}
	for _, s := range google.Scopes() {
		short := "`" + strings.TrimPrefix(s, "https://www.googleapis.com/auth/") + "`"
		if !strings.Contains(doc, "| "+short+" |") {
			t.Errorf("docs/operator-auth.md has no table row for %s", short)
		}
	}
	words := map[int]string{4: "keempat", 5: "kelima", 6: "keenam"}
	if w := words[len(google.Scopes())]; !strings.Contains(doc, w+" cakupan") {
		t.Errorf("docs/operator-auth.md does not say %q (%d scopes)", w+" cakupan", len(google.Scopes()))
	}
}

// TestExampleConfigNamesRealCommands: every `kopi X` the example config
// mentions is a command, or a flag of init, that exists.
func TestExampleConfigNamesRealCommands(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "kopi.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, c := range commands() {
		known[c.name] = true
	}
	for _, line := range strings.Split(string(b), "\n") {
		for _, part := range strings.Split(line, "kopi ")[1:] {
			word := strings.Fields(part + " ")
			if len(word) == 0 {
				continue
			}
			w := strings.Trim(word[0], "`.,;:()")
			if w == "" || strings.ContainsAny(w, "—-") || !isLowerWord(w) {
				continue
			}
			if !known[w] {
				t.Errorf("kopi.example.yaml mentions `kopi %s`, which is not a command: %s", w, strings.TrimSpace(line))
			}
		}
	}
}

func isLowerWord(s string) bool {
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}
