package fake

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
)

// A tracker read renders the spreadsheet's grid, prunes it to the field
// mask and encodes it: most of what a test of many idle cycles spends in
// the fake, reading a spreadsheet nobody changed since the last cycle.
// spreadsheets.get therefore keeps the body it encoded, keyed by the
// exact request path and query (spreadsheet, ranges, includeGridData,
// fields) and by the generation of the spreadsheets it rendered, and
// answers the same read of the same generation with the same bytes.
//
// The generation is counted where no change can slip past it: in the
// lock that guards all API state. Every Lock counts one, because whoever
// takes it may change a spreadsheet — a handler, a test helper
// (SetValues, SeedSpreadsheet), the control surface, Clone. Only callers
// that cannot change a spreadsheet take it with lockKeepingSheets: the
// cached read itself, the Forms and Gmail code — their handlers and
// helpers such as Sent and SubmitResponse — whose files touch no
// spreadsheet (TestFormsAndGmailTouchNoSpreadsheet keeps it so), and the
// read-only sheet helpers of sheets_peek.go such as SpreadsheetValues
// (TestSheetsPeekOnlyReads keeps them to reading). A new
// path that takes the lock the ordinary way can only make the cache
// miss, never serve a stale body.
//
// Everything else a response depends on stays per call: the quota and
// the faults are decided before the cache is consulted, a fault that
// drops the answer drops a cached one too, and gzip compresses the
// cached (uncompressed) body per response. Errors are not cached.

// stateLock is the mutex that guards API state, with the generation of
// the spreadsheets it guards.
type stateLock struct {
	sync.Mutex
	sheetsGen uint64
}

// Lock takes the lock for a caller that may change a spreadsheet.
func (l *stateLock) Lock() {
	l.Mutex.Lock()
	l.sheetsGen++
}

// lockKeepingSheets takes the lock for a caller that changes no
// spreadsheet.
func (l *stateLock) lockKeepingSheets() { l.Mutex.Lock() }

// keepsSheets says whether the API method id runs under
// lockKeepingSheets: the cached read, and the Forms and Gmail methods.
func keepsSheets(id string) bool {
	return id == cachedRead || strings.HasPrefix(id, "forms.") || strings.HasPrefix(id, "gmail.")
}

// cachedRead is the method whose bodies are cached.
const cachedRead = "sheets.spreadsheets.get"

// readCacheMax bounds the bodies kept for one generation (a cycle reads
// a handful of distinct ranges).
const readCacheMax = 16

// checkReadCache makes every cache hit render the body again and panic
// if the two differ. The fake's own tests turn it on.
var checkReadCache = false

// readCache holds the bodies encoded at one generation; it is guarded
// by Server.mu and, not being part of the copied state, starts empty in
// a Clone.
type readCache struct {
	gen    uint64
	bodies map[string][]byte
	hits   int
}

// cachedBody answers a spreadsheets.get call from the cache or by
// running h and encoding its response.
func (s *Server) cachedBody(c *call, h handler) ([]byte, error) {
	s.mu.lockKeepingSheets()
	defer s.mu.Unlock()
	key := c.r.URL.EscapedPath() + "?" + c.r.URL.RawQuery
	rc := &s.reads
	if rc.gen == s.mu.sheetsGen {
		if b, ok := rc.bodies[key]; ok {
			rc.hits++
			if checkReadCache {
				fresh, err := s.renderBody(c, h)
				if err != nil || !bytes.Equal(fresh, b) {
					panic("fake: stale read cache for " + key)
				}
			}
			return b, nil
		}
	}
	b, err := s.renderBody(c, h)
	if err != nil || b == nil {
		return b, err
	}
	if rc.bodies == nil || rc.gen != s.mu.sheetsGen || len(rc.bodies) >= readCacheMax {
		rc.gen, rc.bodies = s.mu.sheetsGen, map[string][]byte{}
	}
	rc.bodies[key] = b
	return b, nil
}

// renderBody runs h and encodes its response as ServeHTTP does.
func (s *Server) renderBody(c *call, h handler) ([]byte, error) {
	res, err := h(c)
	if err != nil {
		return nil, err
	}
	return encodeResponse(res, c.query.Get("fields"))
}

// encodeResponse is a response's body: trimmed to fields when given,
// encoded as writeJSON does. An encoding failure gives a nil body (and,
// as before, an empty 200), not an error.
func encodeResponse(v any, fields string) ([]byte, error) {
	if fields != "" {
		trimmed, err := trimToFields(v, fields)
		if err != nil {
			return nil, err
		}
		// copyJSON's output is compact: the encoder would copy it
		// unchanged and add the newline.
		return append(trimmed.(json.RawMessage), '\n'), nil
	}
	if b, ok := v.(compactJSON); ok {
		// The encoder would copy it unchanged and add the newline.
		return append(b, '\n'), nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, nil
	}
	return buf.Bytes(), nil
}

// readCacheHits is how many spreadsheets.get calls were answered from
// the cache.
func (s *Server) readCacheHits() int {
	s.mu.lockKeepingSheets()
	defer s.mu.Unlock()
	return s.reads.hits
}
