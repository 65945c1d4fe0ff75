package fake_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/api/forms/v1"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/sheets/v4"

	"kopi/google/fake"
)

// trackerQuery is a read shaped like kopi's tracker read: a range with
// grid data, pruned by a field mask that names values, metadata,
// protection and properties.
var trackerQuery = url.Values{
	"ranges":          {"Sheet1!A1:E20", "Sheet2!A1:B5"},
	"includeGridData": {"true"},
	"fields": {"properties(title,locale),developerMetadata,sheets(properties(sheetId,title,index,gridProperties)," +
		"protectedRanges(range,description),developerMetadata," +
		"data(startRow,rowData(values(userEnteredValue,effectiveValue,formattedValue,note))," +
		"rowMetadata(pixelSize,hiddenByUser,developerMetadata),columnMetadata(pixelSize,developerMetadata)))"},
}

// rawGet reads spreadsheets.get's body as the server sent it.
func rawGet(t *testing.T, srv *fake.Server, id string, q url.Values, gzipped bool) []byte {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL()+"/v4/spreadsheets/"+url.PathEscape(id)+"?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if gzipped {
		req.Header.Set("Accept-Encoding", "gzip")
		req.Header.Set("User-Agent", "kopi (gzip)")
	}
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body io.Reader = resp.Body
	if gzipped {
		if got := resp.Header.Get("Content-Encoding"); got != "gzip" {
			t.Fatalf("Content-Encoding = %q, want gzip", got)
		}
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		body = zr
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("spreadsheets.get: %d %s", resp.StatusCode, b)
	}
	return b
}

