package fake_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiscoveryMatchesClientModule: the discovery documents the fake
// routes and validates by are the ones shipped in the
// google.golang.org/api module go.mod names, byte for byte. Upgrading
// the module without copying them (or editing a copy) fails here.
func TestDiscoveryMatchesClientModule(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Version}} {{.Dir}}", "google.golang.org/api").Output()
	if err != nil {
		t.Fatalf("locate google.golang.org/api: %v", err)
	}
	version, dir, ok := strings.Cut(strings.TrimSpace(string(out)), " ")
	if !ok || dir == "" {
		t.Fatalf("go list: %q", out)
	}
	for _, rel := range []string{"forms/v1/forms-api.json", "gmail/v1/gmail-api.json", "sheets/v4/sheets-api.json"} {
		want, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatalf("read %s of google.golang.org/api %s: %v", rel, version, err)
		}
		got, err := os.ReadFile(filepath.Join("discovery", filepath.Base(rel)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("discovery/%s differs from %s in google.golang.org/api %s: copy it again", filepath.Base(rel), rel, version)
		}
	}
}
