package google_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"syscall"
	"testing"

	"golang.org/x/oauth2"

	"kopi/google"
	"kopi/google/fake"
)

func TestFailureOf(t *testing.T) {
	dialRefused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	tests := []struct {
		name string
		err  error
		want google.Failure
	}{
		{"nil", nil, google.FailureNone},
		{"404", apiErr(404, "notFound"), google.FailureNotFound},
		{"403 forbidden", apiErr(403, "forbidden"), google.FailurePermission},
		{"403 insufficientPermissions", apiErr(403, "insufficientPermissions"), google.FailureScope},
		{"403 rateLimitExceeded", apiErr(403, "rateLimitExceeded"), google.FailureRateLimited},
		{"429", apiErr(429, ""), google.FailureRateLimited},
		{"401", apiErr(401, "authError"), google.FailureUnauthorized},
		{"500", apiErr(500, "backendError"), google.FailureServer},
		{"503", apiErr(503, ""), google.FailureServer},
		{"400", apiErr(400, "badRequest"), google.FailureBadRequest},
		{"connection refused", transport(dialRefused), google.FailureUnreachable},
		{"DNS", transport(&net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "forms.googleapis.com"}}), google.FailureUnreachable},
		{"timeout", transport(context.DeadlineExceeded), google.FailureTimeout},
		{"canceled", context.Canceled, google.FailureCanceled},
		{"invalid_grant", transport(&oauth2.RetrieveError{Response: &http.Response{StatusCode: 400}, ErrorCode: "invalid_grant"}), google.FailureReauth},
		{"reauth", &google.ReauthRequiredError{Err: errors.New("x")}, google.FailureReauth},
		{"other", errors.New("x"), google.FailureOther},
	}
	for _, tt := range tests {
		if got := google.FailureOf(tt.err); got != tt.want {
			t.Errorf("%s: FailureOf = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestFailureOfFakeScope: the fake answers a scope refusal in Google's
// shape and the client's error is recognised as a missing scope.
func TestFailureOfFakeScope(t *testing.T) {
	b := setup(t)
	b.fault(t, fake.Fault{Method: mGet, Status: 403, Reason: google.ReasonInsufficientPermissions,
		Message: "Request had insufficient authentication scopes."})
	err := b.get(context.Background())
	if got := google.FailureOf(err); got != google.FailureScope {
		t.Fatalf("FailureOf(%v) = %v, want FailureScope", err, got)
	}
	if m := google.FailedMethod(err); m != mGet {
		t.Fatalf("FailedMethod = %q, want %q", m, mGet)
	}
}

// TestUnreachableGivesUpQuickly: a refused connection ends the loop after
// Policy.MaxUnreachable attempts (2 by default), not after the whole
// budget, and the error says Google was unreachable.
func TestUnreachableGivesUpQuickly(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	b := setupWith(t, nil, google.Options{Endpoint: "http://" + addr})

	err = b.get(context.Background())
	var ee *google.ExhaustedError
	if !errors.As(err, &ee) || ee.Attempts != 2 || !ee.Unreachable() {
		t.Fatalf("err = %v, want *ExhaustedError after 2 unreachable attempts", err)
	}
	if google.FailureOf(err) != google.FailureUnreachable {
		t.Fatalf("FailureOf = %v, want FailureUnreachable", google.FailureOf(err))
	}
}
