// Package fake is an in-memory Google Workspace — Forms v1, Sheets v4 and
// Gmail v1 — that the official Go clients talk to over real HTTP.
//
// kopi cannot reach Google from a test machine, so every test and the demo
// point the same generated clients the daemon uses in production at this
// server with option.WithEndpoint(srv.URL()+"/") and
// option.WithHTTPClient(srv.HTTPClient()). Routing, query parameters and
// request bodies are checked against the discovery documents that ship with
// google.golang.org/api, and errors use Google's JSON shape, so a request
// the real service would refuse is refused here too. A control surface
// under /_fake/ does what no public API does: submit form responses as a
// respondent, inject faults, count calls and read the sent mailbox.
package fake

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Server. The zero value listens on a random loopback
// port, uses the wall clock and lets developer metadata follow sorted rows.
type Options struct {
	// Addr is the listen address, e.g. "127.0.0.1:8085". Empty means a
	// random port on 127.0.0.1.
	Addr string
	// NoListener serves only through HTTPClient's in-memory transport:
	// no port is opened, URL returns a placeholder host.
	NoListener bool
	// Now is the server's clock (response and message timestamps).
	// Nil means time.Now.
	Now func() time.Time
	// Seed makes generated ids reproducible; zero picks a fixed default.
	Seed uint64
	// SortLeavesMetadata makes sortRange leave row metadata at its row
	// index instead of moving it with the row's data. Google documents
	// metadata moving with inserted and deleted rows, not with sorts; the
	// default (false) models the behaviour observed on real sheets.
	SortLeavesMetadata bool
	// DraftSendKeepsMessageID makes drafts.send give the sent email the
	// draft's message id. Google does not document whether the id
	// changes; the default (false) assigns a new one.
	DraftSendKeepsMessageID bool
	// SheetsQuota enforces the Sheets API's per-user quota: 60 read and
	// 60 write requests per minute (by the server clock), answering
	// 429 RESOURCE_EXHAUSTED with an ErrorInfo RATE_LIMIT_EXCEEDED
	// beyond it. Off by default.
	SheetsQuota bool
	// FormsFilterByCreateTime makes the responses.list filter
	// "timestamp > N" compare a response's createTime, so an edited
	// response does not show up again. Google documents "submitted after
	// N" without saying whether an edit counts; the default (false)
	// compares lastSubmittedTime.
	FormsFilterByCreateTime bool
	// DataFilterMissFails makes a write by data filter that matches
	// nothing fail with 400 INVALID_ARGUMENT, nothing applied:
	// values.batchUpdateByDataFilter and values.batchClearByDataFilter
	// when one of the request's filters matches no range (a
	// developer-metadata lookup whose row was deleted), and a
	// spreadsheets.batchUpdate whose deleteDeveloperMetadata or
	// updateDeveloperMetadata matches no metadata. Google documents what
	// happens when a filter matches several ranges ("the specified values
	// are applied to all of those ranges"), not when it matches none; the
	// default (false) applies the rest and answers 200 (no entry in the
	// values response for the filter that matched nothing, an empty
	// deletedDeveloperMetadata or developerMetadata reply).
	DataFilterMissFails bool
	// WorkspaceFormDefaults gives forms created through the API Google's
	// documented defaults for a Google Workspace account today: they
	// collect verified emails (respondents must sign in) and start
	// unpublished (forms created after 30 June 2026). The default
	// (false) keeps the older behaviour (no email, published).
	WorkspaceFormDefaults bool
	// Account is the authenticated user's email address ("me" in Gmail,
	// the owner of created files). Empty means "kopi@example.go.id".
	Account string
	// Latency delays every API call by this long before it is handled —
	// a timer wait, not CPU — so benchmarks see the round trips a real
	// Workspace costs. Zero means none.
	Latency time.Duration
}

// handler serves one discovery method. It runs with Server.mu held and
// returns the response message (JSON-encoded with status 200), one of the
// sentinel results below, or an error (*APIError for Google's error shape).
type handler func(c *call) (any, error)

// noContent answers 204 with an empty body (e.g. gmail drafts.delete).
type noContent struct{}

// call is one API request after routing and validation.
type call struct {
	id     string            // discovery method id
	r      *http.Request     //
	params map[string]string // path parameters, unescaped
	query  url.Values        //
	body   []byte            // JSON request body (upload metadata part for media uploads)
	media  []byte            // uploaded media, for media upload routes
	upload bool              // the request came through an /upload/ path
}

// decode unmarshals the (already schema-validated) body into v.
func (c *call) decode(v any) error {
	if len(c.body) == 0 {
		return nil
	}
	if err := json.Unmarshal(c.body, v); err != nil {
		return invalidArgument("Invalid JSON payload received. %s", jsonErrText(err))
	}
	return nil
}

