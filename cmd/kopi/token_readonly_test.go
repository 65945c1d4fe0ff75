//go:build linux

package main

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	sysunix "golang.org/x/sys/unix"

	"kopi/google"
)

// TestReadOnlyTokenRotationIsLoggedOnce: a token file on a read-only
// mount (a Kubernetes Secret), a token endpoint that rotates refresh
// tokens: every refresh works from memory, and the operator reads the
// Indonesian warning once, without the token in it.
func TestReadOnlyTokenRotationIsLoggedOnce(t *testing.T) {
	oa, dir, config := authOffice(t)
	oa.RotateRefreshTokens()
	at, rt := oa.Issue(google.Scopes(), time.Hour)
	tokenPath := filepath.Join(dir, "token.json")
	if err := google.SaveToken(tokenPath, &oauth2.Token{AccessToken: at, RefreshToken: rt, TokenType: "Bearer", Expiry: time.Now().Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(tokenPath, 0o400); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
	if os.Geteuid() == 0 {
		if err := sysunix.Mount(dir, dir, "", sysunix.MS_BIND, ""); err != nil {
			t.Skipf("root without CAP_SYS_ADMIN cannot make a read-only directory: %v", err)
		}
		t.Cleanup(func() { _ = sysunix.Unmount(dir, sysunix.MNT_DETACH) })
		if err := sysunix.Mount(dir, dir, "", sysunix.MS_REMOUNT|sysunix.MS_BIND|sysunix.MS_RDONLY, ""); err != nil {
			t.Fatal(err)
		}
	}
	oc, err := loadConfig(config)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	o, err := oc.googleOptions(t.Context(), slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatalf("read-only token file refused: %v", err)
	}
	tok, err := o.TokenSource.Token()
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if tok.AccessToken == at || tok.RefreshToken == rt {
		t.Fatalf("not refreshed and rotated: %+v", tok)
	}
	if _, err := o.TokenSource.Token(); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if n := strings.Count(out, "Google memberi refresh token baru"); n != 1 {
		t.Errorf("warning logged %d times, want once:\n%s", n, out)
	}
	if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "kopi auth") {
		t.Errorf("want a warning that says to run kopi auth:\n%s", out)
	}
	for _, secret := range []string{at, rt, tok.AccessToken, tok.RefreshToken} {
		if strings.Contains(out, secret) {
			t.Errorf("log shows a token:\n%s", out)
		}
	}
}
