package google

import (
	"testing"

	"kopi/rules"
)

// TestCaseColumnsCoverEveryField: every case field (rules.CaseFields,
// each with its write rule) has exactly one column, every column is a
// case field, and a column kopi writes after creating the row can be
// read back — so a field left out of the table, or of the write rules,
// fails here instead of being silently never written.
func TestCaseColumnsCoverEveryField(t *testing.T) {
	rule := map[rules.CaseField]rules.WriteRule{}
	for _, fr := range rules.CaseFields {
		rule[fr.Field] = fr.Rule
	}
	cols := map[rules.CaseField]int{}
	for _, c := range caseColumns {
		cols[c.field]++
		if rule[c.field] == "" {
			t.Errorf("column %q: field %s has no write rule in rules.CaseFields", c.header, c.field)
		}
		if c.get == nil || c.header == "" {
			t.Errorf("column of %s lacks its header or renderer", c.field)
		}
	}
	for _, fr := range rules.CaseFields {
		if cols[fr.Field] != 1 {
			t.Errorf("field %s has %d columns, want 1", fr.Field, cols[fr.Field])
		}
	}
	for _, c := range caseColumns {
		switch rule[c.field] {
		case rules.WriteOnEdit, rules.WriteOnSettle, rules.WriteOnAnswer:
			if c.set == nil {
				t.Errorf("field %s is rewritten by kopi but never read back", c.field)
			}
		}
	}
	if len(caseColumns) != len(rules.CaseFields) {
		t.Errorf("%d columns for %d fields", len(caseColumns), len(rules.CaseFields))
	}
}

// TestCaseRoundTrip: a case rendered into cells and read back is the
// same case, field by field.
func TestCaseRoundTrip(t *testing.T) {
	cfg := rules.DefaultConfig()
	tr := NewTracker(nil, cfg)
	in := rules.TrackedCase{}
	in.Ticket = rules.Ticket{Year: 2026, Seq: 7}
	in.AnchorID = rules.AnchorID(in.Ticket)
	in.Name, in.Unit, in.Email, in.WhatsApp, in.Topic, in.Question = "Ani", "Desa X", "ani@x.id", "0812", rules.TopicAudit, "Tanya?"
	in.Attachments = []string{"https://a", "https://b"}
	in.Status, in.Consultant, in.ConsultantEmail, in.Answer, in.Notes = rules.StatusDijawab, "Budi", "budi@x.id", "Jawab.", "Catatan"
	in.ResponseID = "r1"
	vals := tr.caseValues(in, nil)
	row := Row{Anchor: in.Ticket.String(), Cells: vals}
	out, problems := tr.caseFromRow(row)
	if len(problems) > 0 || out == nil {
		t.Fatalf("read back: %v", problems)
	}
	again := tr.caseValues(*out, nil)
	for k, v := range vals {
		if again[k] != v {
			t.Errorf("%s: %q → %q", k, v, again[k])
		}
	}
	if len(again) != len(vals) {
		t.Errorf("round trip: %v → %v", vals, again)
	}
}
