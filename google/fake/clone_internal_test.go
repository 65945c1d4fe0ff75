package fake

import (
	"reflect"
	gosync "sync"
	"testing"
	"time"

	"google.golang.org/api/forms/v1"
	"google.golang.org/api/sheets/v4"
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
// side by side: what one server changes in place is not reachable from
// the other. Shared may be only what the Sheets model never changes in
// place (sheets_model.go): rows and columns and everything they hold,
// values of the API's types (cells, properties, developer metadata,
// protected ranges, ...) and a tab's built row and column positions —
// and a shared row or column is of neither side's generation, so each
// copies it before changing it. Everything else — the stores, each
// spreadsheet and tab, their lists (of tabs, rows, columns, metadata,
// protected ranges, ...), the metadata index, forms, mail, faults,
// counts — is the clone's own (time.Location aside, which is immutable).
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
	s.mu.Lock()
	ss := s.sheets.byID[id]
	ss.tabs[0].mutRow(1).meta = []*sheets.DeveloperMetadata{{MetadataId: 7, MetadataKey: "kopi.row", MetadataValue: "KOPI-2025-00001"}}
	ss.metaIndex() // built, as a metadata lookup leaves it
	ss.tabs[0].rowIndex(0)
	s.mu.Unlock()
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
	reach := func(srv *Server) (own, cow map[uintptr]string) {
		own, cow = map[uintptr]string{}, map[uintptr]string{}
		for _, v := range []any{&srv.forms, &srv.sheets, &srv.gmail, &srv.faults, &srv.calls, &srv.bytes, &srv.maxReq, &srv.rng, &srv.quota} {
			addresses(reflect.ValueOf(v).Elem(), own, cow)
		}
		return own, cow
	}
	orig, origCOW := reach(s)
	clone, cloneCOW := reach(c)
	if len(orig) < 50 {
		t.Fatalf("the walk reached only %d objects of a populated server", len(orig))
	}
	if len(clone) != len(orig) || len(cloneCOW) != len(origCOW) {
		t.Errorf("the clone holds %d+%d objects, the original %d+%d", len(clone), len(cloneCOW), len(orig), len(origCOW))
	}
	for p, what := range clone {
		if w, ok := orig[p]; ok {
			t.Errorf("the clone shares a %s with the original (%s)", what, w)
		} else if w, ok := origCOW[p]; ok {
			t.Errorf("the clone's own %s is copy-on-write state of the original (%s)", what, w)
		}
	}
	for p, what := range cloneCOW {
		if w, ok := orig[p]; ok {
			t.Errorf("the clone's copy-on-write %s is the original's own %s", what, w)
		}
	}
	// Each side copies a shared row or column before changing it.
	gens := func(srv *Server) map[any]uint64 {
		held := map[any]uint64{} // row or column -> generation of the tab holding it
		for _, ss := range srv.sheets.byID {
			for _, tb := range ss.tabs {
				for _, r := range tb.rows {
					held[r] = tb.gen
				}
				for _, col := range tb.cols {
					held[col] = tb.gen
				}
			}
		}
		return held
	}
	shared := 0
	origGens, cloneGens := gens(s), gens(c)
	for dim, g := range cloneGens {
		og, ok := origGens[dim]
		if !ok {
			continue
		}
		shared++
		if g == og {
			t.Fatalf("the original and the clone hold a row or column in tabs of the same generation %d", g)
		}
		var own uint64
		switch d := dim.(type) {
		case *gridRow:
			own = d.gen
		case *gridCol:
			own = d.gen
		}
		if own == g || own == og {
			t.Fatalf("a shared row or column is of generation %d, which a tab holding it (%d, %d) changes in place", own, og, g)
		}
	}
	if shared == 0 {
		t.Error("the clone shares no row or column: the test no longer sees what Clone shares")
	}
}

// addresses records every pointer, map and slice array reachable from v:
// below a row, a column, a value of the Sheets API's types or a tab's
// positions (what the model never changes in place) in cow, the rest in
// own.
func addresses(v reflect.Value, own, cow map[uintptr]string) {
	v = open(v)
	t := v.Type()
	if t == timeType || t == locationType {
		return
	}
	if t == gridRowPtr || t == gridColPtr || t == positionsType ||
		t.Kind() == reflect.Pointer && t.Elem().PkgPath() == sheetsAPIPath {
		own = cow
	}
	if t == storedCellType {
		// a cell's CellData is behind an unsafe.Pointer
		if cd := v.Interface().(storedCell).data(); cd != nil {
			addresses(reflect.ValueOf(cd), own, cow)
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Map:
		if v.IsNil() {
			return
		}
		if _, ok := own[v.Pointer()]; ok {
			return
		}
		own[v.Pointer()] = t.String()
		if t.Kind() == reflect.Pointer {
			addresses(v.Elem(), own, cow)
			return
		}
		for it := v.MapRange(); it.Next(); {
			addresses(it.Key(), own, cow)
			addresses(it.Value(), own, cow)
		}
	case reflect.Slice:
		if v.Cap() == 0 {
			return
		}
		own[v.Pointer()] = t.String()
		for i := range v.Len() {
			addresses(v.Index(i), own, cow)
		}
	case reflect.Array:
		for i := range v.Len() {
			addresses(v.Index(i), own, cow)
		}
	case reflect.Interface:
		if !v.IsNil() {
			addresses(v.Elem(), own, cow)
		}
	case reflect.Struct:
		for i := range t.NumField() {
			addresses(v.Field(i), own, cow)
		}
	}
}

var (
	gridRowPtr    = reflect.TypeFor[*gridRow]()
	gridColPtr    = reflect.TypeFor[*gridCol]()
	positionsType = reflect.TypeFor[map[uint64]int64]()
	sheetsAPIPath = reflect.TypeFor[sheets.CellData]().PkgPath()
)

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
