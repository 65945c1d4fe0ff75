package fake

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"google.golang.org/api/sheets/v4"
)

// gridSpan is a GridRange resolved against its tab: half-open intervals
// with unbounded sides replaced by the grid's size.
type gridSpan struct {
	tab    *tab
	r0, r1 int64
	c0, c1 int64
}

// gridRange resolves and validates a GridRange. The official clients omit
// zero indexes, so an end index of 0 reads as unbounded, as on the wire.
func (op *batchOp) gridRange(g *sheets.GridRange) (gridSpan, error) {
	if g == nil {
		return gridSpan{}, op.fail("A range is required.")
	}
	t := op.ss.tabByID(g.SheetId)
	if t == nil {
		return gridSpan{}, op.fail("No grid with id: %d", g.SheetId)
	}
	sp := gridSpan{tab: t, r0: g.StartRowIndex, r1: g.EndRowIndex, c0: g.StartColumnIndex, c1: g.EndColumnIndex}
	if sp.r1 == 0 {
		sp.r1 = t.rowCount()
	}
	if sp.c1 == 0 {
		sp.c1 = t.colCount()
	}
	if sp.r0 < 0 || sp.c0 < 0 {
		return gridSpan{}, op.fail("GridRange indexes must be non-negative.")
	}
	if sp.r0 > sp.r1 {
		return gridSpan{}, op.fail("The start row index (%d) must be less than or equal to the end row index (%d).", sp.r0, sp.r1)
	}
	if sp.c0 > sp.c1 {
		return gridSpan{}, op.fail("The start column index (%d) must be less than or equal to the end column index (%d).", sp.c0, sp.c1)
	}
	if sp.r1 > t.rowCount() || sp.c1 > t.colCount() {
		return gridSpan{}, op.fail("Range (%s) exceeds grid limits. Max rows: %d, max columns: %d",
			spanA1(t, sp.r0, sp.r1, sp.c0, sp.c1), t.rowCount(), t.colCount())
	}
	return sp, nil
}

// dimSpan is a DimensionRange resolved against its tab.
type dimSpan struct {
	tab        *tab
	rows       bool
	start, end int64
}

func (d dimSpan) count() int64 {
	if d.rows {
		return d.tab.rowCount()
	}
	return d.tab.colCount()
}

// dimRange resolves and validates a DimensionRange; unbounded sides become
// 0 and the dimension's size.
func (op *batchOp) dimRange(d *sheets.DimensionRange) (dimSpan, error) {
	if d == nil {
		return dimSpan{}, op.fail("A dimension range is required.")
	}
	t := op.ss.tabByID(d.SheetId)
	if t == nil {
		return dimSpan{}, op.fail("No grid with id: %d", d.SheetId)
	}
	var ds dimSpan
	switch d.Dimension {
	case "ROWS":
		ds = dimSpan{tab: t, rows: true}
	case "COLUMNS":
		ds = dimSpan{tab: t}
	default:
		return dimSpan{}, op.fail("A dimension (ROWS or COLUMNS) must be specified.")
	}
	ds.start, ds.end = d.StartIndex, d.EndIndex
	if ds.end == 0 {
		ds.end = ds.count()
	}
	if ds.start < 0 || ds.start > ds.end {
		return dimSpan{}, op.fail("Invalid dimension range: start index %d, end index %d.", ds.start, ds.end)
	}
	if ds.end > ds.count() {
		return dimSpan{}, op.fail("Range exceeds grid limits. Max %s: %d", strings.ToLower(d.Dimension), ds.count())
	}
	return ds, nil
}

// spanA1 renders a block as A1 notation for error messages.
func spanA1(t *tab, r0, r1, c0, c1 int64) string {
	return "'" + t.props.Title + "'!" + batchColName(c0) + strconv.FormatInt(r0+1, 10) + ":" + batchColName(c1-1) + strconv.FormatInt(r1, 10)
}

// batchColName converts a zero-based column index to letters (0 → A).
func batchColName(c int64) string {
	var b []byte
	for c >= 0 {
		b = append([]byte{byte('A' + c%26)}, b...)
		c = c/26 - 1
	}
	return string(b)
}

// maskMerge applies a field mask the way Google's update requests do:
// every listed field is copied from src into a copy of dst, and a listed
// field that src leaves unset is cleared. "*" replaces everything. The
// paths are checked against T's JSON fields.
func maskMerge[T any](op *batchOp, dst, src *T, fields string) (*T, error) {
	paths, err := maskPaths[T](op, fields)
	if err != nil {
		return nil, err
	}
	return applyMask(dst, src, paths), nil
}

