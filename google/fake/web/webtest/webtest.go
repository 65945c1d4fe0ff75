// Package webtest drives the web view of the fake Workspace in a headless
// Chromium for browser tests: it starts the browser (Debian's chromium
// package), takes screenshots into the test's artifact directory and
// checks that they are not blank. Only tests import it, so the browser
// driver never reaches the kopi binary.
package webtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browsers are the executables tried, Debian's first.
var browsers = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// FindBrowser returns the path of a Chromium executable on PATH, or "".
func FindBrowser() string {
	for _, name := range browsers {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Browser starts a headless Chromium for t and returns a context that
// drives one tab of it, cancelled (browser closed) when the test ends or
// after timeout. Without a browser the test is skipped, except under CI
// (CI set to a non-empty value), where a missing browser is a failure:
// .ci/run installs it.
func Browser(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	path := FindBrowser()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("browser test: chromium not found on PATH; install it with `apt-get install -y chromium fonts-dejavu-core` (.ci/run does)")
		}
		t.Skip("browser test: chromium not found on PATH (install Debian's chromium package to run it); CI is not set, so skipping")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI containers run as root, where Chromium's sandbox cannot start
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("lang", "id-ID"),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tab, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	// The first run starts the browser; it must not carry the timeout,
	// which would stop the whole browser.
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("start chromium %s: %v", path, err)
	}
	ctx, cancelTime := context.WithTimeout(tab, timeout)
	t.Cleanup(cancelTime)
	return ctx
}

// Screenshot captures the whole page, saves it as name.png in the
// test's artifact directory (kept with `go test -artifacts`), checks it
// is not blank and returns the PNG.
func Screenshot(t testing.TB, ctx context.Context, name string) []byte {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := t.ArtifactDir()
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatalf("save screenshot %s: %v", name, err)
	}
	t.Logf("screenshot %s: %s", name, path)
	if err := CheckNotBlank(buf); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
	}
	return buf
}

// Minimums a real page's screenshot exceeds: a blank or single-colour
// page, or a page that failed to load, does not.
const (
	minColours  = 16
	minInkShare = 0.02 // share of pixels that are not (near) white
)

// CheckNotBlank decodes a PNG and reports an error when it is blank: too
// few distinct colours, or almost all pixels white.
func CheckNotBlank(pngData []byte) error {
	img, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		return fmt.Errorf("decode png: %w", err)
	}
	colours, ink, total := stats(img)
	if total == 0 {
		return errors.New("empty image")
	}
	if colours < minColours {
		return fmt.Errorf("only %d distinct colours (want at least %d): the page looks blank", colours, minColours)
	}
	if share := float64(ink) / float64(total); share < minInkShare {
		return fmt.Errorf("only %.2f%% of pixels are not white (want at least %.0f%%): the page looks blank", 100*share, 100*minInkShare)
	}
	return nil
}

func stats(img image.Image) (colours, ink, total int) {
	seen := map[uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r8, g8, b8 := r>>8, g>>8, bl>>8
			seen[r8<<16|g8<<8|b8] = true
			if r8 < 240 || g8 < 240 || b8 < 240 {
				ink++
			}
			total++
		}
	}
	return len(seen), ink, total
}
