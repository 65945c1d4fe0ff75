package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kopi/rules"
)

// chromiumPath finds a headless-capable Chromium. Without one the browser
// test is skipped on a developer's machine, but fails in CI (CI=true),
// where .ci/run installs Debian's chromium package.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found, and CI=true: the status page must be checked in a browser in CI (apt-get install -y chromium)")
	}
	t.Skip("chromium not installed (Debian: apt-get install chromium); the status page browser test is skipped outside CI")
	return ""
}

// browser starts a headless Chromium for the test and returns its
// context.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox, // containers and CI run as root; the pages are the test's own
		chromedp.DisableGPU,
		chromedp.WindowSize(1200, 1600),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// inkRatio is the share of pixels that are not (near) white: a blank or
// error-less empty page is close to 0.
func inkRatio(img image.Image) float64 {
	b := img.Bounds()
	ink := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xE000 || g < 0xE000 || bl < 0xE000 {
				ink++
			}
		}
	}
	return float64(ink) / float64(b.Dx()*b.Dy())
}

// TestStatusPageInBrowser: half an office hour of `kopi run` against the
// fake with one complete and one incomplete request; the status page, as
// Chromium renders it, shows the cases by status, the cycles, the next
// run and the claim in Indonesian and in WIB, and its spreadsheet link
// opens the fake's tab.
func TestStatusPageInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, wib)
	clk := &testClock{t: start, end: start.Add(30 * time.Minute), reached: make(chan struct{})}
	o := simOffice(t, clk)
	o.submit(t, seeded)
	incomplete := map[string]string{}
	for k, v := range seeded {
		incomplete[k] = v
	}
	incomplete[rules.DefaultQuestionTitles.Email] = "bukan-alamat-email"
	o.submit(t, incomplete)

	d := startDaemon(t, o, clk, "server-kantor", nil)
	addr, err := d.started(t)
	if err != nil {
		t.Fatalf("kopi run: %v\n%s", err, d.logs)
	}
	<-clk.reached

	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+addr+"/"), chromedp.WaitVisible("#siklus")); err != nil {
		t.Fatalf("render the status page: %v", err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text("body"))
	if err != nil {
		t.Fatalf("read the status page: %v", err)
	}
	link, err := chromedp.Run(ctx, chromedp.AttributeValue("#tautan-spreadsheet", "href"))
	if err != nil || !link.Exists {
		t.Fatalf("status page has no spreadsheet link: %v", err)
	}
	href := link.Value
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if dir := os.Getenv("KOPI_SCREENSHOT_DIR"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "status.png"), shot, 0o644)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if r := inkRatio(img); r < 0.02 {
		t.Errorf("screenshot is nearly blank: %.1f%% ink", 100*r)
	}
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{
		"Sehat", "Kasus di spreadsheet pelacakan",
		"Terbuka 2", "Kurang lengkap 1", "Menunggu persetujuan 0", "Lewat tenggat 0",
		"Ditugaskan 1", "Kurang Lengkap 1",
		"Pengiriman email", "Siklus terakhir", "berhasil",
		"Siklus berikutnya 2026-03-02", "WIB (+07:00)",
		"instans", "di komputer server-kantor", "Buka spreadsheet pelacakan",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("status page lacks %q:\n%s", want, flat)
		}
	}
	for _, english := range []string{"Status: ok", "Last ", "Next ", "failed", "UTC", "default"} {
		if strings.Contains(flat, english) {
			t.Errorf("status page has %q:\n%s", english, flat)
		}
	}
	scanPII(t, "status page in the browser", flat)

	// The link works against the fake: it opens the Konsultasi tab there.
	if !strings.HasPrefix(href, o.srv.URL()) {
		t.Fatalf("spreadsheet link %q does not point at the fake %s", href, o.srv.URL())
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(href)); err != nil {
		t.Fatalf("open the spreadsheet link: %v", err)
	}
	sheet, err := chromedp.Run(ctx, chromedp.Text("body"))
	if err != nil {
		t.Fatalf("read the spreadsheet link's page: %v", err)
	}
	if !strings.Contains(sheet, "No. Tiket") || !strings.Contains(sheet, "KOPI-2026-0001") {
		t.Errorf("spreadsheet link did not open the tracker's tab:\n%.300s", sheet)
	}
}
