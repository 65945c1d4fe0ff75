package google

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"golang.org/x/oauth2"
	oauthgoogle "golang.org/x/oauth2/google"
	"google.golang.org/api/iamcredentials/v1"
	"google.golang.org/api/option"
)

// Workload identity federation ("external_account" credentials: a
// Kubernetes service account token, an AWS or Azure identity) gives kopi
// a Google service account without a key file. Gmail, Sheets and Forms of
// a Workspace mailbox need that service account to act as the office's
// sender through domain-wide delegation, and the token service that
// exchanges the federated identity cannot name a subject. So kopi does
// what a key file would, without the key: it asks the IAM Credentials API
// to sign the delegation JWT (sub = the sender) as the service account
// (projects.serviceAccounts.signJwt, which needs
// roles/iam.serviceAccountTokenCreator on the service account itself),
// then trades the signed JWT at Google's token endpoint (RFC 7523
// jwt-bearer grant), exactly as the key-file path does.

// Endpoints of the keyless delegation; variables so tests can point them
// at a local server.
var (
	iamCredentialsEndpoint = "https://iamcredentials.googleapis.com/"
	delegationTokenURL     = "https://oauth2.googleapis.com/token"
)

// impersonationURL extracts the service account from an external account
// file's service_account_impersonation_url.
var impersonationURL = regexp.MustCompile(`/serviceAccounts/([^/:]+):generateAccessToken$`)

// externalAccount is what kopi needs of an "external_account" file.
type externalAccount struct {
	raw            []byte
	serviceAccount string // the impersonated service account's email
}

func parseExternalAccount(data []byte) (*externalAccount, error) {
	var f struct {
		Audience                       string `json:"audience"`
		ServiceAccountImpersonationURL string `json:"service_account_impersonation_url"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("parse external account: %w", err)
	}
	m := impersonationURL.FindStringSubmatch(f.ServiceAccountImpersonationURL)
	if f.Audience == "" || m == nil {
		return nil, errors.New("parse external account: audience or service_account_impersonation_url missing; " +
			"domain-wide delegation needs the federated identity to impersonate a service account")
	}
	sa, err := url.PathUnescape(m[1])
	if err != nil {
		return nil, fmt.Errorf("parse external account: service account in %q: %w", f.ServiceAccountImpersonationURL, err)
	}
	return &externalAccount{raw: data, serviceAccount: sa}, nil
}

// delegatedSource signs a delegation JWT with the service account through
// the IAM Credentials API and trades it for an access token of subject.
type delegatedSource struct {
	ctx     context.Context
	iam     *iamcredentials.Service
	sa      string
	subject string
	scopes  []string
	client  *http.Client
	now     func() time.Time
}

func (e *externalAccount) tokenSource(ctx context.Context, subject string) (oauth2.TokenSource, error) {
	if subject == "" {
		return nil, errors.New("external account: no sender address to act as (mail.sender.address)")
	}
	creds, err := oauthgoogle.CredentialsFromJSONWithTypeAndParams(ctx, e.raw, oauthgoogle.ExternalAccount,
		oauthgoogle.CredentialsParams{Scopes: []string{"https://www.googleapis.com/auth/cloud-platform"}})
	if err != nil {
		return nil, fmt.Errorf("external account: %w", err)
	}
	iam, err := iamcredentials.NewService(ctx, option.WithTokenSource(creds.TokenSource), option.WithEndpoint(iamCredentialsEndpoint))
	if err != nil {
		return nil, fmt.Errorf("external account: IAM Credentials client: %w", err)
	}
	client := http.DefaultClient
	if c, ok := ctx.Value(oauth2.HTTPClient).(*http.Client); ok && c != nil {
		client = c
	}
	src := &delegatedSource{ctx: ctx, iam: iam, sa: e.serviceAccount, subject: subject, scopes: Scopes(), client: client, now: time.Now}
	return oauth2.ReuseTokenSource(nil, src), nil
}

// Token signs a fresh delegation JWT and exchanges it.
func (d *delegatedSource) Token() (*oauth2.Token, error) {
	now := d.now()
	claims, err := json.Marshal(map[string]any{
		"iss": d.sa, "sub": d.subject, "scope": strings.Join(d.scopes, " "),
		"aud": delegationTokenURL, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	})
	if err != nil {
		return nil, err
	}
	name := "projects/-/serviceAccounts/" + d.sa
	signed, err := d.iam.Projects.ServiceAccounts.SignJwt(name, &iamcredentials.SignJwtRequest{Payload: string(claims)}).Context(d.ctx).Do()
	if err != nil {
		return nil, fmt.Errorf("sign delegation JWT as %s: %w", d.sa, err)
	}
	resp, err := d.client.PostForm(delegationTokenURL, url.Values{
		"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"},
		"assertion":  {signed.SignedJwt},
	})
	if err != nil {
		return nil, fmt.Errorf("exchange delegation JWT: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("exchange delegation JWT: %w", err)
	}
	var tr struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int64  `json:"expires_in"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal(body, &tr)
	if resp.StatusCode != http.StatusOK || tr.AccessToken == "" {
		// The same shape oauth2 gives for the key-file path, so an
		// invalid_grant (delegation missing) reads the same.
		return nil, &oauth2.RetrieveError{Response: resp, Body: body, ErrorCode: tr.Error, ErrorDescription: tr.Description}
	}
	return &oauth2.Token{AccessToken: tr.AccessToken, TokenType: tr.TokenType, Expiry: now.Add(time.Duration(tr.ExpiresIn) * time.Second)}, nil
}
