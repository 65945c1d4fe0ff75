package google

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"kopi/rules"
	"kopi/sop"
)

// TestCheckSOPAnchorsRefusesSharedBlock finds two SOP ids whose anchor
// blocks collide and checks that loading them together is refused with
// an Indonesian error naming both and the fix, while the shipped SOPs
// and distinct blocks pass.
func TestCheckSOPAnchorsRefusesSharedBlock(t *testing.T) {
	var shipped []*rules.SOPDef
	for _, id := range sop.IDs() {
		d, err := sop.Load(id)
		if err != nil {
			t.Fatal(err)
		}
		shipped = append(shipped, d)
	}
	if err := CheckSOPAnchors(shipped); err != nil {
		t.Fatalf("shipped SOPs: %v", err)
	}
	seen := map[int64]string{}
	var a, b string
	for i := 0; a == ""; i++ {
		id := fmt.Sprintf("sop-%d", i)
		if other, ok := seen[sopBlock(id)]; ok {
			a, b = other, id
		}
		seen[sopBlock(id)] = id
	}
	if sopAnchorID(a, a+"-1") != sopAnchorID(b, b+"-1") {
		t.Fatalf("%s and %s share block %d but not the anchor of case 1", a, b, sopBlock(a))
	}
	err := CheckSOPAnchors([]*rules.SOPDef{{ID: a}, {ID: "bimtek"}, {ID: b}})
	if err == nil {
		t.Fatalf("SOPs %s and %s share an anchor block; no error", a, b)
	}
	for _, want := range []string{a, b, "ganti id salah satu SOP"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if err := CheckSOPAnchors([]*rules.SOPDef{{ID: a}, {ID: "bimtek"}}); err != nil && sopBlock(a) != sopBlock("bimtek") {
		t.Errorf("distinct blocks refused: %v", err)
	}
}

// TestCheckSOPTabsRefusesClashes: an SOP whose tab is one of kopi's own
// (in any case), another SOP's, or named like an archive is refused
// with an Indonesian error naming it and the fix; the shipped SOPs pass.
func TestCheckSOPTabsRefusesClashes(t *testing.T) {
	var shipped []*rules.SOPDef
	for _, id := range sop.IDs() {
		if id == "kopi" { // run by the daemon itself, never listed (sop.Resolve refuses it)
			continue
		}
		d, err := sop.Load(id)
		if err != nil {
			t.Fatal(err)
		}
		shipped = append(shipped, d)
	}
	if err := CheckSOPs(shipped); err != nil {
		t.Fatalf("shipped SOPs: %v", err)
	}
	for _, c := range []struct {
		defs []*rules.SOPDef
		want string
	}{
		{[]*rules.SOPDef{{ID: "audit", Tab: "Survei"}}, `SOP "audit" memakai tab "Survei", yang sudah dipakai kopi sendiri ("Survei")`},
		{[]*rules.SOPDef{{ID: "audit", Tab: "teks panjang"}}, `yang sudah dipakai kopi sendiri ("Teks Panjang")`},
		{[]*rules.SOPDef{{ID: "audit", Tab: "Konsultasi"}}, `("Konsultasi")`},
		{[]*rules.SOPDef{{ID: "audit", Tab: "_KOPI"}}, `("_kopi")`},
		{[]*rules.SOPDef{{ID: "audit", Tab: "Riwayat"}}, `("Riwayat")`},
		{[]*rules.SOPDef{{ID: "bimtek", Tab: "Kegiatan"}, {ID: "audit", Tab: "kegiatan "}}, `SOP "bimtek" dan "audit" memakai tab yang sama`},
		{[]*rules.SOPDef{{ID: "audit", Tab: "Arsip Audit"}}, `diawali "Arsip" disediakan untuk tab arsip`},
	} {
		err := CheckSOPs(c.defs)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "berkas definisi") {
			t.Errorf("%+v: error %v, want one with %q and the fix", c.defs, err, c.want)
		}
	}
	if err := CheckSOPs([]*rules.SOPDef{{ID: "audit", Tab: "Audit"}, {ID: "bimtek", Tab: "Bimtek"}}); err != nil {
		t.Errorf("distinct tabs refused: %v", err)
	}
	// Every tab kopi manages (what `kopi init` creates, and the journal's
	// tab it adds when first needed) is refused: the check's list keeps
	// up with the tracker's.
	own := append(NewTracker(nil, rules.DefaultConfig()).RunSOPs(shipped).Schemas(), JournalTab)
	for _, tab := range own {
		if slices.ContainsFunc(shipped, func(d *rules.SOPDef) bool { return d.Tab == tab.Title }) {
			continue // a shipped SOP's own tab
		}
		if err := CheckSOPTabs([]*rules.SOPDef{{ID: "audit", Tab: tab.Title}}); err == nil {
			t.Errorf("an SOP tab %q, one of kopi's own, is not refused", tab.Title)
		}
	}
}
