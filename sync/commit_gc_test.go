package sync

import "testing"

// TestPartCollectorBoundsTheBacklog runs the commit loop's collection
// policy over simulated backlogs — each part leaves garbage and a little
// live data, a collection leaves only the live data — and checks what it
// promises: it always collects before the last part; the heap after a
// part stays within 1.75 times what the last collection found live, or
// that plus one part; and parts small beside what is held are collected
// less often than once per part.
func TestPartCollectorBoundsTheBacklog(t *testing.T) {
	const mb = 1 << 20
	for _, tc := range []struct {
		name            string
		held, grow      uint64 // live at the start; a part's growth (of it kept live: 1 MiB)
		parts           int
		big             int // a part growing four times as much (-1: none)
		least, most     int // collections
		collectAfterBig bool
	}{
		// 10,000 responses into an archived tracker: parts large beside what is held.
		{name: "backlog", held: 42 * mb, grow: 35 * mb, parts: 26, big: -1, least: 26, most: 26},
		// Two parts would pass 1.75 times what is held: one each.
		{name: "close", held: 100 * mb, grow: 50 * mb, parts: 20, big: -1, least: 20, most: 20},
		// The end of the 50,000-case seed: parts small beside what is held.
		{name: "history", held: 180 * mb, grow: 65 * mb, parts: 24, big: -1, least: 12, most: 14},
		// One part grows four times as much: collected right after it.
		{name: "uneven", held: 200 * mb, grow: 20 * mb, parts: 20, big: 10, least: 3, most: 8, collectAfterBig: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			live, heap, cycles := tc.held, tc.held, uint64(7)
			liveNow := live
			c := &partCollector{heap: heap, cycles: cycles}
			collected := 0
			for i := range tc.parts {
				grow := tc.grow
				if i == tc.big {
					grow *= 4
				}
				heap += grow
				liveNow += 1 * mb
				if i != tc.big && heap > max(live*7/4, live+grow) {
					t.Fatalf("part %d: heap %d MiB, over 1.75 × %d MiB live and over it plus a part", i, heap/mb, live/mb)
				}
				beforeLast := i == tc.parts-2
				if c.decide(live, heap, cycles, beforeLast) {
					collected++
					live, heap, cycles = liveNow, liveNow, cycles+1
				} else if beforeLast || i == tc.big && tc.collectAfterBig {
					t.Fatalf("part %d: no collection", i)
				}
				c.heap, c.cycles = heap, cycles
			}
			if collected < tc.least || collected > tc.most {
				t.Errorf("%d collections over %d parts, want %d–%d", collected, tc.parts, tc.least, tc.most)
			}
		})
	}
	// A collection the runtime ran during a part: its growth is not a
	// part's, and the heap it left is compared with what it found live.
	c := &partCollector{heap: 200 * mb, cycles: 3}
	if c.decide(250*mb, 260*mb, 4, false) || c.grew != 0 {
		t.Errorf("after the runtime's collection: collected, or counted growth %d MiB", c.grew/mb)
	}
}
