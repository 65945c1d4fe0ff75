package google

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"google.golang.org/api/forms/v1"
	"google.golang.org/api/gmail/v1"
	"google.golang.org/api/option"
	"google.golang.org/api/sheets/v4"
)

// DefaultTimeout bounds one HTTP exchange with Google when Options has no
// HTTPClient. A timeout is an Ambiguous failure for the retry loop.
const DefaultTimeout = 60 * time.Second

// Options say where the official clients connect and how they
// authenticate. The zero Endpoint means real Google.
type Options struct {
	// Endpoint is the base URL of a fake Workspace (google/fake's
	// Server.URL()), without or with a trailing slash. Empty means
	// Google's real endpoints.
	Endpoint string
	// HTTPClient carries the requests. Nil means a client with
	// DefaultTimeout. With TokenSource set, its transport is wrapped to
	// add the OAuth header.
	HTTPClient *http.Client
	// TokenSource supplies OAuth tokens (from `kopi auth`). Required for
	// real Google unless HTTPClient already authenticates; optional for a
	// fake, which accepts unauthenticated requests.
	TokenSource oauth2.TokenSource
	// UserAgent is appended to the clients' User-Agent, e.g. "kopi/1.2.0".
	UserAgent string
	// DeferForm makes Connect skip reading the intake form; the caller
	// sets the questions with Workspace.UseForm or RefreshForm.
	DeferForm bool
}

// Services are the three official clients kopi uses, built from one
// Options so they share the endpoint, transport and credentials.
type Services struct {
	Forms  *forms.Service
	Sheets *sheets.Service
	Gmail  *gmail.Service
}

// NewServices builds the Forms, Sheets and Gmail clients. They do not
// retry; wrap every call in Retrier.Do.
func NewServices(ctx context.Context, o Options) (*Services, error) {
	opts, err := o.clientOptions()
	if err != nil {
		return nil, err
	}
	var s Services
	if s.Forms, err = forms.NewService(ctx, opts...); err != nil {
		return nil, fmt.Errorf("create Forms client: %w", err)
	}
	if s.Sheets, err = sheets.NewService(ctx, opts...); err != nil {
		return nil, fmt.Errorf("create Sheets client: %w", err)
	}
	if s.Gmail, err = gmail.NewService(ctx, opts...); err != nil {
		return nil, fmt.Errorf("create Gmail client: %w", err)
	}
	// option.WithUserAgent is ignored when an HTTP client is given; the
	// services' own field is not. "gzip" in it asks Google for compressed
	// responses (Go's transport sends Accept-Encoding: gzip and inflates
	// the body): "In order to receive a gzip-encoded response you must do
	// two things: Set an Accept-Encoding header, and modify your user
	// agent to contain the string gzip" (each API's "Improve performance"
	// guide). The cycle's read of the tracker is repetitive JSON: 5.6 to
	// 25 times smaller compressed (BENCHMARKS.md, lean round).
	ua := strings.TrimSpace(o.UserAgent + " (gzip)")
	s.Forms.UserAgent = ua
	s.Sheets.UserAgent = ua
	s.Gmail.UserAgent = ua
	return &s, nil
}

// clientOptions turns Options into the generated clients' options. It
// always passes an HTTP client, so the library never falls back to
// Application Default Credentials on its own.
func (o Options) clientOptions() ([]option.ClientOption, error) {
	if o.Endpoint == "" && o.TokenSource == nil && o.HTTPClient == nil {
		return nil, errors.New("google: no credentials: set a token source (run `kopi auth`) or an endpoint of a fake Workspace")
	}
	hc := o.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	if o.TokenSource != nil {
		base := hc.Transport
		if base == nil {
			base = http.DefaultTransport
		}
		authed := *hc
		authed.Transport = &oauth2.Transport{Source: o.TokenSource, Base: base}
		hc = &authed
	}
	// Read decodes its responses itself (rawTransport).
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	raw := *hc
	raw.Transport = rawTransport{base: base}
	hc = &raw
	opts := []option.ClientOption{option.WithHTTPClient(hc)}
	if o.Endpoint != "" {
		opts = append(opts, option.WithEndpoint(strings.TrimSuffix(o.Endpoint, "/")+"/"))
		if o.TokenSource == nil {
			opts = append(opts, option.WithoutAuthentication())
		}
	}
	return opts, nil
}
