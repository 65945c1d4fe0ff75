package fake

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"time"
	"unsafe"

	"google.golang.org/api/sheets/v4"
)

// Clone returns a new Server holding a deep copy of this one's state:
// forms and their responses, spreadsheets, mailboxes and the sent record,
// queued faults, call and byte counts, the quota window and the id
// generator (the clone hands out the ids the original would have next).
// From then on each changes without the other seeing it.
//
// The clone has the original's Options except that now, when not nil,
// becomes its clock, and a listening original's clone listens on a new
// random loopback port (one created with NoListener stays in memory).
//
// A test that replays a long set-up before every run (a crash at every
// call, a simulation restarted from a known office) builds the office
// once and clones it per run instead; keep the set-up Server unused as the
// snapshot and clone it again for the next run.
func (s *Server) Clone(now func() time.Time) (*Server, error) {
	opts := s.opts
	if now != nil {
		opts.Now = now
	}
	if !opts.NoListener {
		opts.Addr = ""
	}
	c, err := New(opts)
	if err != nil {
		return nil, fmt.Errorf("clone the fake Workspace: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fmu.Lock()
	defer s.fmu.Unlock()
	cp := copier{seen: map[copyKey]reflect.Value{}, deep: map[reflect.Type][]int{}}
	cp.into(&c.forms, &s.forms)
	c.sheets = s.sheets.fork()
	cp.into(&c.gmail, &s.gmail)
	cp.into(&c.faults, &s.faults)
	cp.into(&c.calls, &s.calls)
	cp.into(&c.bytes, &s.bytes)
	cp.into(&c.maxReq, &s.maxReq)
	cp.into(&c.rng, &s.rng)
	cp.into(&c.quota, &s.quota)
	c.latency.Store(s.latency.Load())
	return c, nil
}

// fork gives a clone the store's spreadsheets without copying their
// grids: the original and the clone each get a copy of every spreadsheet
// (spreadsheet.clone: its own tabs, stamped with a generation of their
// own, and lists of rows and columns) sharing the rows and columns and
// what they hold — cells, properties, developer metadata, protected
// ranges and the like. The model changes none of those in place (see
// sheets_model.go): a change replaces the pointer, and a row or column
// is copied (mutRow, mutCol) before a tab of another generation changes
// it, so neither side sees the other's changes. The metadata index, which
// a copy does change in place, is copied. A crash test clones a tracker
// of thousands of rows at every call: the rows are shared, not walked.
func (st *sheetStore) fork() sheetStore {
	out := sheetStore{byID: make(map[string]*spreadsheet, len(st.byID))}
	for id, ss := range st.byID {
		mine, theirs := ss.clone(), ss.clone()
		theirs.metaIdx = maps.Clone(ss.metaIdx)
		st.byID[id], out.byID[id] = mine, theirs
	}
	return out
}

// copier deep-copies values by reflection, unexported fields included, so
// the fake's storage types need no copy code of their own and a field
// added to them is copied without anyone remembering to. Pointers and
// maps reached twice are copied once (seen), keeping what the original
// shares shared in the copy. Slices are copied element by element; two
// slices sharing one backing array become two arrays.
//
// time.Time and *time.Location are immutable and copied as they are (a
// copied Location would no longer be time.UTC); a storedCell's text is
// shared and its CellData copied. A func, channel, unsafe
// pointer or a value from package sync in the state is a bug the copy
// cannot fix, and panics.
type copier struct {
	seen map[copyKey]reflect.Value
	deep map[reflect.Type][]int // deepFields by struct type
}

// deepFields are the indexes of t's fields that hold pointers, maps,
// slices or interfaces (time.Time aside): what a struct assignment would
// share.
func (cp *copier) deepFields(t reflect.Type) []int {
	if f, ok := cp.deep[t]; ok {
		return f
	}
	var f []int
	for i := range t.NumField() {
		ft := t.Field(i).Type
		if !plain(ft) && ft != timeType && ft != locationType {
			f = append(f, i)
		}
	}
	cp.deep[t] = f
	return f
}

type copyKey struct {
	t reflect.Type
	p uintptr
}

var (
	timeType       = reflect.TypeFor[time.Time]()
	locationType   = reflect.TypeFor[*time.Location]()
	storedCellType = reflect.TypeFor[storedCell]()
	// storedCellsType is a row's cells.
	storedCellsType = reflect.TypeFor[[]storedCell]()
)

// into copies *src into *dst; both are pointers to the same type.
func (cp *copier) into(dst, src any) {
	cp.value(reflect.ValueOf(dst).Elem(), reflect.ValueOf(src).Elem())
}

// value copies src into dst, which is settable and of src's type.
func (cp *copier) value(dst, src reflect.Value) {
	src = open(src)
	t := src.Type()
	if t == timeType || t == locationType {
		dst.Set(src)
		return
	}
	if t == storedCellType {
		// Text is immutable and shared; a CellData is copied as any
		// pointer is (its unsafe.Pointer hides it from the walk).
		v := src.Interface().(storedCell)
		if cd := v.data(); cd != nil {
			var c *sheets.CellData
			cp.value(reflect.ValueOf(&c).Elem(), reflect.ValueOf(cd))
			v = dataCell(c)
		}
		dst.Set(reflect.ValueOf(v))
		return
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.String:
		dst.Set(src)
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		k := copyKey{t, src.Pointer()}
		if done, ok := cp.seen[k]; ok {
			dst.Set(done)
			return
		}
		p := reflect.New(t.Elem())
		cp.seen[k] = p
		dst.Set(p)
		cp.value(p.Elem(), src.Elem())
	case reflect.Map:
		if src.IsNil() {
			return
		}
		k := copyKey{t, src.Pointer()}
		if done, ok := cp.seen[k]; ok {
			dst.Set(done)
			return
		}
		m := reflect.MakeMapWithSize(t, src.Len())
		cp.seen[k] = m
		dst.Set(m)
		key, val := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
		for it := src.MapRange(); it.Next(); {
			key.SetZero()
			val.SetZero()
			cp.value(key, it.Key())
			cp.value(val, it.Value())
			m.SetMapIndex(key, val)
		}
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		if t == storedCellsType {
			// A row's cells, most of a spreadsheet: copied at once, and
			// only the CellData of the cells that have one walked.
			cells := slices.Clone(src.Interface().([]storedCell))
			for i, v := range cells {
				if cd := v.data(); cd != nil {
					cp.value(reflect.ValueOf(&cells[i]).Elem(), reflect.ValueOf(v))
				}
			}
			dst.Set(reflect.ValueOf(cells))
			return
		}
		s := reflect.MakeSlice(t, src.Len(), src.Len())
		dst.Set(s)
		if plain(t.Elem()) {
			reflect.Copy(s, src)
			return
		}
		for i := range src.Len() {
			cp.value(s.Index(i), src.Index(i))
		}
	case reflect.Array:
		for i := range src.Len() {
			cp.value(dst.Index(i), src.Index(i))
		}
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		e := src.Elem()
		v := reflect.New(e.Type()).Elem()
		cp.value(v, e)
		dst.Set(v)
	case reflect.Struct:
		if t.PkgPath() == "sync" || t.PkgPath() == "sync/atomic" {
			panic(fmt.Sprintf("fake: Clone cannot copy a %s held in the state", t))
		}
		// One assignment copies the fields that hold no pointers;
		// only the others are walked, and of those only the ones not
		// nil (the assignment copied a nil as nil): most of a row's and
		// a CellData's are nil, and each would be opened through
		// reflection for nothing.
		dst.Set(src)
		for _, i := range cp.deepFields(t) {
			if f := src.Field(i); !isNil(f) {
				cp.value(open(dst.Field(i)), f)
			}
		}
	default:
		panic(fmt.Sprintf("fake: Clone cannot copy a %s held in the state", t))
	}
}

// isNil reports whether v is a nil pointer, map, slice or interface.
func isNil(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return v.IsNil()
	}
	return false
}

// open makes a value reached through an unexported field usable as an
// ordinary one (readable with Set and Copy, settable when addressable):
// the copy reads and writes the fake's own unexported storage, which
// reflection alone refuses. A struct that is not addressable (a map
// value) is first copied into one that is, so its fields can be opened.
func open(v reflect.Value) reflect.Value {
	if v.CanInterface() {
		if v.Kind() == reflect.Struct && !v.CanAddr() {
			a := reflect.New(v.Type()).Elem()
			a.Set(v)
			return a
		}
		return v
	}
	if !v.CanAddr() {
		// Every value the copier reaches is opened on the way down, so
		// a read-only one is always a field of an addressable struct.
		panic(fmt.Sprintf("fake: Clone reached an unaddressable %s through an unexported field", v.Type()))
	}
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

// plain reports whether values of t hold no pointers, so a slice of them
// copies with one reflect.Copy.
func plain(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.String:
		return true
	case reflect.Array:
		return plain(t.Elem())
	case reflect.Struct:
		if t.PkgPath() == "sync" || t.PkgPath() == "sync/atomic" {
			return false // walked, so that the copy refuses it
		}
		for i := range t.NumField() {
			if !plain(t.Field(i).Type) {
				return false
			}
		}
		return true
	}
	return false
}
