// Package sop holds the SOP definitions kopi ships, as YAML files in the
// national SOP format (see rules.SOPDef): KOPI itself and the internal
// training SOP (Bimtek). An office runs another SOP by writing one more
// such file; no code changes.
package sop

import (
	"embed"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"

	"kopi/rules"
)

//go:embed *.yaml
var files embed.FS

// IDs lists the SOPs shipped with kopi, sorted.
func IDs() []string {
	entries, _ := files.ReadDir(".")
	var out []string
	for _, e := range entries {
		if id, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// Load parses and validates the shipped SOP with the given id. The
// shipped files are embedded and never change, so each is parsed once
// per process (a daemon, or a test, starts an engine per cycle and
// every start loaded them); the caller gets its own copy.
func Load(id string) (*rules.SOPDef, error) {
	parse, ok := shipped[id]
	if !ok {
		return nil, fmt.Errorf("SOP %q tidak dikenal — pilih salah satu dari: %s", id, strings.Join(IDs(), ", "))
	}
	def, err := parse()
	if err != nil {
		return nil, err
	}
	return def.Clone(), nil
}

// shipped parses each embedded SOP file on first use, by id.
var shipped = func() map[string]func() (*rules.SOPDef, error) {
	m := map[string]func() (*rules.SOPDef, error){}
	for _, id := range IDs() {
		name := id + ".yaml"
		m[id] = sync.OnceValues(func() (*rules.SOPDef, error) {
			data, err := files.ReadFile(name)
			if err != nil {
				return nil, err
			}
			return rules.ParseSOP("sop/"+name, data)
		})
	}
	return m
}()

// KOPI is the consultation SOP the daemon runs; the shipped file is
// validated by the package's tests, so a failure here is a build defect.
func KOPI() *rules.SOPDef {
	d, err := Load("kopi")
	if err != nil {
		panic(err)
	}
	return d
}

// Resolve loads the SOPs a config lists: a shipped SOP by id, or a
// definition file by its path (ending in .yaml or .yml). Every entry is
// checked; the errors of all of them are returned together.
func Resolve(entries []string) ([]*rules.SOPDef, error) {
	var defs []*rules.SOPDef
	var errs []error
	seen := map[string]bool{}
	for _, e := range entries {
		var def *rules.SOPDef
		var err error
		if strings.HasSuffix(e, ".yaml") || strings.HasSuffix(e, ".yml") {
			var data []byte
			if data, err = os.ReadFile(e); err != nil {
				err = fmt.Errorf("baca definisi SOP %s: %w", e, err)
			} else {
				def, err = rules.ParseSOP(e, data)
			}
		} else {
			def, err = Load(e)
		}
		switch {
		case err != nil:
			errs = append(errs, err)
		case def.ID == "kopi":
			errs = append(errs, fmt.Errorf("SOP %s: KOPI sudah dijalankan kopi — hapus dari daftar sops", e))
		case seen[def.ID]:
			errs = append(errs, fmt.Errorf("SOP %s: id %q dipakai dua kali di daftar sops — hapus salah satunya", e, def.ID))
		default:
			seen[def.ID] = true
			defs = append(defs, def)
		}
	}
	return defs, errors.Join(errs...)
}
