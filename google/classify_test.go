package google_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"syscall"
	"testing"

	"golang.org/x/oauth2"
	"google.golang.org/api/googleapi"

	"kopi/google"
)

func apiErr(code int, reason string) error {
	e := &googleapi.Error{Code: code, Message: "m"}
	if reason != "" {
		e.Errors = []googleapi.ErrorItem{{Reason: reason}}
	}
	return fmt.Errorf("append rows to %q: %w", "Konsultasi", e)
}

func transport(err error) error {
	return &url.Error{Op: "Post", URL: "https://sheets.googleapis.com/v4/x", Err: err}
}

func TestClassify(t *testing.T) {
	dialRefused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	readReset := &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	tests := []struct {
		name string
		err  error
		want google.Class
	}{
		{"nil", nil, google.Success},
		{"429", apiErr(429, "rateLimitExceeded"), google.Retryable},
		{"403 rateLimitExceeded", apiErr(403, "rateLimitExceeded"), google.Retryable},
		{"403 userRateLimitExceeded", apiErr(403, "userRateLimitExceeded"), google.Retryable},
		{"403 forbidden", apiErr(403, "forbidden"), google.Permanent},
		{"403 dailyLimitExceeded", apiErr(403, "dailyLimitExceeded"), google.Permanent},
		{"403 backendError", apiErr(403, "backendError"), google.Ambiguous},
		{"400", apiErr(400, "badRequest"), google.Permanent},
		{"401", apiErr(401, "authError"), google.Permanent},
		{"404", apiErr(404, "notFound"), google.Permanent},
		{"500", apiErr(500, "backendError"), google.Ambiguous},
		{"502", apiErr(502, ""), google.Ambiguous},
		{"503", apiErr(503, "backendError"), google.Ambiguous},
		{"504", apiErr(504, ""), google.Ambiguous},
		{"501", apiErr(501, "notImplemented"), google.Permanent},
		{"connection refused", transport(dialRefused), google.Retryable},
		{"DNS failure", transport(&net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "sheets.googleapis.com"}}), google.Retryable},
		{"connection reset", transport(readReset), google.Ambiguous},
		{"unexpected EOF", transport(io.ErrUnexpectedEOF), google.Ambiguous},
		{"EOF", transport(io.EOF), google.Ambiguous},
		{"transport timeout", transport(context.DeadlineExceeded), google.Ambiguous},
		{"other transport failure", transport(errors.New("http2: stream closed")), google.Ambiguous},
		{"canceled", context.Canceled, google.Permanent},
		{"token refresh refused", transport(&oauth2.RetrieveError{Response: &http.Response{StatusCode: 400}, ErrorCode: "invalid_grant"}), google.Permanent},
		{"token endpoint down", transport(&oauth2.RetrieveError{Response: &http.Response{StatusCode: 503}}), google.Retryable},
		{"unknown", errors.New("boom"), google.Permanent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := google.Classify(tt.err); got != tt.want {
				t.Fatalf("Classify(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
