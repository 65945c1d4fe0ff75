package fake

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// APIError is an error in Google's JSON error shape. Handlers return it;
// the dispatcher writes it as {"error":{"code","message","status","errors"}}.
type APIError struct {
	Code    int
	Message string
	Status  string // canonical google.rpc.Code name, e.g. INVALID_ARGUMENT
	Reason  string // legacy reason string, e.g. badRequest, rateLimitExceeded
	// Details are google.rpc error details (e.g. an ErrorInfo), each
	// with its "@type".
	Details []any
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Code, e.Status, e.Message)
}

// statusNames maps HTTP codes to the canonical status and the legacy reason
// Google's front ends report with them.
var statusNames = map[int][2]string{
	400: {"INVALID_ARGUMENT", "badRequest"},
	401: {"UNAUTHENTICATED", "authError"},
	403: {"PERMISSION_DENIED", "forbidden"},
	404: {"NOT_FOUND", "notFound"},
	409: {"ABORTED", "conflict"},
	412: {"FAILED_PRECONDITION", "failedPrecondition"},
	413: {"INVALID_ARGUMENT", "uploadTooLarge"},
	429: {"RESOURCE_EXHAUSTED", "rateLimitExceeded"},
	499: {"CANCELLED", "cancelled"},
	500: {"INTERNAL", "backendError"},
	501: {"UNIMPLEMENTED", "notImplemented"},
	502: {"UNAVAILABLE", "badGateway"},
	503: {"UNAVAILABLE", "backendError"},
	504: {"DEADLINE_EXCEEDED", "deadlineExceeded"},
}

var defaultMessages = map[int]string{
	401: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
	403: "The caller does not have permission",
	429: "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user' of service.",
	500: "Internal error encountered.",
	502: "Bad Gateway",
	503: "The service is currently unavailable.",
	504: "The request timed out. Please try again.",
}

// newError builds an APIError for an HTTP code with Google's status name.
func newError(code int, format string, args ...any) *APIError {
	names, ok := statusNames[code]
	if !ok {
		names = [2]string{"UNKNOWN", "unknown"}
	}
	msg := fmt.Sprintf(format, args...)
	if msg == "" {
		msg = defaultMessages[code]
	}
	return &APIError{Code: code, Message: msg, Status: names[0], Reason: names[1]}
}

func invalidArgument(format string, args ...any) *APIError {
	return newError(http.StatusBadRequest, format, args...)
}

func notFound(format string, args ...any) *APIError {
	return newError(http.StatusNotFound, format, args...)
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    int           `json:"code"`
	Message string        `json:"message"`
	Errors  []errorReason `json:"errors,omitempty"`
	Status  string        `json:"status"`
	Details []any         `json:"details,omitempty"`
}

type errorReason struct {
	Message string `json:"message"`
	Domain  string `json:"domain"`
	Reason  string `json:"reason"`
}

func writeError(w http.ResponseWriter, e *APIError) {
	body := errorBody{Error: errorDetail{
		Code:    e.Code,
		Message: e.Message,
		Errors:  []errorReason{{Message: e.Message, Domain: "global", Reason: e.Reason}},
		Status:  e.Status,
		Details: e.Details,
	}}
	writeJSON(w, e.Code, body)
}

// writeBody writes an encoded JSON body (encodeResponse).
func writeBody(w http.ResponseWriter, code int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	if len(body) > 0 {
		_, _ = w.Write(body)
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
