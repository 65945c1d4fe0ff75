package google_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"google.golang.org/api/googleapi"

	"kopi/google"
)

func TestErrorHelpers(t *testing.T) {
	tests := []struct {
		name         string
		err          error
		code         int
		reason       string
		notFound     bool
		rateLimited  bool
		unauthorized bool
		forbidden    bool
	}{
		{"nil", nil, 0, "", false, false, false, false},
		{"transport", errors.New("EOF"), 0, "", false, false, false, false},
		{"404", apiErr(404, "notFound"), 404, "notFound", true, false, false, false},
		{"429", apiErr(429, ""), 429, "", false, true, false, false},
		{"403 quota", apiErr(403, "userRateLimitExceeded"), 403, "userRateLimitExceeded", false, true, false, false},
		{"403 scope", apiErr(403, "insufficientPermissions"), 403, "insufficientPermissions", false, false, false, true},
		{"403 ErrorInfo quota", &googleapi.Error{Code: 403, Details: []any{map[string]any{
			"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED"}}}, 403, "", false, true, false, false},
		{"401", apiErr(401, "authError"), 401, "authError", false, false, true, false},
		{"wrapped by Do", &google.PermanentError{Method: "m", Err: apiErr(404, "notFound")}, 404, "notFound", true, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := google.StatusCode(tt.err); got != tt.code {
				t.Errorf("StatusCode = %d, want %d", got, tt.code)
			}
			if got := google.Reason(tt.err); got != tt.reason {
				t.Errorf("Reason = %q, want %q", got, tt.reason)
			}
			if got := google.IsNotFound(tt.err); got != tt.notFound {
				t.Errorf("IsNotFound = %v", got)
			}
			if got := google.IsRateLimited(tt.err); got != tt.rateLimited {
				t.Errorf("IsRateLimited = %v", got)
			}
			if got := google.IsUnauthorized(tt.err); got != tt.unauthorized {
				t.Errorf("IsUnauthorized = %v", got)
			}
			if got := google.IsForbidden(tt.err); got != tt.forbidden {
				t.Errorf("IsForbidden = %v", got)
			}
		})
	}
}

func TestRetryAfterHeader(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	withHeader := func(v string) error {
		h := http.Header{}
		if v != "" {
			h.Set("Retry-After", v)
		}
		return &google.ExhaustedError{Err: &googleapi.Error{Code: 429, Header: h}}
	}
	tests := []struct {
		header string
		want   time.Duration
		ok     bool
	}{
		{"", 0, false},
		{"2", 2 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"99999999999", 24 * time.Hour, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{"Mon, 02 Mar 2026 08:00:00 GMT", 0, true},
	}
	for _, tt := range tests {
		got, ok := google.RetryAfter(withHeader(tt.header), now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", tt.header, got, ok, tt.want, tt.ok)
		}
	}
	if _, ok := google.RetryAfter(errors.New("EOF"), now); ok {
		t.Error("RetryAfter of a transport error reports a delay")
	}
}

func TestTypedErrorsKeepTheCause(t *testing.T) {
	cause := apiErr(503, "backendError")
	for _, err := range []error{
		&google.PermanentError{Method: "m", Attempts: 1, Err: cause},
		&google.AmbiguousError{Method: "m", Attempts: 1, Err: cause},
		&google.ExhaustedError{Method: "m", Attempts: 6, Err: cause},
	} {
		var ge *googleapi.Error
		if !errors.As(err, &ge) || ge.Code != 503 {
			t.Errorf("%T does not unwrap to the *googleapi.Error", err)
		}
	}
	if !google.IsAmbiguous(&google.AmbiguousError{Err: cause}) || google.IsAmbiguous(cause) {
		t.Error("IsAmbiguous")
	}
}
