package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"kopi/google/fake"
)

//go:embed assets
var assets embed.FS

// Step is how far the page asks the demo to move its simulated clock.
type Step string

// The steps the page offers.
const (
	// StepCycle is one daemon cycle later.
	StepCycle Step = "siklus"
	// StepHour is one hour later, with every cycle in between.
	StepHour Step = "jam"
	// StepOpening is the office's next opening, with the cycles the demo
	// runs until then.
	StepOpening Step = "buka"
)

// stepLabels are the buttons' texts, in the order they are shown.
var stepLabels = []struct {
	Step  Step
	Label string
}{
	{StepCycle, msgStepCycle},
	{StepHour, msgStepHour},
	{StepOpening, msgStepOpening},
}

// Options configure the view.
type Options struct {
	// Now is the simulated clock shown in the page header; nil hides it.
	Now func() time.Time
	// Location is the office's time zone for dates; nil means UTC.
	Location *time.Location
	// Advance moves the demo's simulated clock by a step, running the
	// daemon's cycles on the way, and returns one line per cycle that did
	// something, in Indonesian, each naming its time. Nil hides the clock
	// buttons.
	Advance func(ctx context.Context, step Step) ([]string, error)
	// PollInterval is how often a page asks whether its content changed;
	// zero means two seconds.
	PollInterval time.Duration
}

// Handler serves the view. Create it with New.
type Handler struct {
	srv   *fake.Server
	opts  Options
	mux   *http.ServeMux
	pages map[string]*template.Template

	// mu guards the clock log and serialises clock steps.
	mu  sync.Mutex
	log []string
}

// maxLog is how many lines of the clock log the header keeps.
const maxLog = 12

// New returns the view of srv's state.
func New(srv *fake.Server, opts Options) *Handler {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = 2 * time.Second
	}
	h := &Handler{srv: srv, opts: opts, mux: http.NewServeMux(), pages: map[string]*template.Template{}}
	base := template.Must(template.New("layout.html").Funcs(template.FuncMap{
		"waktu": h.formatTime,
	}).ParseFS(assets, "assets/layout.html"))
	for _, name := range []string{"forms", "sheets", "gmail"} {
		h.pages[name] = template.Must(template.Must(base.Clone()).ParseFS(assets, "assets/"+name+".html"))
	}
	static, err := fs.Sub(assets, "assets/static")
	if err != nil {
		panic(err)
	}
	h.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	h.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/formulir", http.StatusSeeOther)
	})
	h.mux.HandleFunc("GET /formulir", h.formsPage)
	h.mux.HandleFunc("POST /formulir/{formId}", h.formSubmit)
	h.mux.HandleFunc("GET /lembar", h.sheetsPage)
	h.mux.HandleFunc("GET /lembar/{spreadsheetId}/sel", h.cellGet)
	h.mux.HandleFunc("POST /lembar/{spreadsheetId}/sel", h.cellPost)
	h.mux.HandleFunc("GET /surel", h.gmailPage)
	h.mux.HandleFunc("POST /jam", h.clockPost)
	return h
}

// ServeHTTP serves the view with a content security policy that allows
// only the view's own script and style: form text, cell text and email
// bodies are hostile input, and none of it may run.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if r.Method == http.MethodPost && !sameOrigin(r) {
		http.Error(w, msgCrossSite, http.StatusForbidden)
		return
	}
	h.mux.ServeHTTP(w, r)
}

// sameOrigin refuses cross-site form posts: the view listens on loopback,
// and any page the user opens could otherwise post to it.
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || origin == "null" {
		return r.Header.Get("Sec-Fetch-Site") != "cross-site"
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}

// page is what the layout renders around a view's content.
type page struct {
	Title  string
	Nav    string
	Now    time.Time
	HasNow bool
	Steps  any
	Log    []string
	Back   string
	Live   bool
	Poll   int64 // milliseconds
	Flash  string
	Error  string
	Data   any
}

// fragmentHeader asks for the live region only (the poller's request).
const fragmentHeader = "X-Kopi-Bagian"

// render writes a page, or only its live region when the poller asks.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, name string, p *page) {
	p.Back = r.URL.RequestURI()
	if h.opts.Now != nil {
		p.Now, p.HasNow = h.opts.Now(), true
	}
	if h.opts.Advance != nil {
		p.Steps = stepLabels
	}
	h.mu.Lock()
	p.Log = append([]string(nil), h.log...)
	h.mu.Unlock()
	p.Poll = h.opts.PollInterval.Milliseconds()
	t := h.pages[name]
	var live bytes.Buffer
	if err := t.ExecuteTemplate(&live, "hidup", p); err != nil {
		http.Error(w, msgRenderFailed+err.Error(), http.StatusInternalServerError)
		return
	}
	sum := sha256.Sum256(live.Bytes())
	version := hex.EncodeToString(sum[:8])
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Kopi-Versi", version)
	if r.Header.Get(fragmentHeader) != "" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(live.Bytes())
		return
	}
	var out bytes.Buffer
	if err := t.ExecuteTemplate(&out, "layout.html", struct {
		*page
		Version string
		Live    template.HTML
	}{p, version, template.HTML(live.String())}); err != nil {
		http.Error(w, msgRenderFailed+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(out.Bytes())
}

// clockPost advances the simulated clock by the step the button names.
func (h *Handler) clockPost(w http.ResponseWriter, r *http.Request) {
	if h.opts.Advance == nil {
		http.Error(w, msgNoClock, http.StatusNotFound)
		return
	}
	step := Step(r.FormValue("langkah"))
	known := false
	for _, s := range stepLabels {
		known = known || s.Step == step
	}
	if !known {
		http.Error(w, fmt.Sprintf(msgUnknownStep, step), http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	lines, err := h.opts.Advance(r.Context(), step)
	if err != nil {
		lines = append(lines, msgStepFailed+err.Error())
	}
	if len(lines) == 0 {
		lines = []string{msgNoChange}
	}
	h.log = append(h.log, lines...)
	if len(h.log) > maxLog {
		h.log = h.log[len(h.log)-maxLog:]
	}
	h.mu.Unlock()
	http.Redirect(w, r, localPath(r.FormValue("kembali"), "/lembar"), http.StatusSeeOther)
}

// localPath returns p when it is a path on this server, else def: a
// redirect target from a form must not lead elsewhere.
func localPath(p, def string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return def
	}
	return p
}

var (
	dayNames   = [...]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}
	monthNames = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}
)

// formatTime is a time in the office's zone, the Indonesian way:
// "Senin, 2 Maret 2026 07:45 WIB".
func (h *Handler) formatTime(t time.Time) string {
	t = t.In(h.opts.Location)
	return fmt.Sprintf("%s, %d %s %d %s", dayNames[t.Weekday()], t.Day(), monthNames[t.Month()-1], t.Year(), t.Format("15:04 MST"))
}
