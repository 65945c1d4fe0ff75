package sync

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"slices"

	"kopi/rules"
)

// DefaultCommitBytes bounds what one commit's records may weigh, in
// bytes of the request: Google recommends at most 2 MB per Sheets
// request ("To speed up requests, we recommend a 2 MB maximum
// payload"), and 100 kB are left for the request's envelope.
const DefaultCommitBytes = 1_900_000

// commit writes the cycle's changes. Changes that fit the commit budget
// go in ONE atomic commit. A larger backlog (responses piled up during
// an outage) goes in several, each atomic and complete on its own: a new
// case travels with its ledger entry and email intents; changed rows go
// first, then what is not tied to a new case (edited responses, intents
// of existing cases, SOP records); the cursor only in the last. A crash
// between two parts leaves whole cases and an old cursor: the next cycle
// reads the responses again, the ledger recognises those committed, and
// the others become cases then — nothing lost, nothing twice.
func (e *Engine) commit(ctx context.Context, tx TrackerTx, ch *rules.Changes) error {
	if ch.Empty() {
		return nil
	}
	parts := e.splitChanges(tx, ch)
	var gc *partCollector
	if len(parts) > 1 {
		gc = newPartCollector()
	}
	for i, p := range parts {
		write := tx.CommitPart
		if i == len(parts)-1 {
			write = tx.Commit
		}
		if err := write(ctx, p); err != nil {
			if len(parts) == 1 {
				return err
			}
			return fmt.Errorf("commit part %d of %d: %w", i+1, len(parts), err)
		}
		e.committed(p)
		if gc != nil {
			gc.afterPart(i == len(parts)-2)
		}
	}
	if len(parts) > 1 {
		e.log.Info("antrean respons ditulis dalam beberapa commit", "commit", len(parts), "kasus_baru", len(ch.NewCases))
	}
	return nil
}

// partCollector decides when the commit loop collects what a backlog's
// committed parts left behind (their requests and encodings). A
// collection marks everything the cycle holds, so one after every part
// cost a full mark per part: at 50,000 cases 100 marks of up to 230 MB
// (in an earlier round 36 s of the seed's CPU with them, 24.5 s
// without). It collects instead when the next
// part, growing the heap as much as a part has in this loop, would take
// it past what the last collection (the runtime's or its own) found
// live plus three quarters of that — the peak stays under 1.75 times
// what the cycle holds plus a part's own live data, where the runtime's
// pacing (GOGC=100) lets it reach twice — and always before the last
// part, which also reads the layout back: the loop's largest (at 50,000
// cases 178 MB of growth against 65 MB for another part). A backlog
// whose parts are large beside what the cycle holds (10,000 responses
// into an archived tracker: 35 MB a part over 70 MB held) is still
// collected after every part; the 50,000-case history seed, every
// second part from about 38,000 cases on.
type partCollector struct {
	heap   uint64 // heap objects after the last decision
	cycles uint64 // collections completed by then
	grew   uint64 // the most one part grew the heap without a collection
}

// gcSamples reads the live heap the last collection found, the heap's
// objects now (live and not yet swept), and the collections completed.
func gcSamples() (live, heap, cycles uint64) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64(), s[2].Value.Uint64()
}

// newPartCollector starts deciding before a backlog's first part.
func newPartCollector() *partCollector {
	c := &partCollector{}
	_, c.heap, c.cycles = gcSamples()
	return c
}

// afterPart decides after a committed part, beforeLast when the last
// part comes next; it reports whether it collected.
func (c *partCollector) afterPart(beforeLast bool) bool {
	live, heap, cycles := gcSamples()
	collect := c.decide(live, heap, cycles, beforeLast)
	if collect {
		runtime.GC()
		_, heap, cycles = gcSamples()
	}
	c.heap, c.cycles = heap, cycles
	return collect
}

// decide is afterPart's decision from the live heap the last
// collection found, the heap's objects now and the collections
// completed: a part's growth counts only when no collection ran during
// it.
func (c *partCollector) decide(live, heap, cycles uint64, beforeLast bool) bool {
	if cycles == c.cycles && heap > c.heap {
		c.grew = max(c.grew, heap-c.heap)
	}
	return beforeLast || heap+c.grew > live+live*3/4
}

// committed logs a committed part's new cases and lets go of what no
// later step of the cycle reads: the copies of the new cases (the plan
// keeps each case), the ledger entries, flow records and history rows.
// The email intents stay: the plan's outbox points at them. Released
// part by part, a backlog's commits do not hold all of it until the
// cycle ends.
func (e *Engine) committed(p *rules.Changes) {
	for _, c := range p.NewCases {
		e.log.Info("kasus baru", "tiket", c.Ticket.String(), "status", string(c.Status))
	}
	clear(p.NewCases)
	clear(p.Ledger)
	clear(p.Flows)
	clear(p.History)
}

// saveDeliveries records outbox progress in requests of at most the
// commit budget each (one, but for a cycle that settles thousands of
// emails at once). Each delivery is written over its own record, so a
// crash between two parts leaves every record either as it was or as it
// is now, and the next cycle settles the rest as it would have.
func (e *Engine) saveDeliveries(ctx context.Context, tx TrackerTx, ds []rules.Delivery) error {
	return inParts(ds, tx.DeliveryBytes, e.budget(), func(part []rules.Delivery) error {
		return tx.SaveDeliveries(ctx, part)
	})
}