// maskPaths parses and validates a field mask for type T; nil means "*".
func maskPaths[T any](op *batchOp, fields string) ([][]string, error) {
	fields = strings.TrimSpace(fields)
	if fields == "" {
		return nil, op.fail("At least one field must be specified.")
	}
	if fields == "*" {
		return nil, nil
	}
	var paths [][]string
	var zero T
	list, ok := expandMask(fields)
	if !ok {
		return nil, op.fail("Invalid field mask: %q.", fields)
	}
	for _, f := range list {
		path := strings.Split(f, ".")
		if !maskPathValid(reflect.TypeOf(zero), path) {
			return nil, op.fail("Invalid field mask: %q is not a field of %s.", f, reflect.TypeOf(zero).Name())
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// applyMask copies the masked paths from src into a copy of dst (nil paths
// mean the whole value).
func applyMask[T any](dst, src *T, paths [][]string) *T {
	if paths == nil {
		if src == nil {
			return new(T)
		}
		c := *src
		return &c
	}
	if out, ok := applyTopMask(dst, src, paths); ok {
		return out
	}
	d := toJSONMap(dst)
	s := toJSONMap(src)
	for _, p := range paths {
		v, ok := getPath(s, p)
		setPath(d, p, v, ok)
	}
	out := new(T)
	b, _ := json.Marshal(d)
	_ = json.Unmarshal(b, out)
	return out
}

// applyTopMask is applyMask for masks of top-level fields only, the
// common case ("userEnteredValue"), without a JSON round trip: the listed
// fields are copied as they are (nil clears), and the result carries no
// ForceSendFields or NullFields, as a decoded JSON value would not.
func applyTopMask[T any](dst, src *T, paths [][]string) (*T, bool) {
	out := new(T)
	ov := reflect.ValueOf(out).Elem()
	if ov.Kind() != reflect.Struct {
		return nil, false
	}
	var fields []int
	for _, p := range paths {
		if len(p) != 1 {
			return nil, false
		}
		i, ok := jsonField(ov.Type(), p[0])
		if !ok {
			return nil, false
		}
		fields = append(fields, i)
	}
	if dst != nil {
		*out = *dst
	}
	for _, i := range fields {
		f := ov.Field(i)
		if src == nil {
			f.SetZero()
		} else {
			f.Set(reflect.ValueOf(src).Elem().Field(i))
		}
	}
	for _, name := range []string{"ForceSendFields", "NullFields"} {
		if f := ov.FieldByName(name); f.IsValid() {
			f.SetZero()
		}
	}
	return out, true
}

// jsonFields caches jsonField's answers by type and name.
var jsonFields sync.Map

type jsonFieldKey struct {
	t    reflect.Type
	name string
}

// jsonField finds a struct field by its JSON name.
func jsonField(t reflect.Type, name string) (int, bool) {
	key := jsonFieldKey{t, name}
	if i, ok := jsonFields.Load(key); ok {
		return i.(int), i.(int) >= 0
	}
	found := -1
	for i := 0; i < t.NumField(); i++ {
		n, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if n == name && n != "" && n != "-" {
			found = i
			break
		}
	}
	jsonFields.Store(key, found)
	return found, found >= 0
}

func maskPathValid(t reflect.Type, path []string) bool {
	for _, seg := range path {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return false
		}
		found := false
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == seg && name != "" && name != "-" {
				t, found = f.Type, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func toJSONMap(v any) map[string]any {
	m := map[string]any{}
	if reflect.ValueOf(v).IsNil() {
		return m
	}
	b, _ := json.Marshal(v)
	_ = json.Unmarshal(b, &m)
	return m
}

func getPath(m map[string]any, path []string) (any, bool) {
	var cur any = m
	for _, seg := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = mm[seg]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func setPath(m map[string]any, path []string, v any, present bool) {
	for _, seg := range path[:len(path)-1] {
		next, ok := m[seg].(map[string]any)
		if !ok {
			if !present {
				return
			}
			next = map[string]any{}
			m[seg] = next
		}
		m = next
	}
	last := path[len(path)-1]
	if present {
		m[last] = v
	} else {
		delete(m, last)
	}
}

// expandMask splits a field mask into dotted paths, expanding Google's
// sub-selection syntax: "gridProperties(rowCount,columnCount),title".
func expandMask(mask string) ([]string, bool) {
	var out []string
	depth, start := 0, 0
	for i := 0; i <= len(mask); i++ {
		if i < len(mask) {
			switch mask[i] {
			case '(':
				depth++
				continue
			case ')':
				depth--
				if depth < 0 {
					return nil, false
				}
				continue
			case ',':
				if depth > 0 {
					continue
				}
			default:
				continue
			}
		}
		part := strings.TrimSpace(mask[start:i])
		start = i + 1
		if part == "" {
			return nil, false
		}
		open := strings.IndexByte(part, '(')
		if open < 0 {
			out = append(out, part)
			continue
		}
		if !strings.HasSuffix(part, ")") || open == 0 {
			return nil, false
		}
		inner, ok := expandMask(part[open+1 : len(part)-1])
		if !ok {
			return nil, false
		}
		for _, in := range inner {
			out = append(out, strings.TrimSpace(part[:open])+"."+in)
		}
	}
	return out, depth == 0
}