// uncachedGet is what a server that never cached would answer: the same
// read on a clone, whose cache starts empty.
func uncachedGet(t *testing.T, srv *fake.Server, id string, q url.Values) []byte {
	t.Helper()
	c, err := srv.Clone(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	hits := fake.ReadCacheHits(c)
	b := rawGet(t, c, id, q, false)
	if fake.ReadCacheHits(c) != hits {
		t.Fatal("a clone's first read came from a cache")
	}
	return b
}

// seedCacheOffice makes a two-tab spreadsheet with values and a formula.
func seedCacheOffice(t *testing.T, b *bundle) string {
	t.Helper()
	id, err := b.srv.SeedSpreadsheet("Pelacak", "Sheet1", "Sheet2")
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{{"Nomor", "Nama", "Status", "Jumlah", "Total"}, {"KOPI-1", "Budi", "Baru", 2, "=D2*2"}, {"KOPI-2", "Sari", "Proses", 3, "=D3*2"}}
	if err := b.srv.SetValues(id, "Sheet1!A1:E3", rows, true); err != nil {
		t.Fatal(err)
	}
	return id
}

// sheetID is the sheetId of a tab.
func sheetID(t *testing.T, b *bundle, id, title string) int64 {
	t.Helper()
	ss, err := b.sheets.Spreadsheets.Get(id).Context(b.ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	for _, sh := range ss.Sheets {
		if sh.Properties.Title == title {
			return sh.Properties.SheetId
		}
	}
	t.Fatalf("no tab %s", title)
	return 0
}

// TestReadCacheSeesEveryMutation reads the spreadsheet twice (the second
// read is a cache hit), changes it one way, and reads again: the body
// must have changed and equal what an uncached server renders. Each way
// the fake can change a spreadsheet is a row, test helpers and a write
// whose answer a fault lost included.
func TestReadCacheSeesEveryMutation(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(t *testing.T, b *bundle, id string)
	}{
		{"values.update", func(t *testing.T, b *bundle, id string) {
			update(t, b, id, "Sheet1!C2", "RAW", [][]any{{"Selesai"}})
		}},
		{"values.update of a formula's input", func(t *testing.T, b *bundle, id string) {
			update(t, b, id, "Sheet1!D2", "USER_ENTERED", [][]any{{"5"}})
		}},
		{"values.batchUpdate", func(t *testing.T, b *bundle, id string) {
			req := &sheets.BatchUpdateValuesRequest{ValueInputOption: "RAW", Data: []*sheets.ValueRange{{Range: "Sheet2!A1", Values: [][]any{{"x"}}}}}
			if _, err := b.sheets.Spreadsheets.Values.BatchUpdate(id, req).Context(b.ctx).Do(); err != nil {
				t.Fatal(err)
			}
		}},
		{"values.append", func(t *testing.T, b *bundle, id string) {
			appendRows(t, b, id, "Sheet1!A1:E1", "INSERT_ROWS", [][]any{{"KOPI-3", "Wati"}})
		}},
		{"values.clear", func(t *testing.T, b *bundle, id string) {
			if _, err := b.sheets.Spreadsheets.Values.Clear(id, "Sheet1!B2", &sheets.ClearValuesRequest{}).Context(b.ctx).Do(); err != nil {
				t.Fatal(err)
			}
		}},
		{"values.batchClear", func(t *testing.T, b *bundle, id string) {
			req := &sheets.BatchClearValuesRequest{Ranges: []string{"Sheet1!A3:E3"}}
			if _, err := b.sheets.Spreadsheets.Values.BatchClear(id, req).Context(b.ctx).Do(); err != nil {
				t.Fatal(err)
			}
		}},
		{"batchUpdate updateCells", func(t *testing.T, b *bundle, id string) {
			mustBatch(t, b, id, &sheets.Request{UpdateCells: &sheets.UpdateCellsRequest{
				Start:  &sheets.GridCoordinate{SheetId: sheetID(t, b, id, "Sheet1"), RowIndex: 1, ColumnIndex: 1},
				Rows:   []*sheets.RowData{{Values: []*sheets.CellData{{Note: "catatan"}}}},
				Fields: "note",
			}})
		}},
		{"batchUpdate sheet properties", func(t *testing.T, b *bundle, id string) {
			mustBatch(t, b, id, &sheets.Request{UpdateSheetProperties: &sheets.UpdateSheetPropertiesRequest{
				Properties: &sheets.SheetProperties{SheetId: sheetID(t, b, id, "Sheet2"), Index: 0}, Fields: "index",
			}})
		}},
		{"batchUpdate spreadsheet properties", func(t *testing.T, b *bundle, id string) {
			mustBatch(t, b, id, &sheets.Request{UpdateSpreadsheetProperties: &sheets.UpdateSpreadsheetPropertiesRequest{
				Properties: &sheets.SpreadsheetProperties{Title: "Pelacak 2026"}, Fields: "title",
			}})
		}},
		{"batchUpdate insertDimension", func(t *testing.T, b *bundle, id string) {
			mustBatch(t, b, id, &sheets.Request{InsertDimension: &sheets.InsertDimensionRequest{
				Range: &sheets.DimensionRange{SheetId: sheetID(t, b, id, "Sheet1"), Dimension: "ROWS", StartIndex: 1, EndIndex: 2},
			}})
		}},
		{"batchUpdate sortRange", func(t *testing.T, b *bundle, id string) {
			mustBatch(t, b, id, &sheets.Request{SortRange: &sheets.SortRangeRequest{
				Range:     &sheets.GridRange{SheetId: sheetID(t, b, id, "Sheet1"), StartRowIndex: 1, EndRowIndex: 3, StartColumnIndex: 0, EndColumnIndex: 5},
				SortSpecs: []*sheets.SortSpec{{DimensionIndex: 1, SortOrder: "DESCENDING"}},
			}})
		}},
		{"batchUpdate addProtectedRange", func(t *testing.T, b *bundle, id string) {
			mustBatch(t, b, id, &sheets.Request{AddProtectedRange: &sheets.AddProtectedRangeRequest{ProtectedRange: &sheets.ProtectedRange{
				Range: &sheets.GridRange{SheetId: sheetID(t, b, id, "Sheet1"), StartRowIndex: 0, EndRowIndex: 1}, Description: "kepala", WarningOnly: true,
			}}})
		}},
		{"batchUpdate createDeveloperMetadata on a row", func(t *testing.T, b *bundle, id string) {
			mustBatch(t, b, id, &sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &sheets.DeveloperMetadata{
				MetadataKey: "kopi.row", MetadataValue: "KOPI-1", Visibility: "DOCUMENT",
				Location: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{SheetId: sheetID(t, b, id, "Sheet1"), Dimension: "ROWS", StartIndex: 1, EndIndex: 2}},
			}}})
		}},
		{"batchUpdate createDeveloperMetadata on the spreadsheet", func(t *testing.T, b *bundle, id string) {
			mustBatch(t, b, id, &sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &sheets.DeveloperMetadata{
				MetadataKey: "kopi.schema", MetadataValue: "3", Visibility: "DOCUMENT",
				Location: &sheets.DeveloperMetadataLocation{Spreadsheet: true},
			}}})
		}},
		{"test helper SetValues", func(t *testing.T, b *bundle, id string) {
			if err := b.srv.SetValues(id, "Sheet1!B3", [][]any{{"Sari Dewi"}}, false); err != nil {
				t.Fatal(err)
			}
		}},
		{"a write whose answer a fault dropped", func(t *testing.T, b *bundle, id string) {
			if err := b.srv.AddFault(fake.Fault{Method: "sheets.spreadsheets.values.update", DropAfterHandling: true}); err != nil {
				t.Fatal(err)
			}
			vr := &sheets.ValueRange{Values: [][]any{{"hilang"}}}
			if _, err := b.sheets.Spreadsheets.Values.Update(id, "Sheet1!C3", vr).ValueInputOption("RAW").Context(b.ctx).Do(); err == nil {
				t.Fatal("the dropped write answered")
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := setup(t)
			id := seedCacheOffice(t, b)
			before := rawGet(t, b.srv, id, trackerQuery, false)
			hits := fake.ReadCacheHits(b.srv)
			if again := rawGet(t, b.srv, id, trackerQuery, false); !bytes.Equal(again, before) {
				t.Fatalf("an unchanged spreadsheet read twice differs:\n%s\n%s", before, again)
			}
			if fake.ReadCacheHits(b.srv) != hits+1 {
				t.Fatal("the second identical read was not a cache hit")
			}
			tc.mutate(t, b, id)
			after := rawGet(t, b.srv, id, trackerQuery, false)
			if bytes.Equal(after, before) {
				t.Fatalf("the read after %s still answers the old body:\n%s", tc.name, after)
			}
			if fresh := uncachedGet(t, b.srv, id, trackerQuery); !bytes.Equal(after, fresh) {
				t.Fatalf("the read after %s differs from an uncached render:\n%s\n%s", tc.name, after, fresh)
			}
		})
	}
}

