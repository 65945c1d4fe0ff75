package google

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"google.golang.org/api/googleapi"
)

// Legacy reason strings Google puts in error.errors[].reason. The retry
// classification branches on the rate-limit ones because Google sends them
// with 403 as well as with 429.
const (
	ReasonRateLimitExceeded     = "rateLimitExceeded"
	ReasonUserRateLimitExceeded = "userRateLimitExceeded"
	ReasonBackendError          = "backendError"
)

// PermanentError reports a call that failed in a way retrying cannot fix:
// a 4xx other than rate limiting, an auth failure, or the caller's context
// ending. Err is the cause; errors.As still finds a *googleapi.Error in it.
type PermanentError struct {
	Method   string // discovery method id, e.g. "sheets.spreadsheets.get"
	Attempts int    // attempts made, including the failing one
	Err      error
}

// Error names the method and the cause.
func (e *PermanentError) Error() string {
	return fmt.Sprintf("%s: %v", e.Method, e.Err)
}

// Unwrap returns the cause.
func (e *PermanentError) Unwrap() error { return e.Err }

// AmbiguousError reports that a non-idempotent call failed after the
// request may have reached Google: a dropped connection, a timeout or a
// 5xx. The effect (a row appended, an email sent) may or may not exist, so
// the retry loop stops and the caller decides with its idempotency ledger,
// for example by looking for the row's key or the draft before trying
// again.
type AmbiguousError struct {
	Method   string
	Attempts int
	Err      error
}

// Error says the outcome is unknown, naming the method and the cause.
func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("%s: outcome unknown after %d attempt(s): %v", e.Method, e.Attempts, e.Err)
}

// Unwrap returns the cause.
func (e *AmbiguousError) Unwrap() error { return e.Err }

// ExhaustedError reports that a call kept failing with retryable errors
// until the attempt or time budget ran out. For a non-idempotent call every
// failure was one Google reports before applying anything (429, rate
// limits, a refused connection), so nothing was applied.
type ExhaustedError struct {
	Method   string
	Attempts int
	Elapsed  time.Duration
	Err      error // the last failure
}

// Error names the method, the budget spent and the last failure.
func (e *ExhaustedError) Error() string {
	return fmt.Sprintf("%s: giving up after %d attempt(s) in %s: %v", e.Method, e.Attempts, e.Elapsed.Round(time.Millisecond), e.Err)
}

// Unwrap returns the last failure.
func (e *ExhaustedError) Unwrap() error { return e.Err }

// IsAmbiguous reports whether err says a write may or may not have been
// applied (an *AmbiguousError anywhere in its chain).
func IsAmbiguous(err error) bool {
	var ae *AmbiguousError
	return errors.As(err, &ae)
}

// apiError returns the *googleapi.Error in err's chain, or nil.
func apiError(err error) *googleapi.Error {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return ge
	}
	return nil
}

// StatusCode returns the HTTP status of the Google error in err's chain, or
// 0 when Google sent no response (a transport error) or err is nil.
func StatusCode(err error) int {
	if ge := apiError(err); ge != nil {
		return ge.Code
	}
	return 0
}

// Reason returns the first legacy reason string of the Google error in
// err's chain ("notFound", "rateLimitExceeded"...), or "".
func Reason(err error) string {
	if ge := apiError(err); ge != nil && len(ge.Errors) > 0 {
		return ge.Errors[0].Reason
	}
	return ""
}

// hasReason reports whether any reason of the Google error in err's chain
// is one of reasons.
func hasReason(err error, reasons ...string) bool {
	ge := apiError(err)
	if ge == nil {
		return false
	}
	for _, item := range ge.Errors {
		for _, r := range reasons {
			if item.Reason == r {
				return true
			}
		}
	}
	return false
}

// IsNotFound reports whether Google answered 404: an unknown spreadsheet,
// form, response, or a draft that was already sent or deleted.
func IsNotFound(err error) bool { return StatusCode(err) == http.StatusNotFound }

// IsRateLimited reports whether Google refused the call for quota: 429, or
// 403 with reason rateLimitExceeded or userRateLimitExceeded.
func IsRateLimited(err error) bool {
	switch StatusCode(err) {
	case http.StatusTooManyRequests:
		return true
	case http.StatusForbidden:
		return hasReason(err, ReasonRateLimitExceeded, ReasonUserRateLimitExceeded) || hasErrorInfo(err, "RATE_LIMIT_EXCEEDED")
	}
	return false
}

// hasErrorInfo reports whether the Google error in err's chain carries a
// google.rpc.ErrorInfo detail with reason (the newer error model, e.g.
// RATE_LIMIT_EXCEEDED on a quota refusal).
func hasErrorInfo(err error, reason string) bool {
	ge := apiError(err)
	if ge == nil {
		return false
	}
	for _, d := range ge.Details {
		m, ok := d.(map[string]any)
		if ok && m["@type"] == "type.googleapis.com/google.rpc.ErrorInfo" && m["reason"] == reason {
			return true
		}
	}
	return false
}

// IsUnauthorized reports whether Google refused the credentials (401): the
// token was revoked or expired beyond refresh; the operator must run
// `kopi auth` again.
func IsUnauthorized(err error) bool { return StatusCode(err) == http.StatusUnauthorized }

// IsForbidden reports a 403 that is not rate limiting: a missing scope or
// no access to the file.
func IsForbidden(err error) bool {
	return StatusCode(err) == http.StatusForbidden && !IsRateLimited(err)
}

// RetryAfter returns the delay the Retry-After header of the Google error
// in err's chain asks for, in delta-seconds or as an HTTP date relative to
// now. ok is false when there is no usable header.
func RetryAfter(err error, now time.Time) (d time.Duration, ok bool) {
	ge := apiError(err)
	if ge == nil || ge.Header == nil {
		return 0, false
	}
	return parseRetryAfter(ge.Header.Get("Retry-After"), now)
}

// maxRetryAfterSeconds bounds a parsed header; the Policy caps it further.
const maxRetryAfterSeconds = 24 * 60 * 60

func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		secs = min(secs, maxRetryAfterSeconds) // no Duration overflow
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(now)
	if d < 0 {
		d = 0
	}
	return d, true
}

// Permanent marks the error for consumers that branch on behaviour (the
// sync package may not import google): retrying cannot fix it.
func (e *PermanentError) Permanent() bool { return true }

// Ambiguous marks the error for consumers that branch on behaviour: the
// write may or may not have been applied.
func (e *AmbiguousError) Ambiguous() bool { return true }

// RateLimited reports whether the retry budget ran out on quota refusals
// (Gmail's daily sending limit among them), for consumers that stop
// sending until later.
func (e *ExhaustedError) RateLimited() bool { return IsRateLimited(e.Err) }

// Unreachable reports whether the budget ran out because Google could not
// be reached at all (see Policy.MaxUnreachable).
func (e *ExhaustedError) Unreachable() bool { return IsUnreachable(e.Err) }
