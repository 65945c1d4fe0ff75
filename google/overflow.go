package google

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
)

// MaxCellChars is the most a Sheets cell holds. Google counts characters
// as UTF-16 code units (an emoji counts two), so kopi does too.
const MaxCellChars = 50000

// overflowChunk is how much of a long value one cell carries, leaving room
// for the continuation marker.
const overflowChunk = 49000

// OverflowTab is the tab holding the tail of values too long for a cell.
// A long answer or question is never cut: its cell keeps the beginning and
// a marker naming the continuation, and the rest is stored here in parts.
var OverflowTab = TabSchema{
	Title: "Teks Panjang",
	Columns: []ColumnSpec{
		{Key: "anchor", Header: "Kunci", Daemon: true},
		{Key: "field", Header: "Kolom", Daemon: true},
		{Key: "version", Header: "Versi", Daemon: true},
		{Key: "part", Header: "Bagian", Daemon: true},
		{Key: "text", Header: "Teks", Daemon: true},
	},
	Hidden: true,
}

// markerPrefix starts the continuation marker at the end of a cut cell.
const markerPrefix = "\n[…lanjutan di tab Teks Panjang, versi "

// utf16Len is the length Sheets counts.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// splitUTF16 cuts s into pieces of at most limit UTF-16 units, never
// inside a character.
func splitUTF16(s string, limit int) []string {
	var parts []string
	start, n := 0, 0
	for i, r := range s {
		l := utf16.RuneLen(r)
		if n+l > limit {
			parts = append(parts, s[start:i])
			start, n = i, 0
		}
		n += l
	}
	return append(parts, s[start:])
}

// splitLong replaces every over-long value by its first chunk plus a
// marker and returns the overflow records for the rest.
func splitLong(anchor string, values map[string]string) (map[string]string, []StateWrite) {
	var spill []StateWrite
	keys := make([]string, 0, len(values))
	for k, v := range values {
		if utf16Len(v) > MaxCellChars {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return values, nil
	}
	sort.Strings(keys)
	out := make(map[string]string, len(values))
	for k, v := range values {
		out[k] = v
	}
	for _, key := range keys {
		v := values[key]
		sum := sha256.Sum256([]byte(v))
		version := hex.EncodeToString(sum[:])[:12]
		parts := splitUTF16(v, overflowChunk)
		for i, p := range parts[1:] {
			spill = append(spill, StateWrite{Index: -1, Values: map[string]string{
				"anchor": anchor, "field": key, "version": version,
				"part": strconv.Itoa(i + 1), "text": p,
			}})
		}
		out[key] = parts[0] + markerPrefix + version + ", " + strconv.Itoa(len(parts)-1) + " bagian]"
	}
	return out, spill
}

// joinOverflow restores long values in tables read together with the
// overflow tab.
func joinOverflow(tables map[string]*Table) {
	ov := tables[OverflowTab.Title]
	if ov == nil {
		return
	}
	type key struct{ anchor, field, version string }
	parts := map[key]map[int]string{}
	for _, r := range ov.Rows {
		k := key{r.Get("anchor"), r.Get("field"), r.Get("version")}
		n, err := strconv.Atoi(r.Get("part"))
		if err != nil {
			continue
		}
		if parts[k] == nil {
			parts[k] = map[int]string{}
		}
		parts[k][n] = r.Get("text")
	}
	for title, t := range tables {
		if title == OverflowTab.Title {
			continue
		}
		for _, r := range t.Rows {
			for field, v := range r.Cells {
				i := strings.LastIndex(v, markerPrefix)
				if i < 0 || !strings.HasSuffix(v, " bagian]") {
					continue
				}
				rest := strings.TrimSuffix(v[i+len(markerPrefix):], " bagian]")
				version, countText, ok := strings.Cut(rest, ", ")
				count, err := strconv.Atoi(countText)
				if !ok || err != nil {
					continue
				}
				got := parts[key{r.Anchor, field, version}]
				if len(got) < count {
					continue // incomplete: keep the marker visible
				}
				var b strings.Builder
				b.WriteString(v[:i])
				for n := 1; n <= count; n++ {
					b.WriteString(got[n])
				}
				r.Cells[field] = b.String()
			}
		}
	}
}