// Server is the fake Workspace. Create it with New and stop it with Close.
type Server struct {
	opts     Options
	methods  map[string]*dMethod
	routes   []*route
	handlers map[string]handler
	control  *http.ServeMux

	// mu guards all API state; handlers run with it held. It counts the
	// spreadsheets' generation for reads, which it also guards
	// (readcache.go).
	mu     stateLock
	forms  formStore
	sheets sheetStore
	gmail  gmailStore
	reads  readCache

	// fmu guards faults, calls and the id generator, which are touched
	// before a handler takes mu.
	fmu    sync.Mutex
	faults []*Fault
	calls  map[string]int
	bytes  map[string]int64
	// maxReq is the largest request body per method (MaxRequestBytes).
	maxReq map[string]int64
	rng    *rand.Rand
	quota  quotaState // Options.SheetsQuota

	latency atomic.Int64 // Options.Latency, changed by SetLatency

	ln  net.Listener
	hs  *http.Server
	url string
}

// New starts a fake Workspace.
func New(opts Options) (*Server, error) {
	if opts.Account == "" {
		opts.Account = "kopi@example.go.id"
	}
	seed := opts.Seed
	if seed == 0 {
		seed = 0x6b6f7069 // "kopi"
	}
	s := &Server{
		opts:     opts,
		handlers: map[string]handler{},
		control:  http.NewServeMux(),
		calls:    map[string]int{},
		rng:      rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
	}
	s.latency.Store(int64(opts.Latency))
	s.methods, s.routes = discovery()
	s.registerControl()
	s.registerForms()
	s.registerSheets()
	s.registerGmail()

	if opts.NoListener {
		s.url = "http://workspace.fake.invalid"
		return s, nil
	}
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	s.ln = ln
	s.url = "http://" + ln.Addr().String()
	s.hs = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.hs.Serve(ln) }()
	return s, nil
}

// SetLatency changes Options.Latency, e.g. after a benchmark seeded the
// fake at full speed.
func (s *Server) SetLatency(d time.Duration) { s.latency.Store(int64(d)) }

// URL is the server's base URL without a trailing slash. Give the clients
// option.WithEndpoint(URL()+"/").
func (s *Server) URL() string { return s.url }

// HTTPClient returns a client for this server: a plain HTTP client when it
// listens, an in-memory transport when it was created with NoListener.
func (s *Server) HTTPClient() *http.Client {
	if s.ln == nil {
		return &http.Client{Transport: &memTransport{s: s}}
	}
	return &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
}

// Close stops the listener. In-memory state is dropped with the Server.
func (s *Server) Close() error {
	if s.hs == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return s.hs.Shutdown(ctx)
}

func (s *Server) now() time.Time {
	if s.opts.Now != nil {
		return s.opts.Now().UTC()
	}
	return time.Now().UTC()
}

// randomID returns n characters drawn from alphabet with the server's
// seeded generator.
func (s *Server) randomID(n int, alphabet string) string {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[s.rng.IntN(len(alphabet))]
	}
	return string(b)
}

const (
	alphaNum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	base64URL = alphaNum + "-_"
	hexDigits = "0123456789abcdef"
)

func (s *Server) handle(id string, h handler) {
	if _, ok := s.methods[id]; !ok {
		panic("fake: no discovery method " + id)
	}
	s.handlers[id] = h
}

