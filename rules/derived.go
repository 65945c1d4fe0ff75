package rules

import (
	"hash/maphash"
	"sync"
)

// WhatsAppMemo remembers each case's WhatsApp link with a fingerprint of
// what it was derived from, so a cycle derives a link again only for a
// case whose inputs changed: an unchanged case — most of a tracker, the
// closed cases above all — costs a hash of a few cells instead of
// parsing the phone number, formatting the greeting and escaping the
// answer into a URL. Its answers are WhatsAppFor's, always.
type WhatsAppMemo struct {
	mu   sync.Mutex
	seed maphash.Seed
	m    map[Ticket]waEntry
}

type waEntry struct {
	in, out uint64
	flag    *Flag
}

// maxWhatsAppMemo bounds the memo: past it, it starts over.
const maxWhatsAppMemo = 200_000

// NewWhatsAppMemo returns an empty memo.
func NewWhatsAppMemo() *WhatsAppMemo {
	return &WhatsAppMemo{seed: maphash.MakeSeed(), m: map[Ticket]waEntry{}}
}

// For is WhatsAppFor(c), derived again only when the fields it reads —
// the number, the name, the ticket, the answer and the status — or the
// link the case shows changed since the memo last saw the case.
func (w *WhatsAppMemo) For(c Case) (link string, flag *Flag) {
	in := w.inputs(c)
	w.mu.Lock()
	e, ok := w.m[c.Ticket]
	w.mu.Unlock()
	if ok && e.in == in && e.out == maphash.String(w.seed, c.WhatsAppLink) {
		return c.WhatsAppLink, copyFlag(e.flag)
	}
	link, flag = WhatsAppFor(c)
	w.mu.Lock()
	if len(w.m) >= maxWhatsAppMemo {
		w.m = map[Ticket]waEntry{}
	}
	w.m[c.Ticket] = waEntry{in: in, out: maphash.String(w.seed, link), flag: copyFlag(flag)}
	w.mu.Unlock()
	return link, flag
}

// inputs fingerprints what WhatsAppFor reads of a case besides its
// ticket (the memo's key).
func (w *WhatsAppMemo) inputs(c Case) uint64 {
	var h maphash.Hash
	h.SetSeed(w.seed)
	for _, s := range []string{c.WhatsApp, c.Name, c.Answer, string(c.Status)} {
		maphash.WriteComparable(&h, len(s))
		h.WriteString(s)
	}
	return h.Sum64()
}

func copyFlag(f *Flag) *Flag {
	if f == nil {
		return nil
	}
	g := *f
	return &g
}
