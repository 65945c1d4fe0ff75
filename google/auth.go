package google

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"
	oauthgoogle "golang.org/x/oauth2/google"
	"golang.org/x/oauth2/jwt"
)

// kopi authenticates in one of two ways. The usual one is an OAuth client
// of type "Desktop app" ("installed" in the downloaded JSON): the operator
// runs `kopi auth` once, signs in with the office's service account in a
// browser, and kopi keeps the refresh token. The alternative, for Google
// Workspace domains only, is a service account key with domain-wide
// delegation impersonating the sender address; consumer @gmail.com
// accounts cannot delegate, so it never works for them.

// CredentialsKind says which kind of credentials file kopi was given.
type CredentialsKind int

// The kinds of credentials files kopi accepts.
const (
	// InstalledClient is an OAuth client of type "Desktop app".
	InstalledClient CredentialsKind = iota + 1
	// ServiceAccount is a service account key used with domain-wide
	// delegation.
	ServiceAccount
	// ExternalAccount is workload identity federation ("external_account":
	// a Kubernetes, AWS or Azure identity) impersonating a service account
	// that has domain-wide delegation; no key file (see external.go).
	ExternalAccount
)

// Credentials is a parsed credentials file.
type Credentials struct {
	Kind CredentialsKind
	// OAuth is the installed client (Kind InstalledClient).
	OAuth *oauth2.Config
	// JWT is the service account impersonating the sender (Kind
	// ServiceAccount).
	JWT *jwt.Config

	external *externalAccount // Kind ExternalAccount
	subject  string           // the sender, for ExternalAccount
}

// ErrWrongClientType reports a credentials file that is neither a
// "Desktop app" OAuth client nor a service account key (a "Web
// application" client, for instance, cannot use a loopback redirect on a
// random port).
var ErrWrongClientType = errors.New("credentials file is neither an installed (Desktop app) OAuth client, a service account key nor an external account (workload identity federation)")

