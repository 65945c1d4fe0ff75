package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kopi/google/fake/web/webtest"
	"kopi/rules"
)

// waitFor polls a JavaScript predicate until it holds. A navigation
// interrupts a poll, so it polls again on the new page.
func waitFor(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	var err error
	for range 20 {
		var ok bool
		ok, err = chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(10*time.Second), chromedp.WithPollingMutation()))
		if err == nil && ok {
			return
		}
		if ctx.Err() != nil {
			break
		}
	}
	t.Fatalf("wait for %s: %v", what, err)
}

// typeCell clicks a grid cell, waits for the editor to load its stored
// value, types value over it and saves.
func typeCell(t *testing.T, ctx context.Context, a1, value string) {
	t.Helper()
	do(t, ctx, "open cell "+a1, chromedp.Click(chromedp.CSS(fmt.Sprintf(`td[data-a1=%q]`, a1))))
	waitFor(t, ctx, "the editor to load "+a1, `document.querySelector("#penyunting [name=nilai]").dataset.dimuat === `+strconv.Quote(a1))
	do(t, ctx, "type into "+a1,
		chromedp.SetValue(chromedp.CSS("#penyunting [name=nilai]"), value),
		chromedp.Click(chromedp.CSS("#simpan-sel")),
	)
	waitFor(t, ctx, a1+" saved", `(document.querySelector(".pesan.ok")||{}).textContent === `+strconv.Quote("Sel "+a1+" tersimpan."))
}

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// TestDemoWebBrowser is the trainee's story in a real browser: a
// requester fills the form, the row appears in the Sheet after a cycle,
// staff type the answer and approve it in the grid, the clock moves on an
// hour, and the answer email is in the requester's mailbox view; an edit
// made elsewhere reaches the open Sheet page by itself. A
// screenshot of each view is kept (go test -artifacts) and must not be
// blank.
func TestDemoWebBrowser(t *testing.T) {
	t.Parallel()
	bctx := webtest.Browser(t, 60*time.Second) // a bound for a loaded CI machine; the story takes 5–20 s
	base, d, out := startDemoWeb(t)
	if !strings.Contains(out.String(), "Tampilan web Workspace tiruan: "+base) {
		t.Errorf("the demo does not print the view's URL in Indonesian:\n%s", out)
	}
	start := time.Now()
	q := d.ws.Questions
	field := func(f rules.Field) chromedp.CSS { return chromedp.CSS(fmt.Sprintf(`[name="q.%s"]`, q[f])) }
	const requester = "rina.marlina@bpkad.example.go.id"
	const hostileQuestion = `<script>document.title="diretas"</script> Kapan jadwal reviu LKPD 2025 dan kertas kerja apa yang perlu kami siapkan?`

	// 1. The requester fills the form.
	do(t, bctx, "fill the form",
		chromedp.Navigate(base+"formulir"),
		chromedp.WaitVisible(chromedp.CSS("#form-jawaban")),
		chromedp.SetValue(field(rules.FieldNama), "Rina Marlina"),
		chromedp.SetValue(field(rules.FieldInstansi), "Badan Pengelola Keuangan dan Aset Daerah"),
		chromedp.SetValue(field(rules.FieldEmail), requester),
		chromedp.SetValue(field(rules.FieldWhatsApp), "+62 811-2233-4455"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`[name="q.%s"][value=%q]`, q[rules.FieldTopik], rules.TopicReviu))),
		chromedp.SetValue(field(rules.FieldPertanyaan), hostileQuestion),
	)
	webtest.Screenshot(t, bctx, "formulir")
	do(t, bctx, "submit the form", chromedp.Click(chromedp.CSS("#kirim")))
	waitFor(t, bctx, "the confirmation", `location.search.includes("terkirim=") && document.querySelector(".pesan.ok") !== null`)
	if n := len(d.srv.Responses(d.cfg.Intake.FormID)); n != 1 {
		t.Fatalf("responses after submitting = %d, want 1", n)
	}

	// 2. One cycle later the row is in the Sheet.
	do(t, bctx, "open the sheet and run a cycle", chromedp.Navigate(base+"lembar"), chromedp.Click(chromedp.CSS("#jam-siklus")))
	waitFor(t, bctx, "the new row", `[...document.querySelectorAll("td[data-a1]")].some(td => td.textContent.includes("KOPI-2026-0001"))`)
	page, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.title + "|" + [...document.querySelectorAll("td[data-a1]")].map(td => td.textContent).join("|")`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(page, "diretas") || !strings.Contains(page, `<script>document.title="diretas"</script>`) {
		t.Errorf("the question's <script> must show as text in the grid and never run; page title and cells: %.300s", page)
	}

	// 3. Staff type the answer and approve it in the grid.
	values, err := d.srv.SpreadsheetValues(d.cfg.Tracker.SpreadsheetID, "Konsultasi")
	if err != nil {
		t.Fatal(err)
	}
	row := -1
	for i, r := range values {
		if slices.Contains(r, "KOPI-2026-0001") {
			row = i + 1
		}
	}
	answerCol, statusCol := slices.Index(values[0], "Jawaban"), slices.Index(values[0], "Status")
	if row < 0 || answerCol < 0 || statusCol < 0 {
		t.Fatalf("row %d, Jawaban column %d, Status column %d in %v", row, answerCol, statusCol, values[0])
	}
	answerA1 := fmt.Sprintf("'Konsultasi'!%s%d", columnLetters(answerCol), row)
	statusA1 := fmt.Sprintf("'Konsultasi'!%s%d", columnLetters(statusCol), row)
	answer := "Yth. Ibu Rina,\n\nReviu LKPD 2025 dijadwalkan minggu kedua Maret; siapkan neraca saldo dan CaLK."
	typeCell(t, bctx, answerA1, answer)
	// The Status cell of a row kopi inserted has no dropdown in the fake
	// (it copies no data validation into inserted rows), so the approval
	// is typed like any cell; dropdowns are covered by the web package.
	typeCell(t, bctx, statusA1, string(rules.StatusDisetujui))
	if v, _ := d.srv.CellUserEnteredValue(d.cfg.Tracker.SpreadsheetID, answerA1); v == nil || v.StringValue == nil || *v.StringValue != answer {
		t.Fatalf("answer cell = %+v, want the typed answer", v)
	}

	// 4. An hour of cycles later the answer has gone out.
	do(t, bctx, "advance the clock an hour", chromedp.Click(chromedp.CSS("#jam-jam")))
	waitFor(t, bctx, "the clock log", `(document.querySelector(".jejak")||{}).textContent?.includes("surel terkirim ke `+requester+`: Re: [KOPI-2026-0001]")`)
	do(t, bctx, "show the sheet", chromedp.Navigate(base+"lembar"), chromedp.WaitVisible(chromedp.CSS("table.grid")))
	webtest.Screenshot(t, bctx, "lembar")

	// Live update: someone edits the Sheet elsewhere; the open page shows
	// it by itself, without navigating.
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[int](`window.__tetap = 1`)); err != nil {
		t.Fatal(err)
	}
	elsewhere := fmt.Sprintf("Konsultasi!%s%d", columnLetters(answerCol), row+1)
	if err := d.srv.SetValues(d.cfg.Tracker.SpreadsheetID, elsewhere, [][]any{{"Disunting di tempat lain"}}, true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, bctx, "the live update", `window.__tetap === 1 && [...document.querySelectorAll("td[data-a1]")].some(td => td.textContent.includes("Disunting di tempat lain"))`)

	// 5. The answer is in the requester's mailbox, in the receipt's thread.
	do(t, bctx, "open the requester's mailbox", chromedp.Navigate(base+"surel?kotak="+requester))
	waitFor(t, bctx, "the answer email", `[...document.querySelectorAll("article.utas")].some(a => a.textContent.includes("Re: [KOPI-2026-0001]") && a.querySelectorAll(".pesan-surel").length >= 2)`)
	frames, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll('iframe.isi-surel[sandbox=""]').length`))
	if err != nil || frames == 0 {
		t.Errorf("HTML parts in sandboxed iframes = %d (%v), want some", frames, err)
	}
	webtest.Screenshot(t, bctx, "surel")

	answered := false
	for _, m := range d.srv.Sent("me") {
		answered = answered || slices.Contains(m.To, requester) && strings.Contains(m.Subject, "Re: [KOPI-2026-0001]")
	}
	if !answered {
		t.Error("the fake's Gmail has no answer email to the requester")
	}
	t.Logf("browser story took %v", time.Since(start).Round(time.Millisecond))
}
