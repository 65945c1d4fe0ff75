package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"kopi/rules"
)

// lockedBuffer is a bytes.Buffer safe for the demo goroutine and the test.
type lockedBuffer struct {
	mu gosync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startDemoWeb runs `kopi demo --web --fresh` until the test ends and
// returns the web view's URL and the demo's Workspace.
func startDemoWeb(t *testing.T) (string, *demoRun, *lockedBuffer) {
	t.Helper()
	type serving struct {
		url string
		d   *demoRun
	}
	ch := make(chan serving, 1)
	ctx, cancel := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		env := &environment{stdout: out, stderr: out, demoWebServing: func(url string, d *demoRun) { ch <- serving{url, d} }}
		done <- dispatch(ctx, env, []string{"demo", "--web", "--fresh", "--web-addr", "127.0.0.1:0"})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("demo --web: %v\n%s", err, out)
		}
	})
	select {
	case s := <-ch:
		return s.url, s.d, out
	case err := <-done:
		t.Fatalf("demo --web stopped before serving: %v\n%s", err, out)
	case <-time.After(30 * time.Second):
		t.Fatalf("demo --web did not serve within 30 s:\n%s", out)
	}
	return "", nil, nil
}

// TestDemoWebFreshServesAndAdvances drives the view over plain HTTP: the
// form is answered through the page, a clock step runs a cycle, and the
// row is in the Sheet view; a non-loopback address is refused.
func TestDemoWebFreshServesAndAdvances(t *testing.T) {
	t.Parallel()
	base, d, out := startDemoWeb(t)
	if !strings.Contains(out.String(), "Tampilan web Workspace tiruan: "+base) {
		t.Errorf("the demo does not print the view's URL in Indonesian:\n%s", out)
	}
	if strings.Contains(out.String(), "== 2.") {
		t.Error("--fresh must not play the scripted days")
	}
	q := d.ws.Questions
	form := url.Values{}
	for f, v := range map[rules.Field]string{
		rules.FieldNama: "Rina Marlina", rules.FieldInstansi: "BPKAD", rules.FieldEmail: "rina@bpkad.example.go.id",
		rules.FieldWhatsApp: "0811-2233-4455", rules.FieldTopik: rules.TopicReviu, rules.FieldPertanyaan: "Kapan reviu LKPD?",
	} {
		form.Set("q."+q[f], v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, v url.Values) string {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, base+strings.TrimPrefix(path, "/"), strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s: %s", path, res.Status)
		}
		return res.Header.Get("Location")
	}
	post("/formulir/"+d.cfg.Intake.FormID, form)
	before := d.clk.Now()
	post("/jam", url.Values{"langkah": {"siklus"}, "kembali": {"/lembar"}})
	if got := d.clk.Now().Sub(before); got != demoEvery {
		t.Errorf("one cycle moved the clock %v, want %v", got, demoEvery)
	}
	res, err := http.Get(base + "lembar")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), "KOPI-2026-0001") || !strings.Contains(string(body), "kasus baru") {
		t.Errorf("after one cycle the Sheet view lacks the new row or the cycle log")
	}
	// The demo starts before Monday's opening; the next openings are
	// Monday 08:00 and then Tuesday 08:00, each with its daily digest.
	for _, want := range []struct{ day, digest string }{
		{"2026-03-02 08:00", "Ringkasan harian KOPI: Senin, 2 Maret 2026"},
		{"2026-03-03 08:00", "Ringkasan harian KOPI: Selasa, 3 Maret 2026"},
	} {
		post("/jam", url.Values{"langkah": {"buka"}})
		if now := d.clk.Now().In(d.cfg.Location()); now.Format("2006-01-02 15:04") != want.day {
			t.Errorf("to the next opening: clock at %v, want %s", now, want.day)
		}
		digests := 0
		for _, m := range d.srv.Sent("me") {
			if strings.Contains(m.Subject, want.digest) {
				digests++
			}
		}
		if digests != 1 {
			t.Errorf("digests %q sent = %d, want 1", want.digest, digests)
		}
	}
}

func TestDemoWebRefusesNonLoopback(t *testing.T) {
	r := kopi(t, "demo", "--web", "--web-addr", "0.0.0.0:8086")
	if r.err == nil || !strings.Contains(r.err.Error(), "harus loopback") {
		t.Errorf("demo --web on 0.0.0.0: %v, want the loopback refusal", r.err)
	}
	r = kopi(t, "demo", "--fresh")
	if r.err == nil || !strings.Contains(r.err.Error(), "--fresh hanya berlaku bersama --web") {
		t.Errorf("demo --fresh alone: %v", r.err)
	}
}

// TestFakeWorkspaceUI serves a standalone fake with its web view: the
// fake's URL line comes first (scripts wait for it), then the view's,
// and the view shows what a client put into the fake.
func TestFakeWorkspaceUI(t *testing.T) {
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- dispatch(ctx, &environment{stdout: pw, stderr: io.Discard}, []string{
			"fake-workspace", "--addr", "127.0.0.1:0", "--ui", "--ui-addr", "127.0.0.1:0", "--account", "kantor@example.go.id",
		})
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		// Keep reading, so a failed check cannot leave the command
		// blocked on a line nobody reads.
		go func() { _, _ = io.Copy(io.Discard, pr) }()
		if err := <-done; err != nil {
			t.Errorf("fake-workspace --ui: %v", err)
		}
	})
	lines := bufio.NewScanner(pr)
	next := func() string {
		t.Helper()
		if !lines.Scan() {
			t.Fatalf("fake-workspace --ui stopped printing: %v", lines.Err())
		}
		return lines.Text()
	}
	if l := next(); !strings.HasPrefix(l, "Workspace tiruan siap di http://127.0.0.1:") {
		t.Fatalf("first line %q, want the fake's URL", l)
	}
	l := next()
	const prefix = "Tampilan web Workspace tiruan: "
	if !strings.HasPrefix(l, prefix) {
		t.Fatalf("second line %q, want the view's URL", l)
	}
	view := strings.Fields(strings.TrimPrefix(l, prefix))[0]
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	res, err := http.Get(view + "surel")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "kantor@example.go.id (akun kantor)") {
		t.Errorf("GET /surel: %s, want the account's mailbox", res.Status)
	}
	if strings.Contains(string(body), `id="jam-siklus"`) {
		t.Error("a standalone fake has no simulated clock to advance")
	}
}
