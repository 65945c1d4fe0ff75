package rules

import (
	"fmt"
	"sort"
	"strings"
)

// FormQuestion is a question of the intake form as forms.get lists it.
type FormQuestion struct {
	Title string
	ID    string // the questionId used in responses
}

// MappingError says which configured titles are not on the form (or are
// on it twice), and lists the titles that are.
type MappingError struct {
	// NotFound maps each field to the configured title not on the form.
	NotFound map[Field]string
	// Ambiguous maps each field to a title the form has more than once.
	Ambiguous map[Field]string
	// Available are the form's question titles, in form order.
	Available []string
}

// Error lists every problem in Indonesian, then the titles that exist.
func (e *MappingError) Error() string {
	var lines []string
	for _, f := range AllFields {
		if t, ok := e.NotFound[f]; ok {
			lines = append(lines, fmt.Sprintf(msgQuestionNotFound, string(f), t))
		}
		if t, ok := e.Ambiguous[f]; ok {
			lines = append(lines, fmt.Sprintf(msgQuestionAmbiguous, string(f), t))
		}
	}
	quoted := make([]string, len(e.Available))
	for i, t := range e.Available {
		quoted[i] = fmt.Sprintf("%q", t)
	}
	return strings.Join(lines, "\n") + "\n" + fmt.Sprintf(msgQuestionAvailable, strings.Join(quoted, ", "))
}

// ResolveQuestions maps each configured question title to its question
// id on the form. Titles match ignoring case and extra spaces. Every
// title must be found exactly once; otherwise a *MappingError lists all
// the titles that are not found and the titles that exist.
func ResolveQuestions(titles QuestionTitles, form []FormQuestion) (map[Field]string, error) {
	byTitle := map[string][]string{}
	var available []string
	for _, q := range form {
		k := normKey(q.Title)
		byTitle[k] = append(byTitle[k], q.ID)
		available = append(available, q.Title)
	}
	ids := map[Field]string{}
	e := &MappingError{NotFound: map[Field]string{}, Ambiguous: map[Field]string{}, Available: available}
	fields := make([]Field, 0, len(AllFields))
	for f := range titles.ByField() {
		fields = append(fields, f)
	}
	sort.Slice(fields, func(i, j int) bool { return fields[i] < fields[j] })
	for _, f := range fields {
		t := titles.Title(f)
		switch got := byTitle[normKey(t)]; len(got) {
		case 0:
			e.NotFound[f] = t
		case 1:
			ids[f] = got[0]
		default:
			e.Ambiguous[f] = t
		}
	}
	if len(e.NotFound)+len(e.Ambiguous) > 0 {
		return nil, e
	}
	return ids, nil
}
