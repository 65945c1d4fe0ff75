package sync

import (
	"context"
	"fmt"
	"time"

	"kopi/rules"
)

// OverflowPurger is the optional part of a TrackerTx that removes the
// overflow-tab parts of long values (questions, answers) of rows, so an
// anonymised case leaves no text behind. It costs no API call when none
// of the rows has parts.
type OverflowPurger interface {
	// PurgeOverflow clears the overflow parts of the tickets' rows and
	// returns how many parts it cleared.
	PurgeOverflow(ctx context.Context, tickets []rules.Ticket) (int, error)
}

// retention is what the cycle's retention step decided.
type retention struct {
	// due are the cases anonymised in this cycle.
	due []rules.Ticket
	// cleared are every anonymised case of the tracker (earlier cycles'
	// too): their overflow parts and delivery details are removed, which
	// finishes the job of a cycle that died half-way.
	cleared []rules.Ticket
}

// planRetention adds to the plan the row updates that anonymise closed
// cases older than retention.anonymize_after_days (UU 27/2022). It runs
// after the intake decisions, on the cases as they will be written, and
// merges with an update the intake already planned for the same row.
func (e *Engine) planRetention(snap *rules.Snapshot, p *plan, now time.Time, rep *Report) *retention {
	days := e.o.Config.Retention.AnonymizeAfterDays
	if days <= 0 {
		return &retention{}
	}
	busy := map[rules.Ticket]bool{}
	for _, d := range p.outbox {
		if d.Pending() {
			busy[d.Ticket] = true
		}
	}
	cases := make([]rules.TrackedCase, 0, len(snap.Cases))
	for _, c := range snap.Cases {
		if cur := p.cases[c.Ticket]; cur != nil {
			cases = append(cases, *cur)
		}
	}
	now = now.In(e.loc)
	r := &retention{due: rules.DueForAnonymization(cases, days, now, busy)}
	for _, t := range r.due {
		c := p.cases[t]
		c.Case = rules.Anonymize(c.Case, now)
		merged := false
		for i := range p.updates {
			u := &p.updates[i]
			if u.Case.AnchorID != c.AnchorID {
				continue
			}
			u.Case = *c
			u.Fields = appendMissing(u.Fields, rules.AnonymizedFields)
			merged = true
		}
		if !merged {
			p.updates = append(p.updates, rules.CaseUpdate{Case: *c, Fields: append([]rules.CaseField(nil), rules.AnonymizedFields...)})
		}
	}
	for _, c := range cases {
		if rules.IsAnonymized(c.Case) {
			r.cleared = append(r.cleared, c.Ticket)
		}
	}
	r.cleared = append(r.cleared, r.due...)
	rep.Anonymized = len(r.due)
	return r
}

func appendMissing(fields, more []rules.CaseField) []rules.CaseField {
	have := map[rules.CaseField]bool{}
	for _, f := range fields {
		have[f] = true
	}
	for _, f := range more {
		if !have[f] {
			fields = append(fields, f)
			have[f] = true
		}
	}
	return fields
}

// finishRetention runs once the anonymised rows are written: it logs
// them by ticket, removes their long-value parts from the overflow tab
// and the failure details (which may quote an address) from their
// delivery records. Each step writes only when there is something left
// to clear, so a finished retention costs no API call.
func (e *Engine) finishRetention(ctx context.Context, tx TrackerTx, r *retention, p *plan) error {
	for _, t := range r.due {
		e.log.Info("kasus dianonimkan (retensi data)", "tiket", t.String())
	}
	if len(r.cleared) == 0 {
		return nil
	}
	if op, ok := tx.(OverflowPurger); ok {
		n, err := op.PurgeOverflow(ctx, r.cleared)
		if err != nil {
			return fmt.Errorf("clear long texts of anonymised cases: %w", err)
		}
		if n > 0 {
			e.log.Info("teks panjang kasus yang dianonimkan dihapus", "bagian", n)
		}
	}
	cleared := map[rules.Ticket]bool{}
	for _, t := range r.cleared {
		cleared[t] = true
	}
	var ds []rules.Delivery
	for _, d := range p.outbox {
		if cleared[d.Ticket] && d.Detail != "" && !d.Pending() && d.ID != "" {
			d.Detail = ""
			ds = append(ds, *d)
		}
	}
	if err := e.saveDeliveries(ctx, tx, ds); err != nil {
		return fmt.Errorf("clear email details of anonymised cases: %w", err)
	}
	return nil
}
