package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"regexp"
	"strings"
	"testing"
)

// goFlagEnglish is what Go's own flag help looks like.
var goFlagEnglish = regexp.MustCompile(`\(default |\bUsage\b|\bstring\b|\bduration\b|\buint\b|\bvalue\b|-h\s*$`)

// TestHelpForEveryCommand: `kopi help CMD` and `kopi CMD --help` print the
// command's Indonesian help on stdout, exit 0, and the synopsis and the
// option list name every flag the command accepts.
func TestHelpForEveryCommand(t *testing.T) {
	for _, c := range commands() {
		for _, args := range [][]string{{"help", c.name}, {c.name, "--help"}, {c.name, "-h"}} {
			var out, errb bytes.Buffer
			env := &environment{stdout: &out, stderr: &errb}
			err := dispatch(context.Background(), env, args)
			if err != nil {
				t.Errorf("%q: err = %v", args, err)
				continue
			}
			if errb.Len() > 0 {
				t.Errorf("%q: wrote to stderr: %s", args, errb.String())
			}
			help := out.String()
			if !strings.Contains(help, "Penggunaan: kopi "+c.name) || !strings.Contains(help, c.summary) {
				t.Errorf("%q: no synopsis or summary:\n%s", args, help)
			}
			if m := goFlagEnglish.FindString(help); m != "" {
				t.Errorf("%q: Go's English flag help %q:\n%s", args, m, help)
			}
			if env.flags == nil || env.flags.last == nil {
				continue // service: its own help, checked below
			}
			synopsis, _, _ := strings.Cut(help[strings.Index(help, "Penggunaan:"):], "\n")
			env.flags.last.VisitAll(func(f *flag.Flag) {
				if !strings.Contains(synopsis, "[--"+f.Name) {
					t.Errorf("%q: synopsis lacks --%s: %s", args, f.Name, synopsis)
				}
				if !strings.Contains(help, "\n  --"+f.Name) {
					t.Errorf("%q: options lack --%s:\n%s", args, f.Name, help)
				}
			})
		}
	}
}

func TestHelpForEveryServiceAction(t *testing.T) {
	r := kopi(t, "help", "service")
	for _, a := range serviceActions {
		if !strings.Contains(r.stdout, "  "+a+" ") {
			t.Errorf("service help lacks %q:\n%s", a, r.stdout)
		}
	}
	for _, a := range serviceActions {
		r := kopi(t, "service", a, "--help")
		if r.err != nil || !strings.Contains(r.stdout, "Penggunaan: kopi service "+a+" [--config BERKAS]") {
			t.Errorf("service %s --help: err %v\n%s", a, r.err, r.stdout)
		}
	}
	if r := kopi(t, "service", "install", "--help"); !strings.Contains(r.stdout, "--user AKUN") {
		t.Errorf("service install help lacks --user:\n%s", r.stdout)
	}
}

// TestWrongFlagIsExplainedInIndonesian: a wrong flag is a usage error
// (exit 2) with an Indonesian reason and the help on stderr.
func TestWrongFlagIsExplainedInIndonesian(t *testing.T) {
	for args, want := range map[string]string{
		"once --bogus":         "opsi tidak dikenal: -bogus",
		"check --live=x":       `nilai "x" tidak sah untuk opsi -live`,
		"auth --timeout":       "opsi -timeout memerlukan nilai",
		"auth --timeout=lama":  `nilai "lama" tidak sah untuk opsi -timeout`,
		"fake-workspace --sed": "opsi tidak dikenal: -sed",
	} {
		r := kopi(t, strings.Fields(args)...)
		if !errors.Is(r.err, errUsage) || !strings.Contains(r.err.Error(), want) {
			t.Errorf("%s: err = %v, want usage error %q", args, r.err, want)
		}
		if !strings.Contains(r.stderr, "Penggunaan: kopi ") || r.stdout != "" {
			t.Errorf("%s: help not on stderr alone:\nstdout %q\nstderr %q", args, r.stdout, r.stderr)
		}
	}
}
