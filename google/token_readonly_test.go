//go:build linux

package google

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/sys/unix"

	"kopi/google/fake"
)

// readOnlyTokenFile writes an expired token the fake will refresh, mode
// 0400, in a directory nobody may write: chmod 0500 for an ordinary user;
// for root, who ignores permission bits, a read-only bind mount of the
// directory — what a Kubernetes Secret volume is.
func readOnlyTokenFile(t *testing.T, o *fake.OAuth) (string, *oauth2.Token) {
	t.Helper()
	path, tok := expiredTokenFile(t, o)
	dir := filepath.Dir(path)
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
	if os.Geteuid() == 0 {
		if err := unix.Mount(dir, dir, "", unix.MS_BIND, ""); err != nil {
			t.Skipf("root without CAP_SYS_ADMIN cannot make a read-only directory: bind mount: %v", err)
		}
		t.Cleanup(func() { _ = unix.Unmount(dir, unix.MNT_DETACH) })
		if err := unix.Mount(dir, dir, "", unix.MS_REMOUNT|unix.MS_BIND|unix.MS_RDONLY, ""); err != nil {
			t.Fatalf("remount read-only: %v", err)
		}
	}
	if f, err := os.CreateTemp(dir, "probe"); err == nil {
		_ = f.Close()
		t.Fatalf("the token directory is still writable")
	}
	return path, tok
}

func TestReadOnlyTokenFileRefreshesInMemory(t *testing.T) {
	o, creds := oauthSetup(t)
	path, old := readOnlyTokenFile(t, o)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ts, _, err := creds.TokenSource(context.Background(), path)
	if err != nil {
		t.Fatalf("a read-only token file is refused: %v", err)
	}
	var told []error
	ts.(*PersistentTokenSource).OnSaveError = func(err error) { told = append(told, err) }

	// An API call through the source: refreshed in memory, answered.
	srv, err := fake.New(fake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	svc, err := NewServices(context.Background(), Options{Endpoint: srv.URL(), TokenSource: ts})
	if err != nil {
		t.Fatal(err)
	}
	id, err := srv.SeedSpreadsheet("Tracker", "Konsultasi")
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := svc.Sheets.Spreadsheets.Get(id).Do(); err != nil {
			t.Fatalf("API call with a read-only token file: %v", err)
		}
	}
	tok, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == old.AccessToken || o.Refreshes() != 1 {
		t.Errorf("access token %q after %d refreshes, want one refresh", tok.AccessToken, o.Refreshes())
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("the read-only token file changed")
	}
	var ns *TokenNotSavedError
	if len(told) != 1 || !errors.As(told[0], &ns) || ns.Rotated {
		t.Fatalf("OnSaveError heard %v, want one unsaved access token (not rotated)", told)
	}
	if !strings.Contains(ns.Error(), path) {
		t.Errorf("error does not name the file: %v", ns)
	}
}

func TestRotatedRefreshTokenUnsavedIsToldOnce(t *testing.T) {
	o, creds := oauthSetup(t)
	o.RotateRefreshTokens()
	path, old := readOnlyTokenFile(t, o)
	ts, _, err := creds.TokenSource(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	p := ts.(*PersistentTokenSource)
	var told []*TokenNotSavedError
	p.OnSaveError = func(err error) {
		var ns *TokenNotSavedError
		if !errors.As(err, &ns) {
			t.Errorf("OnSaveError(%v), want *TokenNotSavedError", err)
		}
		told = append(told, ns)
	}
	tok, err := ts.Token()
	if err != nil {
		t.Fatalf("refresh with a rotating token endpoint: %v", err)
	}
	if tok.RefreshToken == old.RefreshToken {
		t.Fatalf("the fake did not rotate the refresh token")
	}
	// Later refreshes (the rotated token in memory keeps working) are
	// not told again.
	for range 3 {
		p.mu.Lock()
		expired := *tok
		expired.Expiry = time.Now().Add(-time.Minute)
		p.base = p.newBase(&expired)
		p.mu.Unlock()
		if tok, err = ts.Token(); err != nil {
			t.Fatalf("refresh with the rotated token from memory: %v", err)
		}
	}
	if o.Refreshes() != 4 {
		t.Errorf("%d refreshes, want 4", o.Refreshes())
	}
	if len(told) != 1 || !told[0].Rotated {
		t.Fatalf("told %d times (%v), want once about the rotated refresh token", len(told), told)
	}
	saved, err := LoadToken(path)
	if err != nil {
		t.Fatal(err)
	}
	if saved.RefreshToken != old.RefreshToken {
		t.Error("the read-only file was rewritten")
	}
}

func TestGroupReadableTokenOnlyOnAReadOnlyMount(t *testing.T) {
	o, _ := oauthSetup(t)
	path, _ := expiredTokenFile(t, o)
	if err := os.Chmod(path, 0o440); err != nil {
		t.Fatal(err)
	}
	var ie *InsecureTokenError
	if err := CheckTokenFile(path); !errors.As(err, &ie) {
		t.Fatalf("group-readable token on a writable disk: err = %v, want refused", err)
	}
	// The same file on a read-only mount: a Kubernetes Secret with fsGroup.
	ro, _ := readOnlyTokenFile(t, o)
	if !onReadOnlyMount(ro) {
		t.Skip("only root can make the read-only mount this case needs")
	}
	for _, c := range []struct {
		mode os.FileMode
		ok   bool
	}{{0o440, true}, {0o400, true}, {0o460, false}, {0o444, false}, {0o450, false}} {
		if err := checkPrivate(ro, c.mode); (err == nil) != c.ok {
			t.Errorf("mode %04o on a read-only mount: err = %v, want ok=%v", c.mode, err, c.ok)
		}
	}
}
