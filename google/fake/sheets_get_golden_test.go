package fake_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"kopi/google/fake"
)

var updateGetGolden = flag.Bool("fake.update-get-golden", false, "rewrite testdata/spreadsheets_get.golden from the fake's answers")

// getGoldenFile holds, for every read of TestSpreadsheetsGetGolden, the
// status, length and SHA-256 of the body the fake answered when the file
// was written: the fake's spreadsheets.get (and getByDataFilter) answers
// stay byte for byte the same while their implementation changes.
const getGoldenFile = "testdata/spreadsheets_get.golden"

// TestSpreadsheetsGetGolden asks a spreadsheet of every kind of cell
// (plain and escaped text, numbers, dates, percentages, booleans,
// formulas and their errors, formats alone, notes, data validation,
// empty and trailing cells, empty rows), with row and column metadata,
// sizes, a hidden column, protected ranges and merges, and a second one
// in the id_ID locale, a set of reads — kopi's own field masks and
// others, ranges of one or several tabs, with and without grid data,
// getByDataFilter — and compares every body with the golden file.
func TestSpreadsheetsGetGolden(t *testing.T) {
	b := setupWith(t, fake.Options{NoListener: true, Seed: 7})
	do := func(method, path, body string) (int, []byte) {
		t.Helper()
		return rawCall(t, b.srv, method, path, body)
	}
	mustDo := func(method, path, body string) []byte {
		t.Helper()
		code, got := do(method, path, body)
		if code != http.StatusOK {
			t.Fatalf("%s %s: %d %s", method, path, code, got)
		}
		return got
	}
	idOf := func(body []byte) string {
		_, rest, _ := strings.Cut(string(body), `"spreadsheetId":"`)
		id, _, _ := strings.Cut(rest, `"`)
		return id
	}

	tracker := idOf(mustDo("POST", "/v4/spreadsheets", `{"properties":{"title":"Pelacak \"KOPI\""},"sheets":[`+
		`{"properties":{"sheetId":0,"title":"Konsultasi","gridProperties":{"rowCount":40,"columnCount":8,"frozenRowCount":1}}},`+
		`{"properties":{"sheetId":7,"title":"Jurnal","gridProperties":{"rowCount":12,"columnCount":4}}},`+
		`{"properties":{"sheetId":9,"title":"Kosong","gridProperties":{"rowCount":5,"columnCount":3}}}]}`))
	row := func(cells ...string) string { return `{"values":[` + strings.Join(cells, ",") + `]}` }
	str := func(s string) string { return `{"userEnteredValue":{"stringValue":` + s + `}}` }
	num := func(n string) string { return `{"userEnteredValue":{"numberValue":` + n + `}}` }
	formula := func(f string) string { return `{"userEnteredValue":{"formulaValue":` + f + `}}` }
	meta := func(id int, key, value, dim string, sheet, at int) string {
		return fmt.Sprintf(`{"createDeveloperMetadata":{"developerMetadata":{"metadataId":%d,"metadataKey":%q,"metadataValue":%q,"visibility":"DOCUMENT",`+
			`"location":{"dimensionRange":{"sheetId":%d,"dimension":%q,"startIndex":%d,"endIndex":%d}}}}}`, id, key, value, sheet, dim, at, at+1)
	}
	reqs := []string{
		`{"updateCells":{"start":{"sheetId":0,"rowIndex":0,"columnIndex":0},"fields":"*","rows":[` + strings.Join([]string{
			row(str(`"Nomor Tiket"`), str(`"Nama"`), str(`"Tanggal"`), str(`"Jumlah"`), str(`"Status"`), str(`"Catatan"`)),
			row(str(`"KOPI-2025-00001"`), str(`"Budi \"B\" <&> é\n\t\u0001"`), `{"userEnteredValue":{"numberValue":46023.5},"userEnteredFormat":{"numberFormat":{"type":"DATE","pattern":"yyyy-mm-dd"}}}`,
				num(`1234567.891`), `{"userEnteredValue":{"boolValue":true}}`, `{"userEnteredValue":{"stringValue":"catatan"},"note":"catatan staf"}`),
			row(str(`"KOPI-2025-00002"`), `{"userEnteredValue":{"stringValue":"Sri"},"userEnteredFormat":{"numberFormat":{"type":"TEXT"}}}`, `{}`,
				`{"userEnteredValue":{"numberValue":0.125},"userEnteredFormat":{"numberFormat":{"type":"PERCENT","pattern":"0.00%"}}}`, formula(`"=D2*2"`), formula(`"=1/0"`)),
			row(),
			row(`{}`, formula(`"=A2&\" \"&B2"`), num(`-3`), num(`1e21`), `{"userEnteredValue":{"boolValue":false}}`,
				`{"userEnteredFormat":{"backgroundColor":{"red":1}}}`),
			row(str(`"KOPI-2025-00003"`), `{"dataValidation":{"condition":{"type":"ONE_OF_LIST","values":[{"userEnteredValue":"Baru"},{"userEnteredValue":"Selesai"}]}},"userEnteredValue":{"stringValue":"Baru"}}`),
			row(str(`"KOPI-2025-00004"`), str(`"Sri Wahyuni — ñ \u2028"`), `{}`, `{}`, `{}`, `{"note":"hanya catatan"}`),
			row(`{"userEnteredFormat":{"textFormat":{"bold":true}}}`),
			row(str(`"KOPI-2025-00005"`), formula(`"=SUM(D2:D5)"`), `{"userEnteredValue":{"numberValue":46023.25},"userEnteredFormat":{"numberFormat":{"type":"DATE_TIME"}}}`),
		}, ",") + `]}}`,
		`{"updateCells":{"start":{"sheetId":0,"rowIndex":14,"columnIndex":2},"fields":"userEnteredFormat","rows":[` + row(`{"userEnteredFormat":{"horizontalAlignment":"CENTER"}}`) + `]}}`,
		`{"updateCells":{"start":{"sheetId":7,"rowIndex":0,"columnIndex":0},"fields":"userEnteredValue","rows":[` + strings.Join([]string{
			row(str(`"KOPI-2025-00001"`), str(`"Status"`), str(`"Baru"`)),
			row(str(`"KOPI-2025-00002"`), str(`"Nama"`), str(`"Sri"`), str(`"x"`)),
		}, ",") + `]}}`,
		meta(101, "kopi.row", "KOPI-2025-00001", "ROWS", 0, 1),
		meta(102, "kopi.row", "KOPI-2025-00002", "ROWS", 0, 2),
		meta(103, "kopi.row", "KOPI-2025-00003", "ROWS", 0, 2),
		meta(104, "lain", `x\"y`, "ROWS", 0, 6),
		meta(105, "kopi.row", "KOPI-2025-00005", "ROWS", 0, 20),
		meta(201, "kopi.kolom", "tiket", "COLUMNS", 0, 0),
		meta(202, "kopi.kolom", "status", "COLUMNS", 0, 4),
		meta(301, "kopi.jurnal", "1", "ROWS", 7, 0),
		`{"createDeveloperMetadata":{"developerMetadata":{"metadataId":401,"metadataKey":"kopi.skema","metadataValue":"3","visibility":"DOCUMENT","location":{"spreadsheet":true}}}}`,
		`{"createDeveloperMetadata":{"developerMetadata":{"metadataId":402,"metadataKey":"kopi.tab","metadataValue":"konsultasi","visibility":"PROJECT","location":{"sheetId":0}}}}`,
		`{"updateDimensionProperties":{"range":{"sheetId":0,"dimension":"ROWS","startIndex":3,"endIndex":4},"properties":{"pixelSize":40},"fields":"pixelSize"}}`,
		`{"updateDimensionProperties":{"range":{"sheetId":0,"dimension":"COLUMNS","startIndex":5,"endIndex":6},"properties":{"hiddenByUser":true},"fields":"hiddenByUser"}}`,
		`{"addProtectedRange":{"protectedRange":{"range":{"sheetId":0,"startRowIndex":0,"endRowIndex":1},"description":"kepala","warningOnly":true}}}`,
		`{"mergeCells":{"range":{"sheetId":7,"startRowIndex":5,"endRowIndex":6,"startColumnIndex":0,"endColumnIndex":2},"mergeType":"MERGE_ALL"}}`,
	}
	mustDo("POST", "/v4/spreadsheets/"+tracker+":batchUpdate", `{"requests":[`+strings.Join(reqs, ",")+`]}`)

	local := idOf(mustDo("POST", "/v4/spreadsheets", `{"properties":{"title":"Lokal","locale":"id_ID"},"sheets":[{"properties":{"title":"Data"},"data":[{"startRow":1,"startColumn":1,"rowData":[`+
		row(num(`1234.5`), `{"userEnteredValue":{"numberValue":0.5},"userEnteredFormat":{"numberFormat":{"type":"NUMBER","pattern":"#,##0.00"}}}`, str(`"teks"`))+`,`+
		row(formula(`"=B2+C2"`), `{"userEnteredValue":{"numberValue":46023},"userEnteredFormat":{"numberFormat":{"type":"DATE"}}}`)+`]}]}]}`))

	readFields := "sheets(properties(sheetId,title,index,hidden,gridProperties(rowCount,columnCount,frozenRowCount))," +
		"data(startRow,startColumn,rowData(values(userEnteredValue,effectiveFormat/numberFormat/type))," +
		"rowMetadata(developerMetadata(metadataId,metadataKey,metadataValue))," +
		"columnMetadata(developerMetadata(metadataId,metadataKey,metadataValue))))"
	fieldsList := []string{
		"",
		readFields,
		"sheets(data(startRow,startColumn,rowData(values(userEnteredValue,effectiveFormat/numberFormat/type)),rowMetadata(developerMetadata(metadataKey,metadataValue)),columnMetadata(developerMetadata(metadataKey,metadataValue))))",
		"sheets(data(rowData(values(userEnteredValue,effectiveFormat/numberFormat/type))))",
		"sheets(properties(title),data(startRow,startColumn,rowData(values(userEnteredValue))))",
		"sheets(properties(sheetId,title,gridProperties),data(rowData(values(userEnteredValue,effectiveFormat/numberFormat/type)),columnMetadata(developerMetadata(metadataKey,metadataValue))))",
		"sheets(properties(sheetId,title),protectedRanges(range))",
		"sheets(properties,protectedRanges),developerMetadata",
		"sheets/data/rowData/values/userEnteredValue",
		"sheets(data(rowData(values(effectiveValue,formattedValue))))",
		"sheets(data(rowData(values(formattedValue,note,dataValidation,userEnteredFormat))))",
		"sheets(data(rowData(values(effectiveFormat))))",
		"sheets(data(rowData(values(*))))",
		"sheets(data(rowData(values)))",
		"sheets(data(rowData))",
		"sheets(data(rowData(foo)))",
		"sheets(data)",
		"sheets(data(startRow,rowMetadata,columnMetadata))",
		"sheets(data(rowMetadata(pixelSize),columnMetadata(hiddenByUser,developerMetadata)))",
		"sheets(data(rowMetadata(developerMetadata(location,metadataValue))))",
		"sheets(data(rowMetadata(developerMetadata(*)),columnMetadata(developerMetadata)))",
		"sheets(data(*))",
		"sheets(*)",
		"*",
		"spreadsheetId,properties(title,locale),sheets(properties/title,merges,developerMetadata)",
		"sheets(data(rowData(values(userEnteredValue)),rowMetadata(developerMetadata(metadataKey))",
	}
	rangesList := [][]string{
		nil,
		{"Konsultasi!A1:F1", "Konsultasi!A2:A"},
		{"Konsultasi!B2:D7"},
		{"Konsultasi"},
		{"'Konsultasi'!A:H", "Jurnal!A1:D"},
		{"Jurnal"},
		{"Konsultasi!1:1", "Konsultasi!E3:F"},
		{"Konsultasi!C12:D20"},
		{"Kosong!A1:C5"},
		{"Konsultasi!Z1"},
	}
	type read struct{ method, path, body string }
	var reads []read
	for _, ranges := range rangesList {
		for _, fields := range fieldsList {
			for _, grid := range []string{"true", ""} {
				if grid == "" && ranges != nil && fields != readFields && fields != "" {
					continue // without grid data a range only picks tabs
				}
				q := url.Values{}
				for _, r := range ranges {
					q.Add("ranges", r)
				}
				if grid != "" {
					q.Set("includeGridData", grid)
				}
				if fields != "" {
					q.Set("fields", fields)
				}
				reads = append(reads, read{"GET", "/v4/spreadsheets/" + tracker + "?" + q.Encode(), ""})
			}
		}
	}
	for _, fields := range []string{"", readFields, "sheets(data(rowData(values(userEnteredValue))))", "sheets(data(rowData(values(effectiveValue,formattedValue))))"} {
		q := url.Values{}
		q.Set("includeGridData", "true")
		if fields != "" {
			q.Set("fields", fields)
		}
		reads = append(reads, read{"GET", "/v4/spreadsheets/" + local + "?" + q.Encode(), ""})
		for _, filters := range []string{
			`[{"a1Range":"Konsultasi!A1:F3"}]`,
			`[{"developerMetadataLookup":{"metadataKey":"kopi.row"}},{"a1Range":"Jurnal!A1:B"}]`,
			`[{"gridRange":{"sheetId":0,"startRowIndex":4,"endRowIndex":9,"startColumnIndex":1}}]`,
			`[{"developerMetadataLookup":{"metadataKey":"tidak.ada"}}]`,
		} {
			path := "/v4/spreadsheets/" + tracker + ":getByDataFilter"
			if fields != "" {
				path += "?fields=" + url.QueryEscape(fields)
			}
			reads = append(reads, read{"POST", path, `{"dataFilters":` + filters + `,"includeGridData":true}`})
		}
	}

	var got bytes.Buffer
	var bodies [][]byte
	for _, r := range reads {
		code, body := do(r.method, r.path, r.body)
		bodies = append(bodies, body)
		sum := sha256.Sum256(body)
		path, _ := url.PathUnescape(strings.NewReplacer(tracker, "{tracker}", local, "{local}").Replace(r.path))
		fmt.Fprintf(&got, "%s %s %s\n\t%d %d %s\n", r.method, path, r.body, code, len(body), hex.EncodeToString(sum[:]))
		if testing.Verbose() {
			t.Logf("%s %s %s\n%s", r.method, r.path, r.body, body)
		}
	}
	if *updateGetGolden {
		if err := os.WriteFile(getGoldenFile, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(getGoldenFile)
	if err != nil {
		t.Fatalf("%v (write it with -fake.update-get-golden)", err)
	}
	gs, ws := bufio.NewScanner(&got), bufio.NewScanner(bytes.NewReader(want))
	for line := 1; ; line++ {
		g, w := gs.Scan(), ws.Scan()
		if !g && !w {
			break
		}
		if g != w || gs.Text() != ws.Text() {
			t.Fatalf("%s:%d: want\n%s\ngot\n%s\nbody %s", getGoldenFile, line, ws.Text(), gs.Text(), bodies[min((line-1)/2, len(bodies)-1)])
		}
	}
}
