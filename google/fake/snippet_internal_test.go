package fake

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// wholeTextSnippet is makeSnippet as it was, collapsing the whole text:
// the reference the prefix shortcut must match.
func wholeTextSnippet(text string) string {
	s := strings.TrimSpace(spaceRE.ReplaceAllString(text, " "))
	if utf8.RuneCountInString(s) > 200 {
		s = strings.TrimSpace(string([]rune(s)[:200]))
	}
	return snippetEscaper.Replace(s)
}

// TestSnippetOfLongTextMatchesWholeText: the snippet of a long body,
// taken from a prefix, is the one the whole text gives — with whitespace
// runs, non-breaking and other Unicode spaces, multi-byte characters
// and markup around the prefix's edges.
func TestSnippetOfLongTextMatchesWholeText(t *testing.T) {
	cases := map[string]string{
		"empty":             "",
		"short":             "Yth. Bapak/Ibu,\r\n\r\n  terima kasih.",
		"60000 chars":       strings.Repeat("Jawaban <b>\"rinci\"</b> & lengkap.\n\n", 1700),
		"leading spaces":    strings.Repeat(" \t\r\n", 5000) + strings.Repeat("kata ", 100),
		"leading nbsp":      strings.Repeat("\u00a0", 3000) + strings.Repeat("kata ", 100),
		"nbsp then nothing": "abc" + strings.Repeat("\u00a0", 3000),
		"space then nbsp":   "abc" + strings.Repeat(" \u00a0", 3000) + "def",
		"multibyte":         strings.Repeat("é漢字🙂 ", 3000),
		"invalid utf8":      strings.Repeat("\x80", 5000) + strings.Repeat("x ", 300),
		"space at the cut":  strings.Repeat("a", 1020) + strings.Repeat(" ", 10) + strings.Repeat("b", 300),
		"tail after 201":    strings.Repeat("z", 201) + strings.Repeat(" ", 5000),
		"exactly 200":       strings.Repeat("y", 200) + strings.Repeat("\n", 9000),
	}
	for i := range 12 {
		// A whitespace run (ASCII and Unicode) across the first cut, at
		// 1,024 bytes, at every offset around it.
		cases[fmt.Sprintf("run across the cut %d", i)] = strings.Repeat("a", 1016+i) + " \t\u00a0\n " + strings.Repeat("b ", 150)
		cases[fmt.Sprintf("short start, run across the cut %d", i)] = "ab" + strings.Repeat(" ", 1014+i) + "\u00a0é" + strings.Repeat("c ", 150)
	}
	for name, text := range cases {
		if got, want := makeSnippet(text), wholeTextSnippet(text); got != want {
			t.Errorf("%s: snippet %q, want %q", name, got, want)
		}
	}
}