// TestReadCacheHitIsByteIdentical: a hit answers exactly the bytes an
// uncached server renders, plain and gzipped, for the reads kopi makes.
func TestReadCacheHitIsByteIdentical(t *testing.T) {
	b := setup(t)
	id := seedCacheOffice(t, b)
	mustBatch(t, b, id, &sheets.Request{CreateDeveloperMetadata: &sheets.CreateDeveloperMetadataRequest{DeveloperMetadata: &sheets.DeveloperMetadata{
		MetadataKey: "kopi.row", MetadataValue: "KOPI-2", Visibility: "DOCUMENT",
		Location: &sheets.DeveloperMetadataLocation{DimensionRange: &sheets.DimensionRange{SheetId: sheetID(t, b, id, "Sheet1"), Dimension: "ROWS", StartIndex: 2, EndIndex: 3}},
	}}})
	queries := []url.Values{
		trackerQuery,
		{},
		{"includeGridData": {"true"}},
		{"fields": {"sheets(properties(title))"}},
		{"fields": {"sheets(properties,protectedRanges),developerMetadata"}},
		{"ranges": {"Sheet1!B2:C3"}, "includeGridData": {"true"}},
	}
	for _, q := range queries {
		fresh := uncachedGet(t, b.srv, id, q)
		first := rawGet(t, b.srv, id, q, false)
		hits := fake.ReadCacheHits(b.srv)
		second := rawGet(t, b.srv, id, q, false)
		zipped := rawGet(t, b.srv, id, q, true)
		if fake.ReadCacheHits(b.srv) != hits+2 {
			t.Fatalf("%v: repeated reads were not cache hits", q)
		}
		for _, got := range [][]byte{first, second, zipped} {
			if !bytes.Equal(got, fresh) {
				t.Fatalf("%v: cached body differs from an uncached render:\n%s\n%s", q, got, fresh)
			}
		}
	}
	// Two queries keep a body each (a Clone, as uncachedGet makes, takes
	// the lock the ordinary way: fetch the fresh bodies first).
	fresh0, fresh1 := uncachedGet(t, b.srv, id, queries[0]), uncachedGet(t, b.srv, id, queries[1])
	rawGet(t, b.srv, id, queries[0], false)
	rawGet(t, b.srv, id, queries[1], false)
	hits := fake.ReadCacheHits(b.srv)
	if got := rawGet(t, b.srv, id, queries[0], false); !bytes.Equal(got, fresh0) {
		t.Fatal("the tracker read answered another query's body")
	}
	if got := rawGet(t, b.srv, id, queries[1], false); !bytes.Equal(got, fresh1) {
		t.Fatal("the plain read answered another query's body")
	}
	if fake.ReadCacheHits(b.srv) != hits+2 {
		t.Fatal("reads of an unchanged spreadsheet were not cache hits")
	}
}

