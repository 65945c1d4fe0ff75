package sop

import (
	"reflect"
	"testing"

	"kopi/rules"
)

// TestShippedDefinitionsParse checks that every shipped SOP is valid and
// transcribes its seed: ten Bimtek steps with four review steps, six
// KOPI steps with the step-3 standard of one working day.
func TestShippedDefinitionsParse(t *testing.T) {
	if got := IDs(); len(got) != 2 || got[0] != "bimtek" || got[1] != "kopi" {
		t.Fatalf("IDs() = %v, want [bimtek kopi]", got)
	}
	b, err := Load("bimtek")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Steps) != 10 {
		t.Fatalf("bimtek has %d steps, want 10", len(b.Steps))
	}
	var reviews []int
	for _, s := range b.Steps {
		if len(s.Decisions) > 0 {
			reviews = append(reviews, s.No)
		}
	}
	if len(reviews) != 4 || reviews[0] != 4 || reviews[1] != 5 || reviews[2] != 8 || reviews[3] != 9 {
		t.Errorf("bimtek review steps = %v, want [4 5 8 9]", reviews)
	}
	if s, _ := b.Step(6); len(s.Choices) != 3 || s.StandardFor("3d") != rules.MustSpan("3d") || s.StandardFor("") != rules.MustSpan("1d") {
		t.Errorf("bimtek step 6 choices = %v", s.Choices)
	}
	k := KOPI()
	if s, _ := k.Step(rules.StepAnswer); s.Standard != rules.MustSpan("1d") {
		t.Errorf("kopi step 3 standard = %v, want 1d", s.Standard)
	}
	// The office's configured standards replace the shipped ones.
	o := k.WithStandards([]rules.Step{{No: 3, Standard: rules.MustSpan("2d")}, {No: 9, Standard: rules.MustSpan("1h")}})
	if s, _ := o.Step(3); s.Standard != rules.MustSpan("2d") {
		t.Errorf("override: step 3 standard = %v", s.Standard)
	}
	if s, _ := k.Step(3); s.Standard != rules.MustSpan("1d") {
		t.Errorf("override changed the shipped definition: %v", s.Standard)
	}
	if _, err := Load("tidak-ada"); err == nil {
		t.Error("Load of an unknown SOP succeeded")
	}
}

// TestLoadHandsOutCopies: the shipped files are parsed once, so what one
// caller changes in its definition must not reach the next caller.
func TestLoadHandsOutCopies(t *testing.T) {
	for _, id := range IDs() {
		a, err := Load(id)
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := rules.ParseSOP("sop/"+id+".yaml", mustRead(t, id+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		a.Name = "diubah"
		a.Roles[0] = "diubah"
		a.Steps[0].Action = "diubah"
		a.Steps = a.Steps[:1]
		b, err := Load(id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(b, fresh) {
			t.Errorf("%s: Load after a caller changed its copy = %+v, want the file's definition %+v", id, b, fresh)
		}
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	data, err := files.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
