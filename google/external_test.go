package google

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"kopi/google/fake"
)

// federation plays Google's side of workload identity federation with
// keyless domain-wide delegation: the security token service (STS), the
// IAM Credentials generateAccessToken and signJwt methods, and the OAuth
// token endpoint's jwt-bearer grant. Each step checks the token the
// previous one issued.
type federation struct {
	srv      *httptest.Server
	mu       sync.Mutex
	claims   map[string]any // the last signJwt payload
	refuse   bool           // the token endpoint answers invalid_grant
	exchange int
}

const federatedSA = "kopi-delegasi@proyek.iam.gserviceaccount.com"

func newFederation(t *testing.T) *federation {
	f := &federation{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /sts", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		if r.PostForm.Get("subject_token") != "token-akun-layanan-kubernetes" ||
			r.PostForm.Get("grant_type") != "urn:ietf:params:oauth:grant-type:token-exchange" {
			http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"federasi","issued_token_type":"urn:ietf:params:oauth:token-type:access_token","token_type":"Bearer","expires_in":3600}`))
	})
	mux.HandleFunc("POST /v1/projects/-/serviceAccounts/{sa}", func(w http.ResponseWriter, r *http.Request) {
		sa, method, _ := strings.Cut(r.PathValue("sa"), ":")
		if sa != federatedSA {
			http.Error(w, "unknown service account", http.StatusNotFound)
			return
		}
		switch {
		case method == "generateAccessToken" && r.Header.Get("Authorization") == "Bearer federasi":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"accessToken":"akun-layanan","expireTime":"2099-01-01T00:00:00Z"}`))
		case method == "signJwt" && r.Header.Get("Authorization") == "Bearer akun-layanan":
			var req struct{ Payload string }
			_ = json.NewDecoder(r.Body).Decode(&req)
			var claims map[string]any
			if err := json.Unmarshal([]byte(req.Payload), &claims); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			f.mu.Lock()
			f.claims = claims
			f.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"keyId":"k1","signedJwt":"kepala.isi.tanda-tangan"}`))
		default:
			http.Error(w, `{"error":{"code":403,"message":"denied","status":"PERMISSION_DENIED"}}`, http.StatusForbidden)
		}
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		f.mu.Lock()
		defer f.mu.Unlock()
		f.exchange++
		w.Header().Set("Content-Type", "application/json")
		if f.refuse || r.PostForm.Get("assertion") != "kepala.isi.tanda-tangan" ||
			r.PostForm.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":"invalid_grant","error_description":"Not a valid email or user ID."}`))
			return
		}
		_, _ = w.Write([]byte(`{"access_token":"atas-nama-pengirim","token_type":"Bearer","expires_in":3600}`))
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	oldIAM, oldTok := iamCredentialsEndpoint, delegationTokenURL
	iamCredentialsEndpoint, delegationTokenURL = f.srv.URL+"/", f.srv.URL+"/token"
	t.Cleanup(func() { iamCredentialsEndpoint, delegationTokenURL = oldIAM, oldTok })
	return f
}

// credentialsJSON is an external account file as `gcloud iam
// workload-identity-pools create-cred-config` writes it for a
// Kubernetes service account token file.
func (f *federation) credentialsJSON(t *testing.T) []byte {
	tok := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tok, []byte("token-akun-layanan-kubernetes"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{
		"type":                              "external_account",
		"audience":                          "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/kopi/providers/k8s",
		"subject_token_type":                "urn:ietf:params:oauth:token-type:jwt",
		"token_url":                         f.srv.URL + "/sts",
		"service_account_impersonation_url": f.srv.URL + "/v1/projects/-/serviceAccounts/" + federatedSA + ":generateAccessToken",
		"credential_source":                 map[string]any{"file": tok},
	})
	return b
}

func TestExternalAccountActsAsTheSenderWithoutAKey(t *testing.T) {
	f := newFederation(t)
	creds, err := ParseCredentials(f.credentialsJSON(t), "kopi@inspektorat.example.go.id")
	if err != nil {
		t.Fatal(err)
	}
	if creds.Kind != ExternalAccount {
		t.Fatalf("kind = %v", creds.Kind)
	}
	ts, loaded, err := creds.TokenSource(context.Background(), "")
	if err != nil || loaded != nil {
		t.Fatalf("token source: %v (loaded %v)", err, loaded)
	}
	// Through an API call, as the engine makes them.
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
	for range 2 {
		if _, err := svc.Sheets.Spreadsheets.Get(id).Do(); err != nil {
			t.Fatalf("API call: %v", err)
		}
	}
	tok, err := ts.Token()
	if err != nil || tok.AccessToken != "atas-nama-pengirim" {
		t.Fatalf("token %+v, %v; want the delegated token", tok, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.exchange != 1 {
		t.Errorf("%d exchanges for one valid token, want 1", f.exchange)
	}
	c := f.claims
	if c["iss"] != federatedSA || c["sub"] != "kopi@inspektorat.example.go.id" || c["aud"] != f.srv.URL+"/token" {
		t.Errorf("delegation claims %v", c)
	}
	for _, s := range Scopes() {
		if !strings.Contains(c["scope"].(string), s) {
			t.Errorf("scope %s not asked for: %v", s, c["scope"])
		}
	}
}

func TestExternalAccountWithoutDelegationAsksForTheAdminConsole(t *testing.T) {
	f := newFederation(t)
	f.refuse = true
	creds, err := ParseCredentials(f.credentialsJSON(t), "kopi@inspektorat.example.go.id")
	if err != nil {
		t.Fatal(err)
	}
	ts, _, err := creds.TokenSource(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = ts.Token()
	var re *ReauthRequiredError
	if !errors.As(err, &re) || !re.ServiceAccount || !strings.Contains(err.Error(), "delegasi seluruh domain") {
		t.Fatalf("err = %v, want the service-account re-authorisation message", err)
	}
}

func TestExternalAccountNeedsAnImpersonatedServiceAccount(t *testing.T) {
	b := []byte(`{"type":"external_account","audience":"//iam.googleapis.com/x","subject_token_type":"urn:ietf:params:oauth:token-type:jwt","token_url":"https://sts.googleapis.com/v1/token","credential_source":{"file":"/x"}}`)
	if _, err := ParseCredentials(b, "kopi@example.go.id"); err == nil || !strings.Contains(err.Error(), "service_account_impersonation_url") {
		t.Errorf("err = %v, want a missing impersonation URL named", err)
	}
}
