// Package sop holds the SOP definitions kopi ships, as YAML files in the
// national SOP format (see rules.SOPDef): KOPI itself and the internal
// training SOP (Bimtek). An office runs another SOP by writing one more
// such file; no code changes.
package sop

import (
	"embed"
	"fmt"
	"sort"
	"strings"

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

// Load parses and validates the shipped SOP with the given id.
func Load(id string) (*rules.SOPDef, error) {
	name := id + ".yaml"
	data, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("SOP %q tidak dikenal — pilih salah satu dari: %s", id, strings.Join(IDs(), ", "))
	}
	return rules.ParseSOP("sop/"+name, data)
}

// KOPI is the consultation SOP the daemon runs; the shipped file is
// validated by the package's tests, so a failure here is a build defect.
func KOPI() *rules.SOPDef {
	d, err := Load("kopi")
	if err != nil {
		panic(err)
	}
	return d
}