// ParseCredentials decodes a credentials file. subject is the address a
// service account impersonates (the sender); it is ignored for an
// installed client.
func ParseCredentials(data []byte, subject string) (*Credentials, error) {
	var probe struct {
		Type      string          `json:"type"`
		Installed json.RawMessage `json:"installed"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("parse credentials JSON: %w", err)
	}
	switch {
	case probe.Type == "service_account":
		jc, err := oauthgoogle.JWTConfigFromJSON(data, Scopes()...)
		if err != nil {
			return nil, fmt.Errorf("parse service account key: %w", err)
		}
		if jc.Email == "" || len(jc.PrivateKey) == 0 {
			return nil, fmt.Errorf("parse service account key: client_email or private_key missing")
		}
		jc.Subject = subject
		return &Credentials{Kind: ServiceAccount, JWT: jc}, nil
	case probe.Type == "external_account":
		ea, err := parseExternalAccount(data)
		if err != nil {
			return nil, err
		}
		return &Credentials{Kind: ExternalAccount, external: ea, subject: subject}, nil
	case len(probe.Installed) > 0:
		conf, err := oauthgoogle.ConfigFromJSON(data, Scopes()...)
		if err != nil {
			return nil, fmt.Errorf("parse installed client: %w", err)
		}
		if conf.ClientID == "" || conf.Endpoint.AuthURL == "" || conf.Endpoint.TokenURL == "" {
			return nil, fmt.Errorf("parse installed client: client_id, auth_uri or token_uri missing")
		}
		// Google takes the client secret in the form body; saying so
		// spares oauth2's probe of the header style on every refusal.
		conf.Endpoint.AuthStyle = oauth2.AuthStyleInParams
		return &Credentials{Kind: InstalledClient, OAuth: conf}, nil
	}
	return nil, ErrWrongClientType
}

// Delegated reports whether kopi acts as the sender through domain-wide
// delegation (a service account key or an external account): no token
// file and no `kopi auth`.
func (c *Credentials) Delegated() bool {
	return c.Kind == ServiceAccount || c.Kind == ExternalAccount
}

// ServiceAccountEmail is the service account acting as the sender, or ""
// for an installed client.
func (c *Credentials) ServiceAccountEmail() string {
	switch c.Kind {
	case ServiceAccount:
		return c.JWT.Email
	case ExternalAccount:
		return c.external.serviceAccount
	}
	return ""
}

// ReadCredentials reads and parses the credentials file at path.
func ReadCredentials(path, subject string) (*Credentials, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read credentials: %w", err)
	}
	return ParseCredentials(b, subject)
}

// TokenSource returns the source of access tokens for c. For an installed
// client it loads the private token file at tokenPath (see LoadToken) and
// saves every refreshed token back to it; for a service account it signs
// JWTs and needs no file; for an external account the IAM Credentials
// API signs them (external.go). ctx is kept for refreshes (oauth2.HTTPClient in
// it selects the HTTP client); an invalid_grant answer surfaces as
// *ReauthRequiredError. The loaded token is nil for a service account.
func (c *Credentials) TokenSource(ctx context.Context, tokenPath string) (oauth2.TokenSource, *oauth2.Token, error) {
	switch c.Kind {
	case ServiceAccount:
		return reauthSource{src: c.JWT.TokenSource(ctx), serviceAccount: true}, nil, nil
	case ExternalAccount:
		src, err := c.external.tokenSource(ctx, c.subject)
		if err != nil {
			return nil, nil, err
		}
		return reauthSource{src: src, serviceAccount: true}, nil, nil
	case InstalledClient:
		tok, err := LoadToken(tokenPath)
		if err != nil {
			return nil, nil, err
		}
		base := func(t *oauth2.Token) oauth2.TokenSource { return c.OAuth.TokenSource(ctx, t) }
		return NewPersistentTokenSource(base, tokenPath, tok), tok, nil
	}
	return nil, nil, ErrWrongClientType
}

// ReauthRequiredError reports that Google refused the refresh token or the
// service account's grant (OAuth error invalid_grant): the consent was
// revoked, the account's password changed, or the refresh token expired —
// which happens after 7 days to every token of an OAuth app left in
// "Testing" publishing status. No Google call can succeed until the
// operator runs `kopi auth` again; the daemon stops calling Google and
// resumes once the token file is renewed. Nothing is lost meanwhile: the
// responses wait in the form and the emails in the outbox.
type ReauthRequiredError struct {
	// ServiceAccount is true when a service account's grant was refused
	// (the fix is the delegation in the Admin console, not `kopi auth`).
	ServiceAccount bool
	Err            error
}

// Error is the one message the operator reads, in Indonesian.
func (e *ReauthRequiredError) Error() string {
	if e.ServiceAccount {
		return "Google menolak akun layanan (invalid_grant): periksa bahwa kuncinya masih aktif dan bahwa delegasi seluruh domain " +
			"untuk client ID-nya dengan cakupan kopi ada di Admin console Google Workspace; panggilan ke Google dihentikan sampai diperbaiki"
	}
	return "izin kopi ke akun Google tidak berlaku lagi (invalid_grant: izin dicabut, kata sandi diganti, atau aplikasi OAuth " +
		"masih berstatus \"Testing\" sehingga token kedaluwarsa setelah 7 hari) — jalankan `kopi auth` lagi; " +
		"panggilan ke Google dihentikan sampai itu dilakukan, dan tidak ada data yang hilang"
}

// Unwrap returns the token endpoint's answer (*oauth2.RetrieveError).
func (e *ReauthRequiredError) Unwrap() error { return e.Err }

// Permanent marks the error for consumers that branch on behaviour:
// retrying cannot fix it.
func (e *ReauthRequiredError) Permanent() bool { return true }

// ReauthRequired marks the error for consumers that may not import this
// package (the sync engine): stop calling Google until re-authorised.
func (e *ReauthRequiredError) ReauthRequired() bool { return true }

// IsReauthRequired reports whether err (from a token source or from any
// API call through it) means the operator must run `kopi auth` again.
func IsReauthRequired(err error) bool {
	var re *ReauthRequiredError
	if errors.As(err, &re) {
		return true
	}
	var rt *oauth2.RetrieveError
	return errors.As(err, &rt) && rt.ErrorCode == "invalid_grant"
}

// wrapReauth turns an invalid_grant refusal into *ReauthRequiredError.
func wrapReauth(err error) error {
	var rt *oauth2.RetrieveError
	if errors.As(err, &rt) && rt.ErrorCode == "invalid_grant" {
		return &ReauthRequiredError{Err: err}
	}
	return err
}

// reauthSource maps invalid_grant for a source that persists nothing.
type reauthSource struct {
	src            oauth2.TokenSource
	serviceAccount bool
}

func (r reauthSource) Token() (*oauth2.Token, error) {
	tok, err := r.src.Token()
	if err != nil {
		err = wrapReauth(err)
		var re *ReauthRequiredError
		if errors.As(err, &re) {
			re.ServiceAccount = r.serviceAccount
		}
		return nil, err
	}
	return tok, nil
}

// OpenBrowser opens url in the desktop's browser (xdg-open, open, or the
// Windows URL handler). It returns once the opener started; a headless
// server has none, and the caller prints the URL anyway.
func OpenBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	case "darwin":
		cmd = exec.Command("open", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }() // reap the opener
	return nil
}

// LoginOptions tune Login.
type LoginOptions struct {
	// Open opens the consent page in a browser; nil opens none.
	Open func(url string) error
	// Show tells the operator the consent URL (always called, before Open,
	// so the URL is on screen even where no browser opens).
	Show func(url string)
	// Listen is the loopback address of the redirect listener; empty is
	// "127.0.0.1:0" (a random free port).
	Listen string
}

// ErrStateMismatch reports a redirect whose state parameter is not the one
// kopi sent: a request forged by another page, or a stale browser tab.
var ErrStateMismatch = errors.New("oauth redirect: state parameter does not match")

// ConsentDeniedError reports that the browser came back with an OAuth
// error instead of a code (the operator pressed "Cancel": access_denied).
type ConsentDeniedError struct{ Code string }

// Error names the OAuth error code.
func (e *ConsentDeniedError) Error() string { return "oauth consent refused: " + e.Code }

// ErrNoRefreshToken reports a token response without a refresh token, so
// kopi could not keep working past the first hour.
var ErrNoRefreshToken = errors.New("oauth: Google issued no refresh token")

// MissingScopesError reports that the operator did not grant every scope
// (Google's consent screen lets them untick some).
type MissingScopesError struct{ Missing []string }

// Error lists the scopes not granted.
func (e *MissingScopesError) Error() string {
	return "oauth: scopes not granted: " + strings.Join(e.Missing, " ")
}

// Login runs the installed-app authorization code flow with PKCE (S256):
// it listens on a random loopback port, sends the operator's browser to
// Google's consent page with that port as redirect URI, checks the state
// parameter of the redirect and exchanges the code with the PKCE
// verifier. It asks for offline access with forced consent so Google
// issues a refresh token every time. The caller saves the token.
func Login(ctx context.Context, conf *oauth2.Config, o LoginOptions) (*oauth2.Token, error) {
	addr := o.Listen
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for the OAuth redirect on %s: %w", addr, err)
	}
	defer ln.Close()
	c := *conf
	c.RedirectURL = "http://" + ln.Addr().String()
	state, err := randomState()
	if err != nil {
		return nil, err
	}
	verifier := oauth2.GenerateVerifier()
	authURL := c.AuthCodeURL(state, oauth2.AccessTypeOffline, oauth2.ApprovalForce, oauth2.S256ChallengeOption(verifier))

	type result struct {
		code string
		err  error
	}
	done := make(chan result, 1)
	srv := &http.Server{
		ReadHeaderTimeout: 10 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			q := r.URL.Query()
			var res result
			switch {
			case q.Get("state") == "" && q.Get("code") == "" && q.Get("error") == "":
				http.NotFound(w, r) // favicon and the like
				return
			case q.Get("state") != state:
				res.err = ErrStateMismatch
			case q.Get("error") != "":
				res.err = &ConsentDeniedError{Code: q.Get("error")}
			case q.Get("code") == "":
				res.err = errors.New("oauth redirect without a code")
			default:
				res.code = q.Get("code")
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			if res.err != nil {
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprintf(w, pageFailed, html.EscapeString(res.err.Error()))
			} else {
				fmt.Fprint(w, pageDone)
			}
			select {
			case done <- res:
			default: // a second redirect after the first: ignore
			}
		}),
	}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()

	if o.Show != nil {
		o.Show(authURL)
	}
	if o.Open != nil {
		_ = o.Open(authURL) // the URL is shown already; a missing browser is no failure
	}
	var res result
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for the browser to return: %w", ctx.Err())
	case res = <-done:
	}
	if res.err != nil {
		return nil, res.err
	}
	tok, err := c.Exchange(ctx, res.code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("exchange the authorization code: %w", err)
	}
	if tok.RefreshToken == "" {
		return nil, ErrNoRefreshToken
	}
	if granted, ok := tok.Extra("scope").(string); ok && granted != "" {
		if missing := MissingScopes(strings.Fields(granted)); len(missing) > 0 {
			return nil, &MissingScopesError{Missing: missing}
		}
	}
	return tok, nil
}

// MissingScopes returns the scopes of Scopes() not in granted.
func MissingScopes(granted []string) []string {
	var missing []string
	for _, s := range Scopes() {
		if !slices.Contains(granted, s) {
			missing = append(missing, s)
		}
	}
	return missing
}

func randomState() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate OAuth state: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// The pages the operator's browser shows after the redirect.
const (
	pageDone = `<!doctype html><html lang="id"><meta charset="utf-8"><title>kopi</title>` +
		`<body style="font-family:sans-serif"><h1>Berhasil</h1><p>kopi sudah menerima izin akun Google. ` +
		`Jendela ini boleh ditutup; kembali ke terminal.</p></body></html>`
	pageFailed = `<!doctype html><html lang="id"><meta charset="utf-8"><title>kopi</title>` +
		`<body style="font-family:sans-serif"><h1>Gagal</h1><p>Izin tidak diterima: %s</p>` +
		`<p>Kembali ke terminal dan jalankan <code>kopi auth</code> lagi.</p></body></html>`
)