// TestReadCacheKeepsFaults: faults still happen on cached reads, and the
// read after them is the cached body again.
func TestReadCacheKeepsFaults(t *testing.T) {
	// In memory: over loopback Go's transport retries a GET whose
	// connection closed before any answer, hiding the drop.
	b := setupWith(t, fake.Options{NoListener: true})
	id := seedCacheOffice(t, b)
	want := rawGet(t, b.srv, id, trackerQuery, false)
	if err := b.srv.AddFault(fake.Fault{Method: "sheets.spreadsheets.get", Status: http.StatusServiceUnavailable, Message: "coba lagi"}); err != nil {
		t.Fatal(err)
	}
	_, err := b.sheets.Spreadsheets.Get(id).Context(b.ctx).Do()
	if e, ok := err.(*googleapi.Error); !ok || e.Code != http.StatusServiceUnavailable {
		t.Fatalf("faulted read: %v", err)
	}
	if err := b.srv.AddFault(fake.Fault{Method: "sheets.spreadsheets.get", DropAfterHandling: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.sheets.Spreadsheets.Get(id).Context(b.ctx).Do(); err == nil {
		t.Fatal("a dropped read answered")
	}
	if got := rawGet(t, b.srv, id, trackerQuery, false); !bytes.Equal(got, want) {
		t.Fatalf("read after faults:\n%s\nwant\n%s", got, want)
	}
}

// TestReadCacheSurvivesFormsAndGmail: the calls of an idle cycle that
// are not the tracker read (a form's responses, the mailbox) leave the
// cached body in place, and a Clone starts with no cache of its own
// while the original keeps its.
func TestReadCacheSurvivesFormsAndGmail(t *testing.T) {
	b := setup(t)
	id := seedCacheOffice(t, b)
	f, err := b.forms.Forms.Create(&forms.Form{Info: &forms.Info{Title: "Konsultasi"}}).Context(b.ctx).Do()
	if err != nil {
		t.Fatal(err)
	}
	want := rawGet(t, b.srv, id, trackerQuery, false)
	hits := fake.ReadCacheHits(b.srv)
	if _, err := b.forms.Forms.Responses.List(f.FormId).Context(b.ctx).Do(); err != nil {
		t.Fatal(err)
	}
	if _, err := b.gmail.Users.Messages.List("me").Context(b.ctx).Do(); err != nil {
		t.Fatal(err)
	}
	_, _ = b.srv.Sent("me"), b.srv.Responses(f.FormId)
	if got := rawGet(t, b.srv, id, trackerQuery, false); !bytes.Equal(got, want) || fake.ReadCacheHits(b.srv) != hits+1 {
		t.Fatal("a read after Forms and Gmail calls was not the cached body")
	}
	// A test looking at the sheet through the read-only helpers
	// (sheets_peek.go) leaves the cached body in place too.
	if _, err := b.srv.SpreadsheetValues(id, "Sheet1"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.srv.CellUserEnteredValue(id, "Sheet1!E2"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.srv.Spreadsheet(id); err != nil {
		t.Fatal(err)
	}
	if _, err := b.srv.SortsApplied(id); err != nil {
		t.Fatal(err)
	}
	if got := rawGet(t, b.srv, id, trackerQuery, false); !bytes.Equal(got, want) || fake.ReadCacheHits(b.srv) != hits+2 {
		t.Fatal("a read after the read-only sheet helpers was not the cached body")
	}

	// A clone changed after the original cached its read.
	c, err := b.srv.Clone(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SetValues(id, "Sheet1!B2", [][]any{{"Budi Santoso"}}, false); err != nil {
		t.Fatal(err)
	}
	if got := rawGet(t, c, id, trackerQuery, false); bytes.Equal(got, want) {
		t.Fatal("the changed clone answered the original's body")
	}
	if got := rawGet(t, b.srv, id, trackerQuery, false); !bytes.Equal(got, want) {
		t.Fatal("the original changed with its clone")
	}
}

// TestFormsAndGmailTouchNoSpreadsheet keeps true what the read cache
// relies on to let Forms and Gmail code take the state lock without
// counting a spreadsheet generation: their files never reach spreadsheet
// state, and no other file but the cache's, the router's and the
// read-only sheet helpers' (sheets_peek.go, which TestSheetsPeekOnlyReads
// keeps to reading) takes the lock that way.
func TestFormsAndGmailTouchNoSpreadsheet(t *testing.T) {
	all, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all {
		if strings.HasSuffix(f, "_test.go") || strings.HasPrefix(f, "forms") || strings.HasPrefix(f, "gmail") ||
			f == "readcache.go" || f == "server.go" || f == "sheets_peek.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(src), "lockKeepingSheets") {
			t.Errorf("%s takes the state lock without counting a spreadsheet generation: only Forms and Gmail code, the cached read and the read-only sheet helpers may", f)
		}
	}
	for _, pattern := range []string{"forms*.go", "gmail*.go"} {
		files, err := filepath.Glob(pattern)
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: %v", pattern, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.ReplaceAll(string(src), "lockKeepingSheets", "")
			if strings.Contains(strings.ToLower(text), "sheet") {
				t.Errorf("%s mentions sheets: a Forms or Gmail handler that changes a spreadsheet must not run under lockKeepingSheets (readcache.go)", f)
			}
		}
	}
}
