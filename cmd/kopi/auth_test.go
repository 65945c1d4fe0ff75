package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"kopi/google"
	"kopi/google/fake"
)

// authOffice is a real-Google config whose credentials file is an
// installed client of a fake OAuth server.
func authOffice(t *testing.T) (oa *fake.OAuth, dir, config string) {
	t.Helper()
	dir, config = realGoogle(t)
	oa = fake.NewOAuth("kopi-uji.apps.googleusercontent.com", "GOCSPX-uji")
	t.Cleanup(oa.Close)
	if err := os.WriteFile(filepath.Join(dir, "credentials.json"), oa.InstalledJSON(), 0o600); err != nil {
		t.Fatal(err)
	}
	return oa, dir, config
}

// fakeBrowser replaces openBrowser for the test: visit gets the consent
// URL and plays the operator.
func fakeBrowser(t *testing.T, visit func(consent *url.URL)) *int {
	t.Helper()
	opened := 0
	old := openBrowser
	openBrowser = func(raw string) error {
		opened++
		u, err := url.Parse(raw)
		if err != nil {
			return err
		}
		go visit(u)
		return nil
	}
	t.Cleanup(func() { openBrowser = old })
	return &opened
}

// consent follows the fake consent page's redirect back to kopi.
func consent(u *url.URL) {
	if resp, err := http.Get(u.String()); err == nil {
		resp.Body.Close()
	}
}

func TestAuthSavesAPrivateToken(t *testing.T) {
	oa, dir, config := authOffice(t)
	opened := fakeBrowser(t, consent)
	r := kopi(t, "auth", "--config", config)
	if r.err != nil {
		t.Fatalf("auth: %v\n%s", r.err, r.stdout)
	}
	if *opened != 1 {
		t.Errorf("browser opened %d times", *opened)
	}
	tokenPath := filepath.Join(dir, "token.json")
	for _, want := range []string{
		"masuk dengan akun Google layanan (kopi@inspektorat.example.go.id)",
		oa.URL() + "/auth?",
		"kopi menunggu jawaban Google di http://127.0.0.1:",
		"Berhasil. Token disimpan di " + tokenPath + " (mode 0600",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	tok, err := google.LoadToken(tokenPath)
	if err != nil || tok.RefreshToken == "" {
		t.Fatalf("saved token: %v, %v", tok, err)
	}
	if st, err := os.Stat(tokenPath); runtime.GOOS != "windows" && (err != nil || st.Mode().Perm() != 0o600) {
		t.Errorf("token mode = %v, %v", st.Mode(), err)
	}
	// The daemon's loader accepts what auth saved.
	oc, err := loadConfig(config)
	if err != nil {
		t.Fatal(err)
	}
	if o, err := oc.googleOptions(t.Context(), nil); err != nil || o.TokenSource == nil {
		t.Fatalf("googleOptions after auth: %v", err)
	}
}

// urlSpotter is stdout that visits the consent URL once it is printed,
// as an operator on a headless server would copy it.
type urlSpotter struct {
	mu   sync.Mutex
	buf  strings.Builder
	seen bool
}

var consentURL = regexp.MustCompile(`http://127\.0\.0\.1:\d+/auth\?\S+`)

func (s *urlSpotter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf.Write(p)
	if m := consentURL.FindString(s.buf.String()); m != "" && !s.seen {
		s.seen = true
		u, _ := url.Parse(m)
		go consent(u)
	}
	return len(p), nil
}

func TestAuthWithoutBrowserPrintsTheURL(t *testing.T) {
	_, dir, config := authOffice(t)
	opened := fakeBrowser(t, consent)
	out := &urlSpotter{}
	err := dispatch(t.Context(), &environment{stdout: out, stderr: out}, []string{"auth", "--config", config, "--no-browser"})
	if err != nil {
		t.Fatalf("auth: %v\n%s", err, out.buf.String())
	}
	if *opened != 0 {
		t.Error("--no-browser opened a browser")
	}
	if _, err := google.LoadToken(filepath.Join(dir, "token.json")); err != nil {
		t.Fatal(err)
	}
}

func TestAuthFailuresSayWhatToDo(t *testing.T) {
	for _, tc := range []struct {
		name  string
		prep  func(oa *fake.OAuth)
		visit func(u *url.URL)
		want  string
	}{
		{
			name: "operator cancels",
			visit: func(u *url.URL) {
				q := u.Query()
				back := q.Get("redirect_uri") + "?" + url.Values{"error": {"access_denied"}, "state": {q.Get("state")}}.Encode()
				if resp, err := http.Get(back); err == nil {
					resp.Body.Close()
				}
			},
			want: "persetujuan di Google dibatalkan (access_denied) — jalankan `kopi auth` lagi",
		},
		{
			name:  "boxes unticked",
			prep:  func(oa *fake.OAuth) { oa.GrantOnly(google.ScopeSpreadsheets) },
			visit: consent,
			want:  "tidak dicentang pada layar persetujuan Google: \"https://www.googleapis.com/auth/forms.responses.readonly\"",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			oa, dir, config := authOffice(t)
			if tc.prep != nil {
				tc.prep(oa)
			}
			fakeBrowser(t, tc.visit)
			r := kopi(t, "auth", "--config", config)
			if r.err == nil || !strings.Contains(r.err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", r.err, tc.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "token.json")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a token was saved after a failed consent: %v", err)
			}
		})
	}
}

func TestAuthOnAFakeWorkspaceIsRefused(t *testing.T) {
	o := newOffice(t)
	r := kopi(t, "auth", "--config", o.config)
	if r.err == nil || !strings.Contains(r.err.Error(), "google.endpoint diisi") {
		t.Fatalf("err = %v", r.err)
	}
}

func TestAuthWithAServiceAccountNeedsNoBrowser(t *testing.T) {
	dir, config := realGoogle(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	sa, _ := json.Marshal(map[string]string{
		"type": "service_account", "client_email": "kopi@proyek.iam.gserviceaccount.com",
		"private_key":    string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})),
		"private_key_id": "1", "token_uri": "https://oauth2.googleapis.com/token",
	})
	if err := os.WriteFile(filepath.Join(dir, "credentials.json"), sa, 0o600); err != nil {
		t.Fatal(err)
	}
	opened := fakeBrowser(t, consent)
	r := kopi(t, "auth", "--config", config)
	if r.err != nil || !strings.Contains(r.stdout, "kunci akun layanan (kopi@proyek.iam.gserviceaccount.com) yang bertindak atas nama kopi@inspektorat.example.go.id") {
		t.Fatalf("err = %v\n%s", r.err, r.stdout)
	}
	if *opened != 0 {
		t.Error("a browser was opened for a service account")
	}
	// The daemon needs no token file with a service account.
	oc, err := loadConfig(config)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := oc.googleOptions(t.Context(), nil); err != nil {
		t.Errorf("googleOptions with a service account: %v", err)
	}
}
