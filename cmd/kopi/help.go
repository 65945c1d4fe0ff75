package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// Help is printed by kopi itself, in Indonesian: Go's flag package would
// print "(default "kopi.yaml")", "string" and "duration" and write to
// stderr with exit code 2. `kopi help CMD`, `kopi CMD -h` and
// `kopi CMD --help` print the command's help on stdout and exit 0; a
// wrong flag prints it on stderr with an Indonesian reason and exit 2.

// flagSets remembers the FlagSet a command built, so dispatch can print
// its help after Parse returned flag.ErrHelp or a flag error.
type flagSets struct {
	last    *flag.FlagSet
	name    string // "run", "service install"
	args    string // positional part of the synopsis, e.g. "TAHUN"
	summary string
}

// newFlagSet returns a FlagSet whose help and errors dispatch prints in
// Indonesian. synopsis may name positional arguments ("TAHUN"); the
// flags are always listed from the FlagSet itself, so a synopsis never
// leaves one out. Bracketed flag groups in synopsis ("[--config …]")
// are ignored for that reason.
func newFlagSet(env *environment, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet("kopi "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if env.flags == nil {
		env.flags = &flagSets{}
	}
	*env.flags = flagSets{last: fs, name: name, args: positional(synopsis), summary: summaryOf(name)}
	return fs
}

// positional keeps the words of a synopsis that are not flag groups.
func positional(synopsis string) string {
	var keep []string
	depth, start := 0, -1
	for i, r := range synopsis {
		switch {
		case r == '[':
			if depth == 0 {
				start = i
			}
			depth++
		case r == ']' && depth > 0:
			depth--
			if depth == 0 {
				group := synopsis[start : i+1]
				if !strings.HasPrefix(group, "[-") {
					keep = append(keep, group)
				}
			}
		case depth == 0 && r != ' ':
			if start < 0 || synopsis[start] == '[' || i > 0 && synopsis[i-1] == ' ' {
				keep = append(keep, "")
				start = i
			}
			keep[len(keep)-1] += string(r)
		}
	}
	var out []string
	for _, k := range keep {
		if k != "" {
			out = append(out, k)
		}
	}
	return strings.Join(out, " ")
}

// summaryOf returns the one-line summary of the command name starts with.
func summaryOf(name string) string {
	first, _, _ := strings.Cut(name, " ")
	for _, c := range commands() {
		if c.name == first {
			return c.summary
		}
	}
	return ""
}

// Placeholders of flag values, by flag name, then by kind of value.
var (
	flagPlaceholders = map[string]string{
		"config": "BERKAS", "out": "BERKAS", "addr": "HOST:PORT", "account": "EMAIL",
		"seed": "ANGKA", "title": "JUDUL", "timeout": "DURASI", "user": "AKUN",
		"log-level": "TINGKAT", "log-format": "FORMAT",
	}
	kindPlaceholders = map[string]string{
		"string": "TEKS", "duration": "DURASI", "int": "ANGKA", "uint": "ANGKA", "float": "ANGKA", "value": "NILAI",
	}
)

// placeholder names a flag's value in the help ("" for a switch).
func placeholder(f *flag.Flag) string {
	name, _ := flag.UnquoteUsage(f)
	if name == "" {
		return "" // a bool flag
	}
	if p, ok := flagPlaceholders[f.Name]; ok {
		return p
	}
	if p, ok := kindPlaceholders[name]; ok {
		return p
	}
	return strings.ToUpper(name)
}

// defaultText renders a flag's default for the help, or "" when it is
// the zero value.
func defaultText(f *flag.Flag) string {
	switch f.DefValue {
	case "", "false", "0", "0s":
		return ""
	}
	if d, err := time.ParseDuration(f.DefValue); err == nil && placeholder(f) == "DURASI" {
		s := d.String() // "10m0s", "1h0m0s"
		if strings.HasSuffix(s, "m0s") {
			s = strings.TrimSuffix(s, "0s")
		}
		if strings.HasSuffix(s, "h0m") {
			s = strings.TrimSuffix(s, "0m")
		}
		return s
	}
	return f.DefValue
}

// synopsis is "kopi NAME ARGS [--flag VALUE]…" listing every flag.
func (s *flagSets) synopsis() string {
	parts := []string{"kopi", s.name}
	if s.args != "" {
		parts = append(parts, s.args)
	}
	s.last.VisitAll(func(f *flag.Flag) {
		if p := placeholder(f); p != "" {
			parts = append(parts, fmt.Sprintf("[--%s %s]", f.Name, p))
		} else {
			parts = append(parts, fmt.Sprintf("[--%s]", f.Name))
		}
	})
	return strings.Join(parts, " ")
}

// printHelp writes the command's help: summary, synopsis, every flag
// with its value, meaning and default.
func (s *flagSets) printHelp(w io.Writer) {
	if s.summary != "" {
		fmt.Fprintf(w, "kopi %s — %s\n\n", s.name, s.summary)
	}
	fmt.Fprintf(w, msgHelpUsage+"\n\n", s.synopsis())
	fmt.Fprintln(w, msgHelpFlags)
	s.last.VisitAll(func(f *flag.Flag) {
		head := "--" + f.Name
		if p := placeholder(f); p != "" {
			head += " " + p
		}
		_, usage := flag.UnquoteUsage(f)
		if d := defaultText(f); d != "" {
			usage += fmt.Sprintf(msgHelpDefault, d)
		}
		fmt.Fprintf(w, "  %s\n        %s\n", head, usage)
	})
	fmt.Fprintf(w, "  -h, --help\n        %s\n", msgHelpHelp)
}

// flagErrors are Go's flag errors, which are English, and their
// Indonesian form.
var flagErrors = []struct {
	re  *regexp.Regexp
	msg string
}{
	{regexp.MustCompile(`^flag provided but not defined: (\S+)`), "opsi tidak dikenal: %s"},
	{regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?(\S+?):`), "nilai %q tidak sah untuk opsi %s"},
	{regexp.MustCompile(`^flag needs an argument: (\S+)`), "opsi %s memerlukan nilai"},
	{regexp.MustCompile(`^bad flag syntax: (.*)`), "penulisan opsi salah: %s"},
}

// translateFlagError returns err's message in Indonesian.
func translateFlagError(err error) string {
	for _, fe := range flagErrors {
		if m := fe.re.FindStringSubmatch(err.Error()); m != nil {
			args := make([]any, len(m)-1)
			for i, s := range m[1:] {
				args[i] = s
			}
			return fmt.Sprintf(fe.msg, args...)
		}
	}
	return msgHelpBadFlag
}

// finishCommand turns what a command returned into what kopi prints: its
// help on stdout for -h/--help (no error), its help on stderr and an
// Indonesian usage error for a wrong flag.
func finishCommand(env *environment, err error) error {
	fsets := env.flags
	if err == nil || fsets == nil || fsets.last == nil {
		return err
	}
	if errors.Is(err, flag.ErrHelp) {
		fsets.printHelp(env.stdout)
		return nil
	}
	if !fsets.last.Parsed() || !isFlagError(err) {
		return err
	}
	fsets.printHelp(env.stderr)
	return fmt.Errorf("%w: %s", errUsage, translateFlagError(err))
}

// isFlagError reports whether err is one of Go's flag parse errors.
func isFlagError(err error) bool {
	for _, fe := range flagErrors {
		if fe.re.MatchString(err.Error()) {
			return true
		}
	}
	return false
}
