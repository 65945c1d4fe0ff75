package fake

import (
	"fmt"

	"google.golang.org/api/sheets/v4"
)

// The *ByDataFilter value methods: the same reads, writes and clears, with
// ranges chosen by DataFilters (resolveDataFilter).

func (s *Server) valuesBatchGetByDataFilter(c *call) (any, error) {
	ss, err := s.getSpreadsheet(c.params["spreadsheetId"])
	if err != nil {
		return nil, err
	}
	var req sheets.BatchGetValuesByDataFilterRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	o := newRenderOpts(req.ValueRenderOption, req.DateTimeRenderOption)
	out := &sheets.BatchGetValuesByDataFilterResponse{SpreadsheetId: ss.id}
	byRange := map[string]*sheets.MatchedValueRange{}
	for i, f := range req.DataFilters {
		brs, err := ss.resolveDataFilter(f)
		if err != nil {
			return nil, prefixError(err, fmt.Sprintf("dataFilters[%d]", i))
		}
		for _, br := range brs {
			cl, err := clipForRead(br)
			if err != nil {
				return nil, err
			}
			vr := ss.readValues(cl, req.MajorDimension, o)
			// A range matched by several filters is returned once, with
			// every filter that matched it.
			if m := byRange[vr.Range]; m != nil {
				m.DataFilters = append(m.DataFilters, f)
				continue
			}
			m := &sheets.MatchedValueRange{ValueRange: vr, DataFilters: []*sheets.DataFilter{f}}
			byRange[vr.Range] = m
			out.ValueRanges = append(out.ValueRanges, m)
		}
	}
	return out, nil
}

func (s *Server) valuesBatchUpdateByDataFilter(c *call) (any, error) {
	var req sheets.BatchUpdateValuesByDataFilterRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	mode, err := parseValueInput(req.ValueInputOption)
	if err != nil {
		return nil, err
	}
	o := newRenderOpts(req.ResponseValueRenderOption, req.ResponseDateTimeRenderOption)
	return s.transact(c.params["spreadsheetId"], func(ss *spreadsheet) (any, error) {
		out := &sheets.BatchUpdateValuesByDataFilterResponse{SpreadsheetId: ss.id}
		touched := map[*tab]bool{}
		for i, d := range req.Data {
			if d == nil {
				continue
			}
			brs, err := ss.resolveDataFilter(d.DataFilter)
			if err != nil {
				return nil, prefixError(err, fmt.Sprintf("data[%d]", i))
			}
			if err := s.filterMiss(brs, fmt.Sprintf("data[%d]", i)); err != nil {
				return nil, err
			}
			// Values are written to every range the filter matches and
			// must fit each of them.
			for _, br := range brs {
				cl, err := clipForRead(br)
				if err != nil {
					return nil, err
				}
				res, err := ss.writeValues(cl, d.Values, writeOpts{mode: mode, major: d.MajorDimension})
				if err != nil {
					return nil, err
				}
				u := ss.updateResponse(res, req.IncludeValuesInResponse, o)
				out.Responses = append(out.Responses, &sheets.UpdateValuesByDataFilterResponse{
					DataFilter:     d.DataFilter,
					UpdatedRange:   u.UpdatedRange,
					UpdatedRows:    u.UpdatedRows,
					UpdatedColumns: u.UpdatedColumns,
					UpdatedCells:   u.UpdatedCells,
					UpdatedData:    u.UpdatedData,
				})
				addTotals(&out.TotalUpdatedRows, &out.TotalUpdatedColumns, &out.TotalUpdatedCells, res)
				if res.cells > 0 {
					touched[res.tab] = true
				}
			}
		}
		out.TotalUpdatedSheets = int64(len(touched))
		return out, nil
	})
}

func (s *Server) valuesBatchClearByDataFilter(c *call) (any, error) {
	var req sheets.BatchClearValuesByDataFilterRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	return s.transact(c.params["spreadsheetId"], func(ss *spreadsheet) (any, error) {
		out := &sheets.BatchClearValuesByDataFilterResponse{SpreadsheetId: ss.id}
		for i, f := range req.DataFilters {
			brs, err := ss.resolveDataFilter(f)
			if err != nil {
				return nil, prefixError(err, fmt.Sprintf("dataFilters[%d]", i))
			}
			if err := s.filterMiss(brs, fmt.Sprintf("dataFilters[%d]", i)); err != nil {
				return nil, err
			}
			for _, br := range brs {
				cl, err := clipForRead(br)
				if err != nil {
					return nil, err
				}
				clearValues(cl)
				out.ClearedRanges = append(out.ClearedRanges, cl.a1())
			}
		}
		return out, nil
	})
}

// filterMiss is Options.DataFilterMissFails's answer to a write or clear
// whose data filter at field matched no range (the whole request fails,
// nothing applied: transact discards the copy).
func (s *Server) filterMiss(brs []boundRange, field string) error {
	if len(brs) > 0 || !s.opts.DataFilterMissFails {
		return nil
	}
	return invalidArgument("Invalid %s: the data filter matches no range of the spreadsheet", field)
}
