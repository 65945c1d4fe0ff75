package google

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"strings"
	"syscall"

	"golang.org/x/oauth2"
)

// Failure says what a failed call means for the operator: which kind of
// fix it needs. Classify answers "may it be tried again?"; Failure
// answers "what must a person do?". cmd/kopi maps each Failure to one
// Indonesian message naming the cause and the fix.
type Failure int

// The failures an operator can meet when kopi talks to Google.
const (
	// FailureNone is the failure of a nil error.
	FailureNone Failure = iota
	// FailureOther is an error kopi does not recognise.
	FailureOther
	// FailureUnreachable: the request never reached Google — DNS
	// failure, connection refused, no route, a dial timeout.
	FailureUnreachable
	// FailureTLS: the connection reached something whose certificate
	// is not Google's (often a proxy that inspects HTTPS).
	FailureTLS
	// FailureTimeout: Google (or the network) did not answer in time
	// after the request was sent.
	FailureTimeout
	// FailureNotFound: 404, the form, spreadsheet or message does not
	// exist or is not visible to the account.
	FailureNotFound
	// FailurePermission: 403 other than quota and scopes — the account
	// may not open the file.
	FailurePermission
	// FailureScope: 403 insufficientPermissions — the token lacks a
	// scope the call needs.
	FailureScope
	// FailureUnauthorized: 401, the access token is not accepted.
	FailureUnauthorized
	// FailureRateLimited: 429 or a rate-limit 403 — quota.
	FailureRateLimited
	// FailureServer: 5xx, Google's side failed.
	FailureServer
	// FailureBadRequest: 400 and other 4xx — Google refused the request
	// itself (an id of the wrong shape, a question that changed type).
	FailureBadRequest
	// FailureReauth: the refresh token was refused (invalid_grant):
	// access revoked, password changed or a "Testing" app's 7 days over.
	FailureReauth
	// FailureCanceled: kopi was stopped while the call ran.
	FailureCanceled
)

// Failures lists every Failure a call can end in, for tests that walk
// them all.
var Failures = []Failure{
	FailureOther, FailureUnreachable, FailureTLS, FailureTimeout, FailureNotFound,
	FailurePermission, FailureScope, FailureUnauthorized, FailureRateLimited,
	FailureServer, FailureBadRequest, FailureReauth, FailureCanceled,
}

// ReasonInsufficientPermissions is the legacy reason of a 403 whose token
// lacks a scope ("Request had insufficient authentication scopes.").
const ReasonInsufficientPermissions = "insufficientPermissions"

// FailureOf returns the operator's view of err.
func FailureOf(err error) Failure {
	if err == nil {
		return FailureNone
	}
	var re *ReauthRequiredError
	if errors.As(err, &re) {
		return FailureReauth
	}
	if ge := apiError(err); ge != nil {
		switch code := ge.Code; {
		case IsRateLimited(err):
			return FailureRateLimited
		case code == http.StatusNotFound:
			return FailureNotFound
		case code == http.StatusUnauthorized:
			return FailureUnauthorized
		case code == http.StatusForbidden && (hasReason(err, ReasonInsufficientPermissions) ||
			strings.Contains(ge.Message, "insufficient authentication scopes")):
			return FailureScope
		case code == http.StatusForbidden:
			return FailurePermission
		case code >= 500:
			return FailureServer
		case code >= 400:
			return FailureBadRequest
		}
		return FailureOther
	}
	if errors.Is(err, context.Canceled) {
		return FailureCanceled
	}
	var oe *oauth2.RetrieveError
	if errors.As(err, &oe) {
		if oe.ErrorCode == "invalid_grant" {
			return FailureReauth
		}
		if oe.Response != nil && oe.Response.StatusCode >= 500 {
			return FailureServer
		}
		return FailureUnauthorized
	}
	var certErr *tls.CertificateVerificationError
	var authErr x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	if errors.As(err, &certErr) || errors.As(err, &authErr) || errors.As(err, &hostErr) {
		return FailureTLS
	}
	if IsUnreachable(err) {
		return FailureUnreachable
	}
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout() {
		return FailureTimeout
	}
	return FailureOther
}

// IsUnreachable reports whether err says the request never reached
// Google: the name did not resolve, the connection was refused, there was
// no route, or dialling timed out. Nothing was applied, and retrying
// within seconds rarely helps.
func IsUnreachable(err error) bool {
	if err == nil || apiError(err) != nil {
		return false
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH) {
		return true
	}
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial"
}

// FailedMethod returns the discovery method id ("forms.forms.get") of the
// call that failed, when err came out of the retry loop, or "".
func FailedMethod(err error) string {
	var pe *PermanentError
	var ae *AmbiguousError
	var ee *ExhaustedError
	switch {
	case errors.As(err, &pe):
		return pe.Method
	case errors.As(err, &ae):
		return ae.Method
	case errors.As(err, &ee):
		return ee.Method
	}
	return ""
}
