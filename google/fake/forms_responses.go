package fake

import (
	"encoding/base64"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"time"

	"google.golang.org/api/forms/v1"
)

// maxFormResponsesPage is both the default and the cap of
// responses.list's pageSize: "If unspecified or zero, at most 5000
// responses are returned", and larger values are capped.
const maxFormResponsesPage = 5000

// formFilterRE is the whole filter grammar Google documents:
// "timestamp > N" or "timestamp >= N" with N in RFC 3339 UTC ("Zulu").
var formFilterRE = regexp.MustCompile(`^\s*timestamp\s*(>=|>)\s*(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z)\s*$`)

// formFilter is a parsed responses.list filter; the zero value matches all.
type formFilter struct {
	set       bool
	inclusive bool
	at        time.Time
	byCreate  bool // compare createTime (Options.FormsFilterByCreateTime)
}

func parseFormFilter(s string) (formFilter, error) {
	if s == "" {
		return formFilter{}, nil
	}
	m := formFilterRE.FindStringSubmatch(s)
	if m == nil {
		return formFilter{}, invalidArgument("Invalid filter %q: the only supported filters are \"timestamp > N\" and \"timestamp >= N\" with N in RFC 3339 UTC format, e.g. \"2014-10-02T15:01:23Z\".", s)
	}
	at, err := time.Parse(time.RFC3339Nano, m[2])
	if err != nil {
		return formFilter{}, invalidArgument("Invalid filter %q: bad timestamp: %v", s, err)
	}
	return formFilter{set: true, inclusive: m[1] == ">=", at: at}, nil
}

// match compares the response's lastSubmittedTime: an edited response is
// "submitted" again and shows up for a filter after its first submission.
// Google documents the filter as "submitted after" N without saying
// whether an edit counts; Options.FormsFilterByCreateTime compares the
// first submission instead, so an edit never passes a later filter.
func (f formFilter) match(r *formResponse) bool {
	if !f.set {
		return true
	}
	at := r.lastSubmitted
	if f.byCreate {
		at = r.created
	}
	if f.inclusive {
		return !at.Before(f.at)
	}
	return at.After(f.at)
}

// formPageToken is what an opaque nextPageToken carries. Paging is by
// key (the last responseId returned), so responses submitted between pages
// are neither skipped nor repeated.
type formPageToken struct {
	Form   string `json:"f"`
	Filter string `json:"q"`
	After  string `json:"a"`
}

func (t formPageToken) encode() string {
	raw, _ := json.Marshal(t)
	return base64.RawURLEncoding.EncodeToString(raw)
}

func decodeFormPageToken(s string) (formPageToken, error) {
	var t formPageToken
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(raw, &t)
	}
	if err != nil || t.After == "" {
		return t, invalidArgument("Invalid page token %q.", s)
	}
	return t, nil
}

// formsResponsesList implements forms.responses.list.
//
// Google documents no order for the responses. The fake returns them in
// ascending responseId order: deterministic for tests, and unrelated to
// submission time, so a client that assumes chronological order fails
// here as it could against Google.
func (s *Server) formsResponsesList(c *call) (any, error) {
	formID := c.params["formId"]
	st, err := s.lookupForm(formID)
	if err != nil {
		return nil, err
	}
	filterText := c.query.Get("filter")
	filter, err := parseFormFilter(filterText)
	if err != nil {
		return nil, err
	}
	filter.byCreate = s.opts.FormsFilterByCreateTime
	size := maxFormResponsesPage
	if v := c.query.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, invalidArgument("Invalid page_size %q: must be a non-negative integer.", v)
		}
		if n > 0 && n < size {
			size = n
		}
	}
	after := ""
	if v := c.query.Get("pageToken"); v != "" {
		tok, err := decodeFormPageToken(v)
		if err != nil {
			return nil, err
		}
		if tok.Form != formID || tok.Filter != filterText {
			return nil, invalidArgument("Invalid page token: the form and the filter must be the same as in the request that returned the token.")
		}
		after = tok.After
	}

	ids := make([]string, 0, len(st.responses))
	for id, r := range st.responses {
		if id > after && filter.match(r) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	out := &forms.ListFormResponsesResponse{}
	for i, id := range ids {
		if i == size {
			out.NextPageToken = formPageToken{Form: formID, Filter: filterText, After: ids[i-1]}.encode()
			break
		}
		// "The formId field is not returned in the FormResponse object for
		// list requests."
		out.Responses = append(out.Responses, st.responses[id].toAPI(""))
	}
	return out, nil
}

// formsResponsesGet implements forms.responses.get.
func (s *Server) formsResponsesGet(c *call) (any, error) {
	st, err := s.lookupForm(c.params["formId"])
	if err != nil {
		return nil, err
	}
	r, ok := st.responses[c.params["responseId"]]
	if !ok {
		return nil, notFound(formNotFoundMessage)
	}
	return r.toAPI(st.form.FormId), nil
}

// formTime formats a timestamp as Google's JSON mapping of
// google.protobuf.Timestamp does: "RFC 3339, where generated output will
// always be Z-normalized and uses 0, 3, 6 or 9 fractional digits".
func formTime(t time.Time) string {
	t = t.UTC()
	switch ns := t.Nanosecond(); {
	case ns == 0:
		return t.Format("2006-01-02T15:04:05Z")
	case ns%1e6 == 0:
		return t.Format("2006-01-02T15:04:05.000Z")
	case ns%1e3 == 0:
		return t.Format("2006-01-02T15:04:05.000000Z")
	}
	return t.Format("2006-01-02T15:04:05.000000000Z")
}

// toAPI renders a stored response; formID is empty for list results.
func (r *formResponse) toAPI(formID string) *forms.FormResponse {
	out := &forms.FormResponse{
		FormId:            formID,
		ResponseId:        r.id,
		CreateTime:        formTime(r.created),
		LastSubmittedTime: formTime(r.lastSubmitted),
		RespondentEmail:   r.email,
		Answers:           map[string]forms.Answer{},
	}
	for qid, a := range r.answers {
		out.Answers[qid] = cloneAnswer(a)
	}
	return out
}

// cloneAnswer deep-copies the parts of an answer a respondent gives.
func cloneAnswer(a forms.Answer) forms.Answer {
	out := forms.Answer{QuestionId: a.QuestionId}
	if a.TextAnswers != nil {
		out.TextAnswers = &forms.TextAnswers{Answers: make([]*forms.TextAnswer, 0, len(a.TextAnswers.Answers))}
		for _, ta := range a.TextAnswers.Answers {
			if ta != nil {
				out.TextAnswers.Answers = append(out.TextAnswers.Answers, &forms.TextAnswer{Value: ta.Value})
			}
		}
	}
	if a.FileUploadAnswers != nil {
		out.FileUploadAnswers = &forms.FileUploadAnswers{}
		for _, fa := range a.FileUploadAnswers.Answers {
			if fa != nil {
				c := *fa
				out.FileUploadAnswers.Answers = append(out.FileUploadAnswers.Answers, &c)
			}
		}
	}
	return out
}
