package fake

import (
	"reflect"
	gosync "sync"
	"testing"
	"time"

	"google.golang.org/api/forms/v1"
)

// TestCloneClassifiesEveryServerField: Clone copies the Server's state
// fields and New builds the rest. A field added to Server must be put on
// one side here, so that new state is never silently shared between a
// server and its clone.
func TestCloneClassifiesEveryServerField(t *testing.T) {
	copied := map[string]bool{"forms": true, "sheets": true, "gmail": true, "faults": true,
		"calls": true, "bytes": true, "maxReq": true, "rng": true, "quota": true, "latency": true}
	built := map[string]bool{"opts": true, "methods": true, "routes": true, "handlers": true,
		"control": true, "mu": true, "fmu": true, "ln": true, "hs": true, "url": true,
		// the read cache starts empty in a clone: a generation count
		// restarted there must not meet bodies cached at the original's.
		"reads": true}
	st := reflect.TypeFor[Server]()
	for i := range st.NumField() {
		if name := st.Field(i).Name; !copied[name] && !built[name] {
			t.Errorf("Server.%s is neither copied by Clone nor built by New: add it to one (clone.go)", name)
		}
	}
}

// TestCloneSharesNothing walks a populated server's state and its clone's
// side by side: no pointer, map or slice array of one is reachable from
// the other (time.Location aside, which is immutable).
func TestCloneSharesNothing(t *testing.T) {
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	s, err := New(Options{NoListener: true, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.SeedForm(&forms.Form{Info: &forms.Info{Title: "Konsultasi"}, Items: []*forms.Item{{
		Title: "Nama", QuestionItem: &forms.QuestionItem{Question: &forms.Question{QuestionId: "0a1b2c3d", TextQuestion: &forms.TextQuestion{}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SubmitResponse(f.FormId, map[string]*forms.Answer{"0a1b2c3d": {TextAnswers: &forms.TextAnswers{Answers: []*forms.TextAnswer{{Value: "Ani"}}}}}, ""); err != nil {
		t.Fatal(err)
	}
	id, err := s.SeedSpreadsheet("Pelacak", "Konsultasi", "Riwayat")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetValues(id, "Konsultasi!A1:C2", [][]any{{"Nama", "Jumlah", "Tanggal"}, {"Budi", "=1+2", 46082}}, true); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.DeliverMessage("me", []byte("From: a@desa.example.id\r\nTo: kopi@example.go.id\r\nSubject: Balasan\r\n\r\nIsi.\r\n")); err != nil {
		t.Fatal(err)
	}
	if err := s.AddFault(Fault{Method: "sheets.spreadsheets.get", Status: 503}); err != nil {
		t.Fatal(err)
	}
	s.countCall("sheets.spreadsheets.get")
	s.countBytes("sheets.spreadsheets.get", 10)

	c, err := s.Clone(nil)
	if err != nil {
		t.Fatal(err)
	}
	reach := func(srv *Server) map[uintptr]string {
		seen := map[uintptr]string{}
		for _, v := range []any{&srv.forms, &srv.sheets, &srv.gmail, &srv.faults, &srv.calls, &srv.bytes, &srv.maxReq, &srv.rng, &srv.quota} {
			addresses(reflect.ValueOf(v).Elem(), seen)
		}
		return seen
	}
	orig, clone := reach(s), reach(c)
	if len(orig) < 50 {
		t.Fatalf("the walk reached only %d objects of a populated server", len(orig))
	}
	if len(clone) != len(orig) {
		t.Errorf("the clone holds %d objects, the original %d", len(clone), len(orig))
	}
	for p, what := range clone {
		if w, ok := orig[p]; ok {
			t.Errorf("the clone shares a %s with the original (%s)", what, w)
		}
	}
}

// addresses records every pointer, map and slice array reachable from v.
func addresses(v reflect.Value, seen map[uintptr]string) {
	v = open(v)
	t := v.Type()
	if t == timeType || t == locationType {
		return
	}
	if t == storedCellType {
		// a cell's CellData is behind an unsafe.Pointer
		if cd := v.Interface().(storedCell).data(); cd != nil {
			addresses(reflect.ValueOf(cd), seen)
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Map:
		if v.IsNil() {
			return
		}
		if _, ok := seen[v.Pointer()]; ok {
			return
		}
		seen[v.Pointer()] = t.String()
		if t.Kind() == reflect.Pointer {
			addresses(v.Elem(), seen)
			return
		}
		for it := v.MapRange(); it.Next(); {
			addresses(it.Key(), seen)
			addresses(it.Value(), seen)
		}
	case reflect.Slice:
		if v.Cap() == 0 {
			return
		}
		seen[v.Pointer()] = t.String()
		for i := range v.Len() {
			addresses(v.Index(i), seen)
		}
	case reflect.Array:
		for i := range v.Len() {
			addresses(v.Index(i), seen)
		}
	case reflect.Interface:
		if !v.IsNil() {
			addresses(v.Elem(), seen)
		}
	case reflect.Struct:
		for i := range t.NumField() {
			addresses(v.Field(i), seen)
		}
	}
}

// TestCloneRefusesALockInTheState: a mutex held in the stored state,
// even inside a struct of plain fields, would be copied in whatever state
// it is in; the copy panics instead of sharing or copying it.
func TestCloneRefusesALockInTheState(t *testing.T) {
	type guarded struct {
		n  int
		mu gosync.Mutex
	}
	var src, dst struct{ g guarded }
	src.g.n = 1
	src.g.mu.Lock() // the state a copy taken mid-change would carry
	defer src.g.mu.Unlock()
	defer func() {
		if recover() == nil {
			t.Error("copying a struct holding a sync.Mutex did not panic")
		}
	}()
	cp := copier{seen: map[copyKey]reflect.Value{}, deep: map[reflect.Type][]int{}}
	cp.into(&dst, &src)
}
