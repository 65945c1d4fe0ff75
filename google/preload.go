package google

import (
	"context"

	"kopi/rules"
)

// Preloaded is the tracker read once ahead of a `kopi once` cycle: the
// instance lock's heartbeats and the cached intake and survey forms come
// from the
// same spreadsheets.get the cycle's Read would make, and that Read is
// then served from it (no second call).
type Preloaded struct {
	// Beats are the heartbeat records of the state tab.
	Beats []rules.Heartbeat
	// Form is the cached intake form, nil when none is recorded.
	Form *CachedForm
	// Survey is the cached survey form, nil when none is recorded.
	Survey *CachedForm
	state  *Table
}

// Preload reads the tracker (one spreadsheets.get) and keeps the tables
// for the next Read.
func (t *Tracker) Preload(ctx context.Context) (*Preloaded, error) {
	tables, err := t.sheets.Read(ctx, t.readSchemas()...)
	if err != nil {
		return nil, err
	}
	t.preloaded = tables
	st := tables[StateTab.Title]
	return &Preloaded{Beats: beatsOf(st), Form: cachedFormFrom(st, stateForm), Survey: cachedFormFrom(st, stateSurveyForm), state: st}, nil
}

// readTables reads the tracker's tabs, or hands out the preloaded ones
// once.
func (t *Tracker) readTables(ctx context.Context) (map[string]*Table, error) {
	if t.preloaded != nil {
		tables := t.preloaded
		t.preloaded = nil
		return tables, nil
	}
	return t.sheets.Read(ctx, t.readSchemas()...)
}

// PreloadedBeats is a lock store whose first Beats is served from a
// preloaded tracker; it never writes (a `kopi once` only checks).
type PreloadedBeats struct {
	*Heartbeats
	beats []rules.Heartbeat
	used  bool
}

// NewPreloadedBeats returns the store of pre over s.
func NewPreloadedBeats(s *Sheets, pre *Preloaded) *PreloadedBeats {
	return &PreloadedBeats{Heartbeats: NewHeartbeats(s), beats: pre.Beats}
}

// Beats returns the preloaded records the first time, then reads.
func (p *PreloadedBeats) Beats(ctx context.Context) ([]rules.Heartbeat, error) {
	if !p.used {
		p.used = true
		return p.beats, nil
	}
	return p.Heartbeats.Beats(ctx)
}
