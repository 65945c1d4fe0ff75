package fake

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// OAuth is a fake of Google's OAuth 2.0 endpoints for installed apps:
// the consent page (/auth, which consents at once and redirects to the
// loopback redirect URI), the token endpoint (/token: authorization_code
// with PKCE verification, refresh_token) and tokeninfo (/tokeninfo). It
// lets tests run `kopi auth` end to end and make a refresh token expire.
type OAuth struct {
	srv          *httptest.Server
	clientID     string
	clientSecret string

	mu        sync.Mutex
	seq       int
	codes     map[string]authCode // code → what /auth was asked
	access    map[string]grant    // access token → grant
	refresh   map[string][]string // refresh token → scopes
	revoked   map[string]bool     // refresh tokens refused with invalid_grant
	grantOnly []string            // when set, the scopes the "user" ticks
	rotate    bool                // refresh_token grants issue a new refresh token
	refreshes int
	refused   int
}

type authCode struct {
	redirect, challenge string
	scopes              []string
}

type grant struct {
	scopes  []string
	expires time.Time
}

// NewOAuth starts the fake for one OAuth client.
func NewOAuth(clientID, clientSecret string) *OAuth {
	o := &OAuth{
		clientID: clientID, clientSecret: clientSecret,
		codes: map[string]authCode{}, access: map[string]grant{},
		refresh: map[string][]string{}, revoked: map[string]bool{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /auth", o.handleAuth)
	mux.HandleFunc("POST /token", o.handleToken)
	mux.HandleFunc("GET /tokeninfo", o.handleTokenInfo)
	o.srv = httptest.NewServer(mux)
	return o
}

// URL is the fake's base URL.
func (o *OAuth) URL() string { return o.srv.URL }

// TokenInfoURL is the fake's tokeninfo endpoint.
func (o *OAuth) TokenInfoURL() string { return o.srv.URL + "/tokeninfo" }

// Close stops the fake.
func (o *OAuth) Close() { o.srv.Close() }

// InstalledJSON is a credentials file of type "Desktop app" whose
// endpoints are the fake's.
func (o *OAuth) InstalledJSON() []byte {
	b, _ := json.Marshal(map[string]any{"installed": map[string]any{
		"client_id": o.clientID, "client_secret": o.clientSecret,
		"auth_uri": o.srv.URL + "/auth", "token_uri": o.srv.URL + "/token",
		"redirect_uris": []string{"http://localhost"},
	}})
	return b
}

// GrantOnly makes the consent grant only these scopes, as when the user
// unticks boxes on Google's consent screen.
func (o *OAuth) GrantOnly(scopes ...string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.grantOnly = slices.Clone(scopes)
}

// Revoke makes every refresh token answer invalid_grant from now on and
// forgets every access token: the consent was withdrawn.
func (o *OAuth) Revoke() {
	o.mu.Lock()
	defer o.mu.Unlock()
	for rt := range o.refresh {
		o.revoked[rt] = true
	}
	o.access = map[string]grant{}
}

// RotateRefreshTokens makes every refresh_token grant answer with a new
// refresh token and retire the old one. Google's installed-app flow
// usually keeps the refresh token, but OAuth 2.0 (RFC 6749 §6) lets the
// server issue a new one, and Google's documentation does not promise it
// never will; kopi must keep working either way.
func (o *OAuth) RotateRefreshTokens() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.rotate = true
}

// Refreshes counts successful refresh_token grants.
func (o *OAuth) Refreshes() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.refreshes
}

// Refused counts refresh_token grants answered with invalid_grant.
func (o *OAuth) Refused() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.refused
}

// Issue mints a refresh token and an access token with the given scopes
// and remaining life, as a completed `kopi auth` would have left them.
func (o *OAuth) Issue(scopes []string, life time.Duration) (accessToken, refreshToken string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.seq++
	refreshToken = fmt.Sprintf("1//fake-refresh-%d", o.seq)
	o.refresh[refreshToken] = slices.Clone(scopes)
	accessToken = o.newAccess(scopes, life)
	return accessToken, refreshToken
}

func (o *OAuth) newAccess(scopes []string, life time.Duration) string {
	o.seq++
	at := fmt.Sprintf("ya29.fake-access-%d", o.seq)
	o.access[at] = grant{scopes: slices.Clone(scopes), expires: time.Now().Add(life)}
	return at
}

