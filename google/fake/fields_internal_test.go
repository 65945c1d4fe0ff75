package fake

import (
	"encoding/json"
	"reflect"
	"testing"
)

// apply trims a decoded JSON value to the mask: the reference
// copyJSON is checked against. Arrays apply the mask to
// each element; "*" keeps every key of a level.
func (m fieldMask) apply(v any) any {
	if m == nil {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range x {
			sub, ok := m[k]
			if !ok {
				sub, ok = m["*"]
			}
			if ok {
				out[k] = sub.apply(val)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = m.apply(e)
		}
		return out
	}
	return v
}

func TestTrimToFieldsMatchesDecodedTrim(t *testing.T) {
	doc := map[string]any{
		"spreadsheetId": "x{y}",
		"sheets": []any{
			map[string]any{
				"properties": map[string]any{"title": "a\"b]", "sheetId": 0.0, "index": 3.0},
				"data": []any{map[string]any{
					"rowData":     []any{map[string]any{"values": []any{map[string]any{"userEnteredValue": map[string]any{"stringValue": "=1,2}"}, "formattedValue": "<x>"}}}},
					"startRow":    2.0,
					"rowMetadata": []any{map[string]any{"pixelSize": 21.0, "developerMetadata": []any{map[string]any{"metadataKey": "k", "metadataId": 7.0}}}},
				}},
			},
			map[string]any{"properties": map[string]any{"title": "b"}, "charts": []any{}},
		},
		"properties": map[string]any{"title": "t", "locale": "en_US"},
	}
	for _, fields := range []string{
		"spreadsheetId",
		"sheets(properties(title,sheetId))",
		"sheets/properties/title,properties",
		"sheets(data(rowData(values(userEnteredValue)),rowMetadata(developerMetadata(metadataKey))))",
		"sheets(*)",
		"*",
		"sheets(data/startRow,charts)",
	} {
		m, err := parseFields(fields)
		if err != nil {
			t.Fatal(err)
		}
		got, err := trimToFields(doc, fields)
		if err != nil {
			t.Fatal(err)
		}
		var decoded any
		if err := json.Unmarshal(got.(json.RawMessage), &decoded); err != nil {
			t.Fatalf("%s: %v in %s", fields, err, got)
		}
		if want := m.apply(doc); !reflect.DeepEqual(decoded, want) {
			t.Errorf("%s:\n got %v\nwant %v", fields, decoded, want)
		}
	}
}
