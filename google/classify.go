package google

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"syscall"

	"golang.org/x/oauth2"
)

// Class says what a failed call means for trying it again.
type Class int

// The classes, from the point of view of "was anything applied?".
const (
	// Success is the class of a nil error.
	Success Class = iota
	// Retryable failures are transient and Google did not apply the
	// request: it was refused for quota (429, or 403 rateLimitExceeded /
	// userRateLimitExceeded) or never left this machine (connection
	// refused, DNS failure). Any call may be repeated.
	Retryable
	// Ambiguous failures are transient but the request may have been
	// applied: the connection dropped or timed out after the request was
	// written, or Google answered 5xx (a 500, 503 or 504 can be emitted
	// after the backend committed the write). Idempotent calls may be
	// repeated; non-idempotent ones must not be.
	Ambiguous
	// Permanent failures do not go away by trying again: other 4xx (bad
	// request, auth, permission, not found), TLS certificate errors, the
	// caller's context being cancelled, and errors kopi does not
	// recognise.
	Permanent
)

// String names the class for logs and metrics labels.
func (c Class) String() string {
	switch c {
	case Success:
		return "success"
	case Retryable:
		return "retryable"
	case Ambiguous:
		return "ambiguous"
	case Permanent:
		return "permanent"
	}
	return "unknown"
}

// Classify decides, where the error is born, whether a failed call may be
// tried again. It does not know whether the call was idempotent: Ambiguous
// means "transient, but it may have been applied", and the retry loop
// repeats such a failure only for idempotent calls.
//
// Classify cannot tell the caller's own deadline from a transport timeout
// when both surface as context.DeadlineExceeded; Retrier.Do checks the
// caller's context first, so a timeout seen here is the transport's.
func Classify(err error) Class {
	c, _ := classify(err)
	return c
}

// classify returns the class and a short label of the failure for logs and
// metrics. The label never contains message text, which may quote personal
// data from the request.
func classify(err error) (Class, string) {
	if err == nil {
		return Success, "ok"
	}
	if ge := apiError(err); ge != nil {
		return classifyStatus(ge.Code, err), "http " + http.StatusText(ge.Code)
	}
	if errors.Is(err, context.Canceled) {
		return Permanent, "canceled"
	}
	// A token refresh failure: nothing reached the API.
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.Response != nil && (re.Response.StatusCode == http.StatusTooManyRequests || re.Response.StatusCode >= 500) {
			return Retryable, "token endpoint unavailable"
		}
		return Permanent, "token refresh refused"
	}
	var certErr *tls.CertificateVerificationError
	var authErr x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	if errors.As(err, &certErr) || errors.As(err, &authErr) || errors.As(err, &hostErr) {
		return Permanent, "tls certificate"
	}
	// Failures before the request was written: nothing was applied.
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return Retryable, "dns"
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return Retryable, "connection refused"
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		if opErr.Timeout() {
			return Retryable, "dial timeout"
		}
		return Retryable, "dial"
	}
	// Failures after the request may have been written.
	switch {
	case errors.Is(err, syscall.ECONNRESET):
		return Ambiguous, "connection reset"
	case errors.Is(err, syscall.EPIPE):
		return Ambiguous, "broken pipe"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return Ambiguous, "connection closed"
	case errors.Is(err, context.DeadlineExceeded):
		return Ambiguous, "timeout"
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return Ambiguous, "timeout"
	}
	// Any other failure of the HTTP exchange itself (url.Error is what
	// http.Client returns) happened at an unknown point of the exchange.
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return Ambiguous, "transport"
	}
	return Permanent, "error"
}

// classifyStatus classifies an HTTP error status from Google.
func classifyStatus(code int, err error) Class {
	switch {
	case code == http.StatusTooManyRequests:
		// Quota is enforced before the method runs.
		return Retryable
	case code == http.StatusForbidden && hasReason(err, ReasonRateLimitExceeded, ReasonUserRateLimitExceeded):
		return Retryable
	case code == http.StatusInternalServerError, code == http.StatusBadGateway,
		code == http.StatusServiceUnavailable, code == http.StatusGatewayTimeout:
		return Ambiguous
	case hasReason(err, ReasonBackendError):
		// Sheets and Gmail have answered backendError with odd codes.
		return Ambiguous
	}
	// Every other status, including 501 and other 4xx, is permanent.
	return Permanent
}