// inParts writes items in consecutive parts of at most budget bytes by
// size (an item larger than the budget goes alone); nothing is written
// for no items.
func inParts[T any](items []T, size func(T) int, budget int, write func([]T) error) error {
	for start := 0; start < len(items); {
		end, n := start, 0
		for end < len(items) {
			w := size(items[end])
			if end > start && n+w > budget {
				break
			}
			n += w
			end++
		}
		if err := write(items[start:end]); err != nil {
			return err
		}
		start = end
	}
	return nil
}

// budget is the most one request may carry.
func (e *Engine) budget() int {
	if e.o.CommitBytes > 0 {
		return e.o.CommitBytes
	}
	return DefaultCommitBytes
}

// splitChanges packs ch into parts of at most the commit budget (a unit
// larger than the budget alone goes alone). With more than one part it
// reorders ch's slices in place, stably, so that each part is a window
// of them: whatever the tracker fills in while committing a part (the
// new records' handles) lands in ch itself, where the plan's pointers
// see it.
func (e *Engine) splitChanges(tx TrackerTx, ch *rules.Changes) []*rules.Changes {
	budget := e.budget()
	// Which unit each record belongs to — what must land together: the
	// j-th row update is unit j (each goes alone, first: a crash between
	// parts leaves rows written whose responses the next cycle reads again
	// and recognises), u0 everything else not tied to a new case, u0+i+1
	// the i-th new case with its ledger entry, email intents and SOP
	// records.
	u0 := len(ch.Updates)
	byCase := make(map[string]int, len(ch.NewCases))
	for i, c := range ch.NewCases {
		byCase[c.Ticket.String()] = u0 + i + 1
	}
	unitOf := func(key string) int {
		if u, ok := byCase[key]; ok {
			return u
		}
		return u0
	}
	ledger := make([]int, len(ch.Ledger))
	for i, le := range ch.Ledger {
		ledger[i] = unitOf(le.Ticket.String())
	}
	outbox := make([]int, len(ch.Outbox))
	for i, d := range ch.Outbox {
		if d.Case == "" {
			outbox[i] = unitOf(d.Ticket.String())
		}
	}
	flows := make([]int, len(ch.Flows))
	for i, f := range ch.Flows {
		flows[i] = unitOf(f.Case)
	}
	history := make([]int, len(ch.History))
	for i, h := range ch.History {
		history[i] = unitOf(h.Case)
	}
	anchors := make([]int, len(ch.Anchors))
	for i, a := range ch.Anchors {
		anchors[i] = unitOf(a.Case)
	}
	// Each unit's weight, asked of the tracker once per unit.
	units := make([]rules.Changes, u0+len(ch.NewCases)+1)
	updates := make([]int, u0)
	for j, u := range ch.Updates {
		units[j].Updates = []rules.CaseUpdate{u}
		updates[j] = j
	}
	for i, c := range ch.NewCases {
		units[u0+i+1].NewCases = []rules.TrackedCase{c}
	}
	for i, u := range ledger {
		units[u].Ledger = append(units[u].Ledger, ch.Ledger[i])
	}
	for i, u := range outbox {
		units[u].Outbox = append(units[u].Outbox, ch.Outbox[i])
	}
	for i, u := range flows {
		units[u].Flows = append(units[u].Flows, ch.Flows[i])
	}
	for i, u := range history {
		units[u].History = append(units[u].History, ch.History[i])
	}
	for i, u := range anchors {
		units[u].Anchors = append(units[u].Anchors, ch.Anchors[i])
	}
	units[len(units)-1].Cursor = ch.Cursor // the cursor travels last
	part := make([]int, len(units))        // the part of each unit
	total, size, n := 0, 0, 0
	for u := range units {
		w := tx.CommitBytes(&units[u])
		total += w
		if u > 0 && size+w > budget && size > 0 {
			n++
			size = 0
		}
		size += w
		part[u] = n
	}
	if n == 0 || total <= budget {
		return []*rules.Changes{ch}
	}
	// Reorder each slice by part (stable), then cut windows.
	parts := make([]*rules.Changes, n+1)
	for i := range parts {
		parts[i] = &rules.Changes{}
	}
	newCases := make([]int, len(ch.NewCases))
	for i := range newCases {
		newCases[i] = u0 + i + 1
	}
	windows(ch.Updates, updates, part, func(p int, s []rules.CaseUpdate) { parts[p].Updates = s })
	windows(ch.NewCases, newCases, part, func(p int, s []rules.TrackedCase) { parts[p].NewCases = s })
	windows(ch.Ledger, ledger, part, func(p int, s []rules.LedgerEntry) { parts[p].Ledger = s })
	windows(ch.Outbox, outbox, part, func(p int, s []rules.Delivery) { parts[p].Outbox = s })
	windows(ch.Flows, flows, part, func(p int, s []rules.FlowRecord) { parts[p].Flows = s })
	windows(ch.History, history, part, func(p int, s []rules.HistoryEntry) { parts[p].History = s })
	windows(ch.Anchors, anchors, part, func(p int, s []rules.SOPAnchor) { parts[p].Anchors = s })
	parts[n].Cursor = ch.Cursor
	return parts
}

// windows sorts s in place by the part of each element's unit (stable:
// the order within a part is kept) and hands each part its window of s.
func windows[T any](s []T, unit, part []int, set func(p int, w []T)) {
	idx := make([]int, len(s))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return part[unit[a]] - part[unit[b]] })
	sorted := make([]T, len(s))
	for i, j := range idx {
		sorted[i] = s[j]
	}
	copy(s, sorted)
	for start := 0; start < len(s); {
		p := part[unit[idx[start]]]
		end := start
		for end < len(s) && part[unit[idx[end]]] == p {
			end++
		}
		set(p, s[start:end:end])
		start = end
	}
}
