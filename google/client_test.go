package google_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"kopi/google"
	"kopi/google/fake"
)

// headerRecorder remembers the headers of every request it forwards.
type headerRecorder struct {
	base    http.RoundTripper
	mu      sync.Mutex
	headers []http.Header
}

func (h *headerRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.headers = append(h.headers, req.Header.Clone())
	h.mu.Unlock()
	return h.base.RoundTrip(req)
}

func newFake(t *testing.T) *fake.Server {
	t.Helper()
	srv, err := fake.New(fake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

func TestNewServicesReachTheFake(t *testing.T) {
	srv := newFake(t)
	ctx := context.Background()
	svc, err := google.NewServices(ctx, google.Options{Endpoint: srv.URL() + "/", HTTPClient: srv.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = svc.Forms.Forms.Get("form-1").Context(ctx).Do()
	_, _ = svc.Sheets.Spreadsheets.Get("sheet-1").Context(ctx).Do()
	_, _ = svc.Gmail.Users.Drafts.Get("me", "draft-1").Context(ctx).Do()
	calls := srv.Calls()
	for _, m := range []string{"forms.forms.get", "sheets.spreadsheets.get", "gmail.users.drafts.get"} {
		if calls[m] != 1 {
			t.Errorf("fake saw %d calls of %s, want 1 (all: %v)", calls[m], m, calls)
		}
	}
}

func TestNewServicesAuthAndUserAgent(t *testing.T) {
	tests := []struct {
		name     string
		ts       oauth2.TokenSource
		wantAuth string
	}{
		{"token source adds a bearer token", oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "tok-123"}), "Bearer tok-123"},
		{"no token source sends no credentials", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t)
			rec := &headerRecorder{base: srv.HTTPClient().Transport}
			svc, err := google.NewServices(context.Background(), google.Options{
				Endpoint:    srv.URL(),
				HTTPClient:  &http.Client{Transport: rec},
				TokenSource: tt.ts,
				UserAgent:   "kopi/test",
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = svc.Sheets.Spreadsheets.Get("sheet-1").Do()
			if google.IsUnauthorized(err) {
				t.Fatalf("fake refused the credentials: %v", err)
			}
			if len(rec.headers) != 1 {
				t.Fatalf("%d requests, want 1", len(rec.headers))
			}
			h := rec.headers[0]
			if got := h.Get("Authorization"); got != tt.wantAuth {
				t.Errorf("Authorization = %q, want %q", got, tt.wantAuth)
			}
			if ua := h.Get("User-Agent"); !strings.Contains(ua, "kopi/test") {
				t.Errorf("User-Agent = %q, want it to name kopi/test", ua)
			}
		})
	}
}

func TestNewServicesNeedsCredentialsForRealGoogle(t *testing.T) {
	_, err := google.NewServices(context.Background(), google.Options{})
	if err == nil || !strings.Contains(err.Error(), "kopi auth") {
		t.Fatalf("err = %v, want a hint to run kopi auth", err)
	}
}

func TestScopes(t *testing.T) {
	got := google.Scopes()
	want := map[string]bool{
		"https://www.googleapis.com/auth/forms.responses.readonly": true,
		"https://www.googleapis.com/auth/forms.body":               true,
		"https://www.googleapis.com/auth/spreadsheets":             true,
		"https://www.googleapis.com/auth/gmail.compose":            true,
		"https://www.googleapis.com/auth/gmail.metadata":           true,
	}
	if len(got) != len(want) {
		t.Fatalf("Scopes() = %v", got)
	}
	for _, s := range got {
		if !want[s] {
			t.Errorf("unexpected scope %s", s)
		}
	}
	got[0] = "mutated"
	if google.Scopes()[0] == "mutated" {
		t.Error("Scopes shares its slice")
	}
}
