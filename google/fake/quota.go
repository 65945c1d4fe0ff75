package fake

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Google's Sheets usage limits: "Read requests per minute per user 60"
// and "Write requests per minute per user 60"; a request over them is
// answered 429 RESOURCE_EXHAUSTED, and the quota refills every minute.
const (
	sheetsReadsPerMinute  = 60
	sheetsWritesPerMinute = 60
)

// quotaState counts this minute's Sheets requests (Options.SheetsQuota).
type quotaState struct {
	minute        time.Time
	reads, writes int
	refused       int // every refusal since the server started
}

// QuotaRefusals is how many calls Options.SheetsQuota refused.
func (s *Server) QuotaRefusals() int {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return s.quota.refused
}

// isSheetsRead tells Sheets reads from writes by method id: get,
// values.get, values.batchGet and the getByDataFilter variants read.
func isSheetsRead(id string) bool {
	last := id[strings.LastIndexByte(id, '.')+1:]
	return strings.HasPrefix(last, "get") || strings.HasPrefix(last, "batchGet")
}

// chargeQuota counts a call against the per-minute quota and returns the
// 429 Google would answer when it is spent.
func (s *Server) chargeQuota(m *dMethod) *APIError {
	if !s.opts.SheetsQuota || !strings.HasPrefix(m.ID, "sheets.") {
		return nil
	}
	s.fmu.Lock()
	defer s.fmu.Unlock()
	now := s.now().Truncate(time.Minute)
	if !now.Equal(s.quota.minute) {
		s.quota = quotaState{minute: now, refused: s.quota.refused}
	}
	over := false
	if isSheetsRead(m.ID) {
		s.quota.reads++
		over = s.quota.reads > sheetsReadsPerMinute
	} else {
		s.quota.writes++
		over = s.quota.writes > sheetsWritesPerMinute
	}
	if over {
		s.quota.refused++
		return rateLimitError(m.ID, "")
	}
	return nil
}

// rateLimitError is Google's 429 for a method: RESOURCE_EXHAUSTED, the
// legacy reason rateLimitExceeded and a google.rpc.ErrorInfo detail with
// reason RATE_LIMIT_EXCEEDED naming the quota, as the front ends send.
func rateLimitError(methodID, message string) *APIError {
	service, _, _ := strings.Cut(methodID, ".")
	host := service + ".googleapis.com"
	metric, limit, label := "requests", "RequestsPerMinutePerUser", "Requests"
	if service == "sheets" {
		metric, limit, label = "write_requests", "WriteRequestsPerMinutePerUser", "Write requests"
		if isSheetsRead(methodID) {
			metric, limit, label = "read_requests", "ReadRequestsPerMinutePerUser", "Read requests"
		}
	}
	if message == "" {
		message = fmt.Sprintf("Quota exceeded for quota metric '%s' and limit '%s per minute per user' of service '%s' for consumer 'project_number:0'.", label, label, host)
	}
	e := newError(http.StatusTooManyRequests, "%s", message)
	e.Details = []any{map[string]any{
		"@type":  "type.googleapis.com/google.rpc.ErrorInfo",
		"reason": "RATE_LIMIT_EXCEEDED",
		"domain": "googleapis.com",
		"metadata": map[string]string{
			"service":      host,
			"quota_metric": host + "/" + metric,
			"quota_limit":  limit,
			"consumer":     "projects/0",
		},
	}}
	return e
}