// handleAuth plays the consent screen: it checks the request as Google
// does for installed apps and redirects at once to the loopback URI.
func (o *OAuth) handleAuth(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect := q.Get("redirect_uri")
	ru, err := url.Parse(redirect)
	switch {
	case q.Get("client_id") != o.clientID:
		http.Error(w, "invalid_client", http.StatusUnauthorized)
		return
	case err != nil || ru.Scheme != "http" || (ru.Hostname() != "127.0.0.1" && ru.Hostname() != "localhost") || ru.Port() == "":
		http.Error(w, "redirect_uri_mismatch: loopback redirect with a port required", http.StatusBadRequest)
		return
	case q.Get("response_type") != "code":
		http.Error(w, "unsupported_response_type", http.StatusBadRequest)
		return
	case q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "":
		http.Error(w, "invalid_request: PKCE with S256 required", http.StatusBadRequest)
		return
	case q.Get("access_type") != "offline" || q.Get("prompt") != "consent":
		http.Error(w, "kopi must ask for access_type=offline and prompt=consent", http.StatusBadRequest)
		return
	}
	scopes := strings.Fields(q.Get("scope"))
	o.mu.Lock()
	if o.grantOnly != nil {
		scopes = slices.Clone(o.grantOnly)
	}
	o.seq++
	code := fmt.Sprintf("4/fake-code-%d", o.seq)
	o.codes[code] = authCode{redirect: redirect, challenge: q.Get("code_challenge"), scopes: scopes}
	o.mu.Unlock()
	back := url.Values{"code": {code}, "state": {q.Get("state")}, "scope": {strings.Join(scopes, " ")}}
	http.Redirect(w, r, redirect+"?"+back.Encode(), http.StatusFound)
}

// tokenError answers as Google's token endpoint does.
func tokenError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

func (o *OAuth) handleToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	id, secret, ok := r.BasicAuth()
	if ok {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != o.clientID || secret != o.clientSecret {
		tokenError(w, http.StatusUnauthorized, "invalid_client", "The OAuth client was not found.")
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	life := time.Hour
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		c, ok := o.codes[r.PostForm.Get("code")]
		delete(o.codes, r.PostForm.Get("code")) // single use
		if !ok {
			tokenError(w, http.StatusBadRequest, "invalid_grant", "Malformed auth code.")
			return
		}
		if r.PostForm.Get("redirect_uri") != c.redirect {
			tokenError(w, http.StatusBadRequest, "redirect_uri_mismatch", "Bad Request")
			return
		}
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if r.PostForm.Get("code_verifier") == "" || base64.RawURLEncoding.EncodeToString(sum[:]) != c.challenge {
			tokenError(w, http.StatusBadRequest, "invalid_grant", "Invalid code verifier.")
			return
		}
		o.seq++
		rt := fmt.Sprintf("1//fake-refresh-%d", o.seq)
		o.refresh[rt] = c.scopes
		writeToken(w, o.newAccess(c.scopes, life), rt, c.scopes, life)
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		scopes, ok := o.refresh[rt]
		if !ok || o.revoked[rt] {
			o.refused++
			tokenError(w, http.StatusBadRequest, "invalid_grant", "Token has been expired or revoked.")
			return
		}
		o.refreshes++
		next := "" // Google keeps the refresh token
		if o.rotate {
			o.seq++
			next = fmt.Sprintf("1//fake-refresh-%d", o.seq)
			o.refresh[next] = scopes
			o.revoked[rt] = true
		}
		writeToken(w, o.newAccess(scopes, life), next, scopes, life)
	default:
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "Invalid grant_type: "+r.PostForm.Get("grant_type"))
	}
}

func writeToken(w http.ResponseWriter, access, refresh string, scopes []string, life time.Duration) {
	body := map[string]any{
		"access_token": access, "token_type": "Bearer",
		"expires_in": int(life.Seconds()), "scope": strings.Join(scopes, " "),
	}
	if refresh != "" {
		body["refresh_token"] = refresh
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}

func (o *OAuth) handleTokenInfo(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	g, ok := o.access[r.URL.Query().Get("access_token")]
	o.mu.Unlock()
	if !ok || time.Now().After(g.expires) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_token","error_description":"Invalid Value"}`))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{
		"azp": o.clientID, "aud": o.clientID, "scope": strings.Join(g.scopes, " "),
		"expires_in": strconv.Itoa(int(time.Until(g.expires).Seconds())), "access_type": "offline",
	})
}
