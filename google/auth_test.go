package google

import (
	"context"
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
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"kopi/google/fake"
)

// oauthSetup is a fake OAuth server and the installed client pointed at it.
func oauthSetup(t *testing.T) (*fake.OAuth, *Credentials) {
	t.Helper()
	o := fake.NewOAuth("kopi-uji.apps.googleusercontent.com", "GOCSPX-uji")
	t.Cleanup(o.Close)
	creds, err := ParseCredentials(o.InstalledJSON(), "")
	if err != nil {
		t.Fatal(err)
	}
	if creds.Kind != InstalledClient {
		t.Fatalf("kind = %v", creds.Kind)
	}
	return o, creds
}

// browser plays the operator's browser: it follows the consent page's
// redirect to kopi's loopback listener.
func browser(t *testing.T, edit func(*url.URL)) func(string) error {
	return func(raw string) error {
		u, err := url.Parse(raw)
		if err != nil {
			return err
		}
		if edit != nil {
			edit(u)
		}
		go func() {
			resp, err := http.Get(u.String())
			if err == nil {
				resp.Body.Close()
			}
		}()
		return nil
	}
}

func ctxTimeout(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestLoginLoopbackWithPKCE(t *testing.T) {
	o, creds := oauthSetup(t)
	var shown string
	tok, err := Login(ctxTimeout(t), creds.OAuth, LoginOptions{
		Show: func(u string) { shown = u },
		Open: browser(t, nil),
	})
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken == "" || tok.AccessToken == "" {
		t.Fatalf("token = %+v, want access and refresh tokens", tok)
	}
	u, err := url.Parse(shown)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	for k, want := range map[string]string{
		"access_type": "offline", "prompt": "consent", "code_challenge_method": "S256",
		"scope": strings.Join(Scopes(), " "),
	} {
		if q.Get(k) != want {
			t.Errorf("consent URL %s = %q, want %q", k, q.Get(k), want)
		}
	}
	if ru := q.Get("redirect_uri"); !strings.HasPrefix(ru, "http://127.0.0.1:") || strings.HasSuffix(ru, ":0") {
		t.Errorf("redirect_uri = %q, want the loopback listener's port", ru)
	}
	if q.Get("state") == "" || q.Get("code_challenge") == "" {
		t.Error("consent URL lacks state or code_challenge")
	}
	if _, err := FetchTokenInfo(context.Background(), nil, o.TokenInfoURL(), tok.AccessToken); err != nil {
		t.Errorf("the issued token is unknown to tokeninfo: %v", err)
	}
}

// The fake token endpoint must really verify PKCE, or the login test
// above proves nothing about the verifier kopi sends.
func TestFakeTokenEndpointRefusesAWrongVerifier(t *testing.T) {
	o, creds := oauthSetup(t)
	conf := *creds.OAuth
	conf.RedirectURL = "http://127.0.0.1:9"
	verifier := oauth2.GenerateVerifier()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(conf.AuthCodeURL("s", oauth2.AccessTypeOffline, oauth2.ApprovalForce, oauth2.S256ChallengeOption(verifier)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Query().Get("code") == "" {
		t.Fatalf("no code in redirect %q (%v)", resp.Header.Get("Location"), err)
	}
	_, err = conf.Exchange(context.Background(), loc.Query().Get("code"), oauth2.VerifierOption(oauth2.GenerateVerifier()))
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Fatalf("exchange with a wrong verifier: err = %v, want invalid_grant", err)
	}
	_ = o
}

func TestLoginRefusesAForgedState(t *testing.T) {
	_, creds := oauthSetup(t)
	_, err := Login(ctxTimeout(t), creds.OAuth, LoginOptions{Open: browser(t, func(u *url.URL) {
		q := u.Query()
		q.Set("state", "dipalsukan")
		u.RawQuery = q.Encode()
	})})
	if !errors.Is(err, ErrStateMismatch) {
		t.Fatalf("err = %v, want ErrStateMismatch", err)
	}
}

func TestLoginWithoutBrowserWaitsForThePrintedURL(t *testing.T) {
	_, creds := oauthSetup(t)
	visit := browser(t, nil)
	tok, err := Login(ctxTimeout(t), creds.OAuth, LoginOptions{
		Open: func(string) error { return errors.New("no display") },
		Show: func(u string) { _ = visit(u) }, // the operator copies the URL
	})
	if err != nil || tok.RefreshToken == "" {
		t.Fatalf("tok = %v, err = %v", tok, err)
	}
}

func TestLoginReportsUntickedScopes(t *testing.T) {
	o, creds := oauthSetup(t)
	o.GrantOnly(ScopeSpreadsheets, ScopeFormsBody)
	_, err := Login(ctxTimeout(t), creds.OAuth, LoginOptions{Open: browser(t, nil)})
	var me *MissingScopesError
	if !errors.As(err, &me) || len(me.Missing) != len(Scopes())-2 {
		t.Fatalf("err = %v, want the %d scopes not granted", err, len(Scopes())-2)
	}
}

func TestLoginStopsWithItsContext(t *testing.T) {
	_, creds := oauthSetup(t)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := Login(ctx, creds.OAuth, LoginOptions{Show: func(string) { cancel() }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSaveTokenIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "token.json")
	if err := SaveToken(path, &oauth2.Token{AccessToken: "lama", RefreshToken: "1//lama"}); err != nil {
		t.Fatal(err)
	}
	old := readFile(t, path)
	boom := errors.New("listrik padam")
	for name, hook := range map[string]func(){
		"rename fails": func() { renameFile = func(string, string) error { return boom } },
		"fsync fails":  func() { syncFile = func(*os.File) error { return boom } },
	} {
		t.Run(name, func(t *testing.T) {
			hook()
			t.Cleanup(func() {
				renameFile = os.Rename
				syncFile = func(f *os.File) error { return f.Sync() }
			})
			err := SaveToken(path, &oauth2.Token{AccessToken: "baru", RefreshToken: "1//baru"})
			if !errors.Is(err, boom) {
				t.Fatalf("err = %v", err)
			}
			if got := readFile(t, path); got != old {
				t.Errorf("the old token was touched:\n%s", got)
			}
			ents, _ := os.ReadDir(dir)
			if len(ents) != 1 {
				t.Errorf("leftover files: %v", ents)
			}
		})
	}
	if err := SaveToken(path, &oauth2.Token{AccessToken: "baru", RefreshToken: "1//baru"}); err != nil {
		t.Fatal(err)
	}
	tok, err := LoadToken(path)
	if err != nil || tok.AccessToken != "baru" {
		t.Fatalf("after a good save: %v, %v", tok, err)
	}
}

func TestSavedTokenIsPrivateEvenOverAPublicOne(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permission bits")
	}
	path := filepath.Join(t.TempDir(), "token.json")
	if err := os.WriteFile(path, []byte(`{}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := SaveToken(path, &oauth2.Token{RefreshToken: "1//x"}); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode = %v, %v", st.Mode(), err)
	}
}

func TestLoadTokenRefusesAFileOthersCanRead(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permission bits")
	}
	path := filepath.Join(t.TempDir(), "token.json")
	if err := SaveToken(path, &oauth2.Token{RefreshToken: "1//x"}); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, err := LoadToken(path)
		var ie *InsecureTokenError
		if !errors.As(err, &ie) || ie.Mode.Perm() != mode {
			t.Errorf("mode %04o: err = %v", mode, err)
		}
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadToken(path); err != nil {
		t.Errorf("mode 0600 refused: %v", err)
	}
	if _, err := LoadToken(path + ".tidak-ada"); !errors.Is(err, ErrTokenMissing) {
		t.Errorf("missing file: err = %v", err)
	}
}

// expiredTokenFile saves a token whose access token has expired, so the
// next use refreshes it.
func expiredTokenFile(t *testing.T, o *fake.OAuth) (string, *oauth2.Token) {
	t.Helper()
	at, rt := o.Issue(Scopes(), time.Hour)
	tok := &oauth2.Token{AccessToken: at, RefreshToken: rt, TokenType: "Bearer", Expiry: time.Now().Add(-time.Minute)}
	path := filepath.Join(t.TempDir(), "token.json")
	if err := SaveToken(path, tok); err != nil {
		t.Fatal(err)
	}
	return path, tok
}

func TestRefreshedTokenIsPersisted(t *testing.T) {
	o, creds := oauthSetup(t)
	path, old := expiredTokenFile(t, o)
	ts, loaded, err := creds.TokenSource(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.AccessToken != old.AccessToken {
		t.Fatalf("loaded %q", loaded.AccessToken)
	}
	tok, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == old.AccessToken || o.Refreshes() != 1 {
		t.Fatalf("not refreshed: %q, %d refreshes", tok.AccessToken, o.Refreshes())
	}
	saved, err := LoadToken(path)
	if err != nil {
		t.Fatal(err)
	}
	if saved.AccessToken != tok.AccessToken || saved.RefreshToken != old.RefreshToken || !saved.Expiry.After(time.Now()) {
		t.Errorf("saved = %+v, want the refreshed access token and the kept refresh token", saved)
	}
	// A fresh token is neither refreshed nor rewritten.
	st1, _ := os.Stat(path)
	if _, err := ts.Token(); err != nil {
		t.Fatal(err)
	}
	st2, _ := os.Stat(path)
	if o.Refreshes() != 1 || !st1.ModTime().Equal(st2.ModTime()) {
		t.Errorf("a fresh token caused %d refreshes or a rewrite", o.Refreshes())
	}
}

func TestInvalidGrantAsksForKopiAuth(t *testing.T) {
	o, creds := oauthSetup(t)
	path, _ := expiredTokenFile(t, o)
	o.Revoke()
	ts, _, err := creds.TokenSource(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ts.Token()
	var re *ReauthRequiredError
	if !errors.As(err, &re) || !IsReauthRequired(err) {
		t.Fatalf("err = %v, want *ReauthRequiredError", err)
	}
	for _, want := range []string{"invalid_grant", "jalankan `kopi auth` lagi", "7 hari", "tidak ada data yang hilang"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %s", want, err)
		}
	}

	// Through an API call: the official client's error still says so,
	// and the retry loop does not hammer the token endpoint.
	srv, err := fake.New(fake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	svc, err := NewServices(context.Background(), Options{Endpoint: srv.URL(), TokenSource: ts})
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewForms(svc.Forms, &Retrier{}).Form(context.Background(), "formulir")
	if !IsReauthRequired(err) {
		t.Fatalf("API call: err = %v, want reauth required", err)
	}
	if Classify(err) != Permanent {
		t.Errorf("class = %v, want permanent", Classify(err))
	}
	if srv.TotalCalls() != 0 {
		t.Errorf("%d calls reached the API without a token", srv.TotalCalls())
	}
}

func TestParseCredentials(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	sa, _ := json.Marshal(map[string]string{
		"type": "service_account", "client_email": "kopi@proyek.iam.gserviceaccount.com",
		"private_key": string(pemKey), "private_key_id": "1", "token_uri": "https://oauth2.googleapis.com/token",
	})
	example, err := os.ReadFile(filepath.Join("..", "credentials.example.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		data    []byte
		kind    CredentialsKind
		wantErr error
	}{
		{"installed (the example file)", example, InstalledClient, nil},
		{"service account", sa, ServiceAccount, nil},
		{"web client", []byte(`{"web":{"client_id":"x"}}`), 0, ErrWrongClientType},
		{"authorized user", []byte(`{"type":"authorized_user"}`), 0, ErrWrongClientType},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseCredentials(tc.data, "kopi@inspektorat.example.go.id")
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Kind != tc.kind {
				t.Fatalf("kind = %v", c.Kind)
			}
			if c.Kind == ServiceAccount && c.JWT.Subject != "kopi@inspektorat.example.go.id" {
				t.Errorf("subject = %q, want the sender to impersonate", c.JWT.Subject)
			}
		})
	}
	if _, err := ParseCredentials([]byte(`{`), ""); err == nil {
		t.Error("broken JSON accepted")
	}
}

func TestTokenSourcePicksUpARenewedTokenFile(t *testing.T) {
	o, creds := oauthSetup(t)
	path, _ := expiredTokenFile(t, o)
	ts, _, err := creds.TokenSource(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	o.Revoke()
	if _, err := ts.Token(); !IsReauthRequired(err) {
		t.Fatalf("after revocation: err = %v", err)
	}
	// (oauth2 tries both client authentication styles on a refusal.)
	asked := o.Refused()
	if _, err := ts.Token(); !IsReauthRequired(err) {
		t.Fatalf("still revoked: err = %v", err)
	}
	if asked == 0 || o.Refused() != asked {
		t.Errorf("the token endpoint was asked again after invalid_grant (%d → %d refusals)", asked, o.Refused())
	}
	// The operator runs `kopi auth`: a new token lands in the file while
	// the daemon keeps its token source.
	at, rt := o.Issue(Scopes(), time.Hour)
	if err := SaveToken(path, &oauth2.Token{AccessToken: at, RefreshToken: rt, TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	tok, err := ts.Token()
	if err != nil {
		t.Fatalf("after kopi auth: %v", err)
	}
	if tok.AccessToken != at {
		t.Errorf("access token = %q, want the renewed %q", tok.AccessToken, at)
	}
	// A renewed file that others can read is refused, as at start.
	if runtime.GOOS != "windows" {
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, time.Now(), time.Now().Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		var ie *InsecureTokenError
		if _, err := ts.Token(); !errors.As(err, &ie) {
			t.Errorf("public renewed file: err = %v", err)
		}
	}
}
