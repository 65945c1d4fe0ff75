package fake

import (
	"encoding/json"
	"maps"
	"net/http"
)

// Fault makes the next Times calls of Method fail, stall or lose their
// response. Method is a discovery method id such as
// "sheets.spreadsheets.values.batchGet", or "*" for every method.
type Fault struct {
	Method string `json:"method"`
	// Status, when non-zero, answers with Google's error body for that
	// HTTP status instead of handling the call.
	Status int `json:"status,omitempty"`
	// Reason overrides the legacy reason string (e.g. userRateLimitExceeded).
	Reason string `json:"reason,omitempty"`
	// Message overrides the error message.
	Message string `json:"message,omitempty"`
	// RetryAfter is sent as the Retry-After header with Status.
	RetryAfter string `json:"retryAfter,omitempty"`
	// DelayMs delays the call (before handling) by this many milliseconds.
	DelayMs int `json:"delayMs,omitempty"`
	// Times is how many matching calls the fault affects: 0 means 1, a
	// negative number means every call until the faults are cleared.
	Times int `json:"times,omitempty"`
	// DropAfterHandling applies the call and then closes the connection
	// without a response.
	DropAfterHandling bool `json:"dropAfterHandling,omitempty"`
}

// AddFault queues a fault. Faults match in the order they were added.
func (s *Server) AddFault(f Fault) error {
	if f.Method == "" {
		return invalidArgument("fault: method is required (a discovery method id or \"*\")")
	}
	if f.Method != "*" {
		if _, ok := s.methods[f.Method]; !ok {
			return invalidArgument("fault: unknown method %q", f.Method)
		}
	}
	if f.Status != 0 && (f.Status < 400 || f.Status > 599) {
		return invalidArgument("fault: status %d is not an HTTP error status", f.Status)
	}
	if f.Times == 0 {
		f.Times = 1
	}
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.faults = append(s.faults, &f)
	return nil
}

// ClearFaults removes every queued fault.
func (s *Server) ClearFaults() {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.faults = nil
}

// takeFault consumes one use of the first fault matching method id.
func (s *Server) takeFault(id string) *Fault {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	for i, f := range s.faults {
		if f.Method != "*" && f.Method != id {
			continue
		}
		taken := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &taken
	}
	return nil
}

func (s *Server) countCall(id string) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.calls[id]++
}

// countBytes adds a successful response's body size to its method.
func (s *Server) countBytes(id string, n int64) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	if s.bytes == nil {
		s.bytes = map[string]int64{}
	}
	s.bytes[id] += n
}

// countRequest notes a request body's size for its method.
func (s *Server) countRequest(id string, n int64) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	if s.maxReq == nil {
		s.maxReq = map[string]int64{}
	}
	s.maxReq[id] = max(s.maxReq[id], n)
}

// MaxRequestBytes returns the largest request body received per
// discovery method id since the server started or since ResetCalls (the
// body as sent, before any media split): what the client uploaded in one
// call. Google recommends at most 2 MB per Sheets request.
func (s *Server) MaxRequestBytes() map[string]int64 {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return maps.Clone(s.maxReq)
}

// Bytes returns the response body bytes served per discovery method id
// (successful calls) since the server started or since ResetCalls: what
// a client downloaded (gzip-compressed when the client asked for it, see
// acceptsGzip).
func (s *Server) Bytes() map[string]int64 {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return maps.Clone(s.bytes)
}

// Calls returns the number of calls per discovery method id since the
// server started or since ResetCalls. Calls answered by a fault count.
func (s *Server) Calls() map[string]int {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return maps.Clone(s.calls)
}

// TotalCalls is the sum of Calls.
func (s *Server) TotalCalls() int {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	n := 0
	for _, c := range s.calls {
		n += c
	}
	return n
}

// ResetCalls zeroes the call and byte counters.
func (s *Server) ResetCalls() {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.calls = map[string]int{}
	s.bytes = nil
	s.maxReq = nil
}

func (s *Server) registerControl() {
	s.control.HandleFunc("POST /_fake/faults", func(w http.ResponseWriter, r *http.Request) {
		var f Fault
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			writeError(w, invalidArgument("fault: %s", jsonErrText(err)))
			return
		}
		if err := s.AddFault(f); err != nil {
			writeAny(w, err)
			return
		}
		writeJSON(w, http.StatusOK, f)
	})
	s.control.HandleFunc("DELETE /_fake/faults", func(w http.ResponseWriter, r *http.Request) {
		s.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	})
	s.control.HandleFunc("GET /_fake/faults", func(w http.ResponseWriter, r *http.Request) {
		s.fmu.Lock()
		list := make([]Fault, 0, len(s.faults))
		for _, f := range s.faults {
			list = append(list, *f)
		}
		s.fmu.Unlock()
		writeJSON(w, http.StatusOK, list)
	})
	s.control.HandleFunc("GET /_fake/calls", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Calls())
	})
	s.control.HandleFunc("DELETE /_fake/calls", func(w http.ResponseWriter, r *http.Request) {
		s.ResetCalls()
		w.WriteHeader(http.StatusNoContent)
	})
}

// decodeControl decodes a control-surface JSON body strictly.
func decodeControl(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return invalidArgument("%s", jsonErrText(err))
	}
	return nil
}
