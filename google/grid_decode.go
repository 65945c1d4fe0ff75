package google

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"google.golang.org/api/sheets/v4"
)

// The cycle's read decodes the body of spreadsheets.get itself, into
// each cell's text: the official client decodes every cell into a
// sheets.CellData (about 250 bytes of pointers before its value) and an
// ExtendedValue, so at 2,000 live cases a read held some 40 MB of cell
// structs at once only for Read to turn them into strings. The request
// is still built, sent, retried and checked for errors by the official
// client; only a successful body is taken over (rawTransport).

// rawKey marks a request's context: its successful response body goes
// to the *rawBody it holds instead of to the official client.
type rawKey struct{}

// rawBody holds a response body handed over by rawTransport.
type rawBody struct{ data []byte }

// withRawBody returns a context under which a call's successful
// response body is handed to the returned holder; the official client
// then decodes an empty object.
func withRawBody(ctx context.Context) (context.Context, *rawBody) {
	h := &rawBody{}
	return context.WithValue(ctx, rawKey{}, h), h
}

// rawTransport hands the 2xx response body of a request marked by
// withRawBody to its holder. Every other response, and every request
// not marked, passes through untouched, so errors reach the official
// client (and the retry loop) exactly as before. The body is read here,
// within the exchange: an http.Client with a Timeout cancels the
// request once the official client closes the body it was given, so a
// body read after that would fail; and a failure while reading is the
// exchange's, classed as any transport failure.
type rawTransport struct{ base http.RoundTripper }

func (t rawTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := t.base.RoundTrip(req)
	if err != nil {
		return res, err
	}
	if h, ok := req.Context().Value(rawKey{}).(*rawBody); ok && res.StatusCode/100 == 2 {
		data, err := readBody(res)
		_ = res.Body.Close()
		if err != nil {
			return nil, err
		}
		h.data = data
		res.Body = io.NopCloser(strings.NewReader("{}"))
		res.ContentLength = 2
	}
	return res, nil
}

// readBody reads a response body whole: into one buffer of its
// announced length when it has one (a read of 50,000 rows would grow
// one by doubling, copying it each time), as io.ReadAll otherwise.
func readBody(res *http.Response) ([]byte, error) {
	n := res.ContentLength
	if n <= 0 || n > 1<<30 {
		return io.ReadAll(res.Body)
	}
	buf := bytes.NewBuffer(make([]byte, 0, n+bytes.MinRead))
	_, err := buf.ReadFrom(res.Body)
	return buf.Bytes(), err
}

// gridSpreadsheet is the part of a spreadsheets.get response under
// readFields, each cell decoded to its text.
type gridSpreadsheet struct {
	Sheets []gridSheet `json:"sheets"`
}

type gridSheet struct {
	Properties *sheets.SheetProperties `json:"properties"`
	Data       []gridData              `json:"data"`
}

type gridData struct {
	StartRow       int64                         `json:"startRow"`
	StartColumn    int64                         `json:"startColumn"`
	RowData        []gridRow                     `json:"rowData"`
	RowMetadata    []*sheets.DimensionProperties `json:"rowMetadata"`
	ColumnMetadata []*sheets.DimensionProperties `json:"columnMetadata"`
}

type gridRow struct {
	Values []gridCell `json:"values"`
}

// gridCell is a cell's text as cellText reads it.
type gridCell string

// plainCellPrefix and plainCellSuffix frame the commonest cell, a string
// entered as such: {"userEnteredValue":{"stringValue":"..."}}.
var (
	plainCellPrefix = []byte(`{"userEnteredValue":{"stringValue":`)
	plainCellSuffix = []byte(`}}`)
)

// UnmarshalJSON decodes a CellData under cellFields into its text. A
// plain string cell is read without building a CellData: when the bytes
// between the frame are exactly one JSON string, the cell can be nothing
// else. Every other cell goes through the API's types and cellText.
func (c *gridCell) UnmarshalJSON(b []byte) error {
	if string(b) == "{}" || string(b) == "null" {
		*c = ""
		return nil
	}
	if bytes.HasPrefix(b, plainCellPrefix) && bytes.HasSuffix(b, plainCellSuffix) {
		mid := bytes.TrimSpace(b[len(plainCellPrefix) : len(b)-len(plainCellSuffix)])
		var s string
		if len(mid) > 0 && mid[0] == '"' && json.Unmarshal(mid, &s) == nil {
			*c = gridCell(s)
			return nil
		}
	}
	var cd sheets.CellData
	if err := json.Unmarshal(b, &cd); err != nil {
		return err
	}
	*c = gridCell(cellText(&cd))
	return nil
}