// ServeHTTP routes a request by the discovery documents' paths.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_fake/") {
		s.control.ServeHTTP(w, r)
		return
	}
	if auth := r.Header.Get("Authorization"); auth != "" {
		if !strings.HasPrefix(auth, "Bearer ") || strings.TrimSpace(auth[len("Bearer "):]) == "" {
			writeError(w, newError(http.StatusUnauthorized, ""))
			return
		}
	}
	path := strings.TrimPrefix(r.URL.EscapedPath(), "/")
	var rt *route
	var m []string
	for _, cand := range s.routes {
		if cand.verb != r.Method {
			continue
		}
		if m = cand.re.FindStringSubmatch(path); m != nil {
			rt = cand
			break
		}
	}
	if rt == nil {
		writeError(w, notFound("The requested URL /%s was not found on this server.", path))
		return
	}
	id := rt.method.ID
	s.countCall(id)
	if d := time.Duration(s.latency.Load()); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if e := s.chargeQuota(rt.method); e != nil {
		writeError(w, e)
		return
	}
	fault := s.takeFault(id)
	if fault != nil && fault.DelayMs > 0 {
		t := time.NewTimer(time.Duration(fault.DelayMs) * time.Millisecond)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if fault != nil && fault.Status != 0 {
		if fault.RetryAfter != "" {
			w.Header().Set("Retry-After", fault.RetryAfter)
		}
		e := newError(fault.Status, "%s", fault.Message)
		if fault.Status == http.StatusTooManyRequests {
			e = rateLimitError(id, fault.Message)
		}
		if fault.Reason != "" {
			e.Reason = fault.Reason
		}
		writeError(w, e)
		return
	}

	c := &call{id: id, r: r, params: map[string]string{}, query: r.URL.Query(), upload: rt.upload}
	for i, name := range rt.names {
		v, err := url.PathUnescape(m[i+1])
		if err != nil {
			writeError(w, invalidArgument("Invalid path parameter %s", name))
			return
		}
		c.params[name] = v
	}
	if err := s.readBody(c); err != nil {
		writeAny(w, err)
		return
	}
	if err := rt.method.checkQuery(c.query); err != nil {
		writeError(w, err.(*APIError))
		return
	}
	if err := rt.method.validateBody(c.body); len(c.body) > 0 && err != nil {
		writeError(w, err.(*APIError))
		return
	}
	h := s.handlers[id]
	if h == nil {
		writeError(w, newError(http.StatusNotImplemented, "Method %s is not implemented by kopi's fake Workspace.", id))
		return
	}
	var res any
	var body []byte
	var err error
	if id == cachedRead {
		body, err = s.cachedBody(c, h)
	} else {
		if keepsSheets(id) {
			s.mu.lockKeepingSheets()
		} else {
			s.mu.Lock()
		}
		res, err = h(c)
		s.mu.Unlock()
	}
	if fault != nil && fault.DropAfterHandling {
		drop(w)
		return
	}
	if err != nil {
		writeAny(w, err)
		return
	}
	if _, ok := res.(noContent); ok {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if id != cachedRead {
		if body, err = encodeResponse(res, c.query.Get("fields")); err != nil {
			writeAny(w, err)
			return
		}
	}
	cw := &byteCounter{ResponseWriter: w}
	defer func() { s.countBytes(id, cw.n) }()
	if !acceptsGzip(r) {
		writeBody(cw, http.StatusOK, body)
		return
	}
	w.Header().Set("Content-Encoding", "gzip")
	gz := gzipWriters.Get().(*gzip.Writer)
	gz.Reset(cw)
	writeBody(gzipWriter{ResponseWriter: cw, w: gz}, http.StatusOK, body)
	_ = gz.Close()
	gz.Reset(nil)
	gzipWriters.Put(gz)
}

// gzipWriters are the gzip compressors of responses, reused: a new one
// allocates about 800 KB of compression state, more than most bodies.
var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

// acceptsGzip says whether a response goes gzip-compressed, as Google
// documents it: "In order to receive a gzip-encoded response you must do
// two things: Set an Accept-Encoding header, and modify your user agent
// to contain the string gzip" (Sheets API, Improve performance).
func acceptsGzip(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") && strings.Contains(r.UserAgent(), "gzip")
}

// gzipWriter writes a response body through gzip; the byteCounter
// under it counts the compressed bytes, what goes on the wire.
type gzipWriter struct {
	http.ResponseWriter
	w *gzip.Writer
}

func (g gzipWriter) Write(p []byte) (int, error) { return g.w.Write(p) }

func writeAny(w http.ResponseWriter, err error) {
	if e, ok := err.(*APIError); ok {
		writeError(w, e)
		return
	}
	writeError(w, newError(http.StatusInternalServerError, "%v", err))
}

// readBody reads the JSON body, or for media uploads the metadata and the
// media (uploadType=multipart as multipart/related, or uploadType=media).
func (s *Server) readBody(c *call) error {
	var raw []byte
	var err error
	if n := c.r.ContentLength; n > 0 && n <= 64<<20 {
		// one allocation at the announced size, not a doubling buffer
		// (a commit is megabytes); a body shorter than announced fails
		// as a short read does.
		raw = make([]byte, n)
		_, err = io.ReadFull(c.r.Body, raw)
	} else {
		raw, err = io.ReadAll(io.LimitReader(c.r.Body, 64<<20))
	}
	if err != nil {
		return invalidArgument("read request body: %v", err)
	}
	s.countRequest(c.id, int64(len(raw)))
	if !c.upload {
		c.body = raw
		return nil
	}
	c.query.Del("uploadType")
	switch ut := c.r.URL.Query().Get("uploadType"); ut {
	case "media":
		c.media = raw
	case "multipart":
		meta, media, err := splitMultipartRelated(c.r.Header.Get("Content-Type"), raw)
		if err != nil {
			return invalidArgument("Bad multipart upload: %v", err)
		}
		c.body, c.media = meta, media
	case "resumable":
		return newError(http.StatusNotImplemented, "Resumable uploads are not implemented by kopi's fake Workspace.")
	default:
		return invalidArgument("Invalid upload type %q", ut)
	}
	return nil
}

// drop simulates a connection lost after the request was applied: the
// caller cannot tell whether its write happened.
func drop(w http.ResponseWriter) {
	if d, ok := w.(interface{ dropConnection() }); ok {
		d.dropConnection()
		return
	}
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// byteCounter counts the bytes of a response body.
type byteCounter struct {
	http.ResponseWriter
	n int64
}

func (b *byteCounter) Write(p []byte) (int, error) {
	n, err := b.ResponseWriter.Write(p)
	b.n += int64(n)
	return n, err
}
