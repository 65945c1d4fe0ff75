package main

import (
	"flag"
	"io"
	"reflect"
	"testing"

	"kopi/google/fake"
)

// TestFakeBehaviourFlagsCoverOptions: every boolean behaviour option of
// fake.Options has its kopi fake-workspace flag, and each flag sets its
// own option.
func TestFakeBehaviourFlagsCoverOptions(t *testing.T) {
	covered := map[string]bool{}
	for _, b := range behaviourFlagTable {
		var o fake.Options
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		behaviourFlags(fs, &o)
		if err := fs.Parse([]string{"--" + b.name}); err != nil {
			t.Fatal(err)
		}
		v := reflect.ValueOf(o)
		set := 0
		for i := 0; i < v.NumField(); i++ {
			if v.Field(i).Kind() == reflect.Bool && v.Field(i).Bool() {
				covered[v.Type().Field(i).Name] = true
				set++
			}
		}
		if set != 1 || !*b.field(&o) {
			t.Errorf("--%s sets %d options", b.name, set)
		}
	}
	typ := reflect.TypeOf(fake.Options{})
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		if f.Type.Kind() == reflect.Bool && f.Name != "NoListener" && !covered[f.Name] {
			t.Errorf("fake.Options.%s has no kopi fake-workspace flag", f.Name)
		}
	}
}