// texts returns a row's cell texts, as rowTexts returns them for the
// same row decoded by the official client.
func (r gridRow) texts() []string {
	out := make([]string, len(r.Values))
	for i, v := range r.Values {
		out[i] = string(v)
	}
	return out
}

// decodeGrid decodes a handed-over body of spreadsheets.get.
func decodeGrid(h *rawBody) (*gridSpreadsheet, error) {
	if h.data == nil {
		return nil, errors.New("spreadsheets.get: no response body")
	}
	data := h.data
	h.data = nil
	var ss gridSpreadsheet
	if err := json.Unmarshal(data, &ss); err != nil {
		return nil, err
	}
	return &ss, nil
}

// table decodes a sheet of the read into a Table, as tableFromGrid does
// for the same sheet decoded by the official client.
func (sh *gridSheet) table(schema TabSchema) *Table {
	var rows [][]string
	var rowMeta, colMeta []*sheets.DimensionProperties
	for i := range sh.Data {
		g := &sh.Data[i]
		if g.StartRow != 0 || g.StartColumn != 0 {
			continue
		}
		rows = make([][]string, len(g.RowData))
		for j, r := range g.RowData {
			rows[j] = r.texts()
		}
		rowMeta, colMeta = g.RowMetadata, g.ColumnMetadata
		// the cells' texts are copied out: the decoded rows can go
		g.RowData = nil
	}
	return tableFromRows(schema, sh.Properties, rows, rowMeta, colMeta)
}

// A layout read (readLayout, or a commit's read-back) returns the header
// row and the whole ticket column with every row's anchors: at 50,000
// cases, 50,000 rows. The layout types decode it without the API's
// types: a cell to its text (gridCell), a row's metadata to its keys and
// values.

// layoutResponse is the part of a batchUpdate response a commit that
// reads its layout back asks for.
type layoutResponse struct {
	UpdatedSpreadsheet *layoutSpreadsheet `json:"updatedSpreadsheet"`
}

// layoutSpreadsheet is a spreadsheet under layoutFields.
type layoutSpreadsheet struct {
	Sheets []layoutSheet `json:"sheets"`
}

type layoutSheet struct {
	Data []layoutGrid `json:"data"`
}

// layoutGrid is one range's grid data under layoutFields. The columns
// (a header's worth) keep the API's type, as a read's do (columnIDs).
type layoutGrid struct {
	RowData        []gridRow                     `json:"rowData"`
	RowMetadata    []layoutDimension             `json:"rowMetadata"`
	ColumnMetadata []*sheets.DimensionProperties `json:"columnMetadata"`
}

// layoutDimension is a row's developer metadata, key and value.
type layoutDimension struct {
	DeveloperMetadata []struct {
		MetadataKey   string `json:"metadataKey"`
		MetadataValue string `json:"metadataValue"`
	} `json:"developerMetadata"`
}

// value is the first value of a key's metadata on the row, as metaValue.
func (d layoutDimension) value(key string) (string, bool) {
	for _, m := range d.DeveloperMetadata {
		if m.MetadataKey == key {
			return m.MetadataValue, true
		}
	}
	return "", false
}

// values are every value of a key's metadata on the row, as metaValues.
func (d layoutDimension) values(key string) []string {
	var out []string
	for _, m := range d.DeveloperMetadata {
		if m.MetadataKey == key {
			out = append(out, m.MetadataValue)
		}
	}
	return out
}

// decodeLayout decodes a handed-over body of a layout read.
func decodeLayout(h *rawBody) (*layoutSpreadsheet, error) {
	if h.data == nil {
		return nil, errors.New("spreadsheets.get: no response body")
	}
	data := h.data
	h.data = nil
	var ss layoutSpreadsheet
	if err := json.Unmarshal(data, &ss); err != nil {
		return nil, err
	}
	return &ss, nil
}

// decodeLayoutResponse decodes a handed-over body of a commit that read
// its layout back.
func decodeLayoutResponse(h *rawBody) (*layoutResponse, error) {
	if h.data == nil {
		return nil, errors.New("spreadsheets.batchUpdate: no response body")
	}
	data := h.data
	h.data = nil
	var r layoutResponse
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, err
	}
	return &r, nil
}
