package main

import (
	"strings"
	"testing"
)

// TestInitAddsSOPTabs: `kopi init --sop bimtek` adds the Bimtek tab, the
// Peran tab seeded with the SOP's roles and the Riwayat tab, says that
// the config's sops list must name it for the daemon to run it, and a
// second run changes nothing; an unknown SOP is refused with the known
// ones listed.
func TestInitAddsSOPTabs(t *testing.T) {
	o := newOffice(t)
	r := kopi(t, "init", "--config", o.config, "--sop", "bimtek")
	if r.err != nil {
		t.Fatalf("init: %v\n%s", r.err, r.stderr)
	}
	for _, want := range []string{`tab "Bimtek" dibuat`, `tab "Peran" dibuat`, `tab "Riwayat" dibuat`, "SOP bimtek: tab-nya dibuat sekarang"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("init output lacks %q:\n%s", want, r.stdout)
		}
	}
	roles, err := o.srv.SpreadsheetValues(o.value(t, keySpreadsheetID), "Peran")
	if err != nil {
		t.Fatal(err)
	}
	seeded := 0
	for _, row := range roles[1:] {
		if len(row) > 0 && row[0] != "" {
			seeded++
		}
	}
	if seeded != 5 {
		t.Errorf("Peran seeded with %d roles, want Bimtek's 5", seeded)
	}
	again := kopi(t, "init", "--config", o.config, "--sop", "bimtek")
	if again.err != nil || strings.Contains(again.stdout, `tab "Bimtek" dibuat`) {
		t.Errorf("second init: %v\n%s", again.err, again.stdout)
	}
	bad := kopi(t, "init", "--config", o.config, "--sop", "tidak-ada")
	if bad.err == nil || !strings.Contains(bad.err.Error(), "bimtek, kopi") {
		t.Errorf("unknown SOP: %v", bad.err)
	}
}
