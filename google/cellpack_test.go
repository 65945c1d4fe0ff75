package google

import (
	"maps"
	"strings"
	"testing"
)

// TestCellPackKeepsEveryCell: a packed record gives back every cell it
// was packed with — keys of the state tab and the consultation tab
// (packed by index) and any other key (spelt out), empty values (a
// field a write clears), long values (lengths over one varint byte),
// and text holding the bytes a separator or the literal marker would
// use — and nothing else; a Row holding a pack reads as the map did.
func TestCellPackKeepsEveryCell(t *testing.T) {
	long := strings.Repeat("é", 9000) // 18,000 bytes: a three-byte length
	records := []map[string]string{
		nil,
		{},
		{ColStateKind: stateMail, ColStateKey: "terima", ColStateTicket: "2025-000001", ColStateValue: "terkirim", ColStateID: "17"},
		{ColStateKind: stateLedger, ColStateKey: "r1", ColStateValue: ""},
		{"kolom lain": "x", "": "kunci kosong", "\xff": "\x00\xff\x80", ColStateDetail: long},
		{"status": "", "tiket": "2025-000002", "whatsapp": "https://wa.me/62812?text=" + strings.Repeat("a%20", 100)},
	}
	for _, c := range caseColumns {
		records[len(records)-1][string(c.field)] = "nilai " + string(c.field)
	}
	for i, want := range records {
		p := packCells(want)
		got := p.cells()
		if len(want) == 0 {
			if p != "" || got != nil {
				t.Errorf("record %d: empty record packs to %q, unpacks to %v", i, p, got)
			}
			continue
		}
		if !maps.Equal(got, want) {
			t.Errorf("record %d: unpacked %v, want %v", i, got, want)
		}
		r := Row{packed: p}
		for k, v := range want {
			if g, ok := p.get(k); !ok || g != v {
				t.Errorf("record %d: get(%q) = %q, %v; want %q", i, k, g, ok, v)
			}
			if g := r.Get(k); g != v {
				t.Errorf("record %d: Row.Get(%q) = %q, want %q", i, k, g, v)
			}
		}
		if g, ok := p.get("tidak ada"); ok || g != "" || r.Get("tidak ada") != "" {
			t.Errorf("record %d: a key not packed reads %q, %v", i, g, ok)
		}
		if !maps.Equal(r.values(), want) {
			t.Errorf("record %d: Row.values() = %v, want %v", i, r.values(), want)
		}
	}
	// A row read from the sheet keeps its map.
	r := Row{Cells: map[string]string{ColStateKind: stateLedger}}
	if r.Get(ColStateKind) != stateLedger || r.values()[ColStateKind] != stateLedger {
		t.Errorf("a read row no longer reads its cells")
	}
}

// TestCellPackIsCompact: the pack of a delivery record is smaller than
// its text plus one byte of key and one of length per cell.
func TestCellPackIsCompact(t *testing.T) {
	rec := map[string]string{ColStateKind: stateMail, ColStateKey: "terima", ColStateTicket: "2025-000001",
		ColStateValue: "terkirim", ColStateTime: "2025-01-02T08:00:00Z", ColStateID: "17"}
	text := 0
	for _, v := range rec {
		text += len(v)
	}
	if p := packCells(rec); len(p) != text+2*len(rec) {
		t.Errorf("pack of %d cells with %d bytes of text is %d bytes, want %d", len(rec), text, len(p), text+2*len(rec))
	}
}
