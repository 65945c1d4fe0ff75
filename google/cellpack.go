package google

import (
	"encoding/binary"
	"slices"
	"strings"
)

// cellPack is a record's cells (field key → text) packed into one
// string: what a transaction keeps of the rows it wrote until the cycle
// ends (the consultation rows for VerifyLayout, the state records for
// the archive's compaction). A map per record cost about a kilobyte for
// a case row and 300 bytes for a state record, and its strings were
// pointers the collector marked at every collection; a backlog of
// 50,000 cases kept 200,000 of them. A pack is one allocation and
// holds no pointer.
//
// Each cell is its key — one byte, the key's index in packKeys, or
// packLiteral followed by the key's length (uvarint) and bytes — then
// the value's length (uvarint) and bytes, in key order. Any text packs:
// lengths, not separators, delimit it.
type cellPack string

// packLiteral marks a key not in packKeys, spelt out.
const packLiteral = 0xFF

// packKeys are the keys a pack names by index: the state tab's columns
// and the consultation tab's fields (at most 255).
var packKeys, packIndex = func() ([]string, map[string]byte) {
	var keys []string
	for _, c := range StateTab.Columns {
		keys = append(keys, c.Key)
	}
	for _, c := range caseColumns {
		keys = append(keys, string(c.field))
	}
	keys = keys[:min(len(keys), packLiteral)]
	idx := make(map[string]byte, len(keys))
	for i, k := range keys {
		if _, ok := idx[k]; !ok {
			idx[k] = byte(i)
		}
	}
	return keys, idx
}()

// packCells packs a record's cells; nil and empty pack to "".
func packCells(cells map[string]string) cellPack {
	if len(cells) == 0 {
		return ""
	}
	keys := make([]string, 0, len(cells))
	n := 0
	for k, v := range cells {
		keys = append(keys, k)
		n += 1 + 2*binary.MaxVarintLen64 + len(k) + len(v)
	}
	slices.Sort(keys)
	b := make([]byte, 0, n)
	for _, k := range keys {
		if i, ok := packIndex[k]; ok {
			b = append(b, i)
		} else {
			b = append(b, packLiteral)
			b = binary.AppendUvarint(b, uint64(len(k)))
			b = append(b, k...)
		}
		v := cells[k]
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	return cellPack(strings.Clone(string(b)))
}

// next reads the cell at the start of p and returns the rest.
func (p cellPack) next() (key, value string, rest cellPack) {
	s := string(p)
	if s[0] == packLiteral {
		n, w := uvarint(s[1:])
		key, s = s[1+w:1+w+n], s[1+w+n:]
	} else {
		key, s = packKeys[s[0]], s[1:]
	}
	n, w := uvarint(s)
	return key, s[w : w+n], cellPack(s[w+n:])
}

// uvarint reads a length at the start of s and its width in bytes.
func uvarint(s string) (n, width int) {
	var x uint64
	for i, shift := 0, uint(0); i < len(s); i, shift = i+1, shift+7 {
		x |= uint64(s[i]&0x7f) << shift
		if s[i] < 0x80 {
			return int(x), i + 1
		}
	}
	panic("google: truncated cell pack")
}

// get is the cell of key, and whether the pack holds it.
func (p cellPack) get(key string) (string, bool) {
	for p != "" {
		var k, v string
		k, v, p = p.next()
		if k == key {
			return v, true
		}
	}
	return "", false
}

// cells unpacks p into a map (nil for an empty pack).
func (p cellPack) cells() map[string]string {
	if p == "" {
		return nil
	}
	out := map[string]string{}
	for p != "" {
		var k, v string
		k, v, p = p.next()
		out[k] = v
	}
	return out
}
