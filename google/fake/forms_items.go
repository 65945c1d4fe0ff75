package fake

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"google.golang.org/api/forms/v1"
)

// formItemKinds lists an item's oneof "kind" fields.
func formItemKinds(it *forms.Item) []string {
	var k []string
	if it.QuestionItem != nil {
		k = append(k, "questionItem")
	}
	if it.QuestionGroupItem != nil {
		k = append(k, "questionGroupItem")
	}
	if it.PageBreakItem != nil {
		k = append(k, "pageBreakItem")
	}
	if it.TextItem != nil {
		k = append(k, "textItem")
	}
	if it.ImageItem != nil {
		k = append(k, "imageItem")
	}
	if it.VideoItem != nil {
		k = append(k, "videoItem")
	}
	return k
}

// formQuestionKinds lists a question's oneof "kind" fields.
func formQuestionKinds(q *forms.Question) []string {
	var k []string
	if q.ChoiceQuestion != nil {
		k = append(k, "choiceQuestion")
	}
	if q.TextQuestion != nil {
		k = append(k, "textQuestion")
	}
	if q.ScaleQuestion != nil {
		k = append(k, "scaleQuestion")
	}
	if q.DateQuestion != nil {
		k = append(k, "dateQuestion")
	}
	if q.TimeQuestion != nil {
		k = append(k, "timeQuestion")
	}
	if q.FileUploadQuestion != nil {
		k = append(k, "fileUploadQuestion")
	}
	if q.RowQuestion != nil {
		k = append(k, "rowQuestion")
	}
	if q.RatingQuestion != nil {
		k = append(k, "ratingQuestion")
	}
	return k
}

// formItemQuestions returns the questions an item poses (none for text, page
// breaks and media).
func formItemQuestions(it *forms.Item) []*forms.Question {
	switch {
	case it.QuestionItem != nil && it.QuestionItem.Question != nil:
		return []*forms.Question{it.QuestionItem.Question}
	case it.QuestionGroupItem != nil:
		return it.QuestionGroupItem.Questions
	}
	return nil
}

// validateFormItem checks an item the way Forms does before writing it. allowFileUpload
// is for seeding: the API cannot create file upload questions, but forms made
// in the UI have them.
func validateFormItem(it *forms.Item, quiz, allowFileUpload bool) error {
	kinds := formItemKinds(it)
	switch len(kinds) {
	case 0:
		return fmt.Errorf("item kind is required (one of questionItem, questionGroupItem, pageBreakItem, textItem, imageItem, videoItem)")
	case 1:
	default:
		return fmt.Errorf("an item has exactly one kind, got %s", strings.Join(kinds, " and "))
	}
	switch {
	case it.QuestionItem != nil:
		q := it.QuestionItem.Question
		if q == nil {
			return fmt.Errorf("questionItem.question is required")
		}
		if q.RowQuestion != nil {
			return fmt.Errorf("rowQuestion is only allowed inside a questionGroupItem")
		}
		if err := validateFormQuestion(q, quiz, allowFileUpload); err != nil {
			return err
		}
		if it.QuestionItem.Image != nil {
			if err := validateFormImage(it.QuestionItem.Image); err != nil {
				return err
			}
		}
	case it.QuestionGroupItem != nil:
		g := it.QuestionGroupItem
		if len(g.Questions) == 0 {
			return fmt.Errorf("questionGroupItem.questions must not be empty")
		}
		if g.Grid != nil {
			if err := validateFormChoice(g.Grid.Columns, true); err != nil {
				return fmt.Errorf("grid.columns: %v", err)
			}
		}
		for _, q := range g.Questions {
			if q == nil {
				return fmt.Errorf("questionGroupItem.questions must not contain empty questions")
			}
			if g.Grid != nil && (q.RowQuestion == nil || len(formQuestionKinds(q)) != 1) {
				return fmt.Errorf("every question of a grid must be a rowQuestion")
			}
			if q.RowQuestion != nil && q.RowQuestion.Title == "" {
				return fmt.Errorf("rowQuestion.title is required")
			}
			if g.Grid == nil {
				if err := validateFormQuestion(q, quiz, allowFileUpload); err != nil {
					return err
				}
			}
		}
	case it.ImageItem != nil:
		if it.ImageItem.Image == nil {
			return fmt.Errorf("imageItem.image is required")
		}
		return validateFormImage(it.ImageItem.Image)
	case it.VideoItem != nil:
		if it.VideoItem.Video == nil || it.VideoItem.Video.YoutubeUri == "" {
			return fmt.Errorf("videoItem.video.youtubeUri is required")
		}
	}
	return nil
}

func validateFormImage(img *forms.Image) error {
	if img.SourceUri == "" && img.ContentUri == "" {
		return fmt.Errorf("image.sourceUri is required")
	}
	if p := img.Properties; p != nil && (p.Width < 0 || p.Width > 740) {
		return fmt.Errorf("image width must be between 0 and 740")
	}
	return nil
}

func validateFormQuestion(q *forms.Question, quiz, allowFileUpload bool) error {
	kinds := formQuestionKinds(q)
	switch len(kinds) {
	case 0:
		return fmt.Errorf("question kind is required (e.g. textQuestion, choiceQuestion, scaleQuestion, dateQuestion)")
	case 1:
	default:
		return fmt.Errorf("a question has exactly one kind, got %s", strings.Join(kinds, " and "))
	}
	if q.Grading != nil && !quiz {
		return fmt.Errorf("grading can only be set on a quiz (settings.quizSettings.isQuiz)")
	}
	switch {
	case q.ChoiceQuestion != nil:
		return validateFormChoice(q.ChoiceQuestion, false)
	case q.ScaleQuestion != nil:
		sq := q.ScaleQuestion
		if sq.Low != 0 && sq.Low != 1 {
			return fmt.Errorf("scaleQuestion.low must be 0 or 1, got %d", sq.Low)
		}
		if sq.High < 2 || sq.High > 10 {
			return fmt.Errorf("scaleQuestion.high must be between 2 and 10, got %d", sq.High)
		}
	case q.RatingQuestion != nil:
		rq := q.RatingQuestion
		if rq.IconType == "" || rq.IconType == "RATING_ICON_TYPE_UNSPECIFIED" {
			return fmt.Errorf("ratingQuestion.iconType is required")
		}
		if rq.RatingScaleLevel < 3 || rq.RatingScaleLevel > 10 {
			return fmt.Errorf("ratingQuestion.ratingScaleLevel must be between 3 and 10, got %d", rq.RatingScaleLevel)
		}
	case q.FileUploadQuestion != nil:
		if !allowFileUpload {
			return fmt.Errorf("the API does not support creating file upload questions")
		}
	}
	return nil
}

// validateFormChoice checks a choice question or a grid's columns.
func validateFormChoice(cq *forms.ChoiceQuestion, grid bool) error {
	if cq == nil {
		return fmt.Errorf("choices are required")
	}
	switch cq.Type {
	case "RADIO", "CHECKBOX":
	case "DROP_DOWN":
		if grid {
			return fmt.Errorf("grid columns must be RADIO or CHECKBOX, got DROP_DOWN")
		}
	default:
		return fmt.Errorf("choiceQuestion.type is required (RADIO, CHECKBOX or DROP_DOWN)")
	}
	if len(cq.Options) == 0 {
		return fmt.Errorf("choiceQuestion.options must not be empty")
	}
	seen := map[string]bool{}
	others := 0
	for i, o := range cq.Options {
		if o == nil {
			return fmt.Errorf("options[%d] is empty", i)
		}
		if o.IsOther {
			if cq.Type == "DROP_DOWN" || grid {
				return fmt.Errorf("options[%d]: isOther is only allowed for RADIO and CHECKBOX questions", i)
			}
			others++
			continue
		}
		if o.Value == "" {
			return fmt.Errorf("options[%d].value is required", i)
		}
		if seen[o.Value] {
			return fmt.Errorf("options[%d]: duplicate option value %q", i, o.Value)
		}
		seen[o.Value] = true
	}
	if others > 1 {
		return fmt.Errorf("at most one option may be isOther")
	}
	return nil
}

// formIDs returns every item and question id currently in the form.
func formIDs(f *forms.Form) map[string]bool {
	ids := map[string]bool{}
	for _, it := range f.Items {
		if it.ItemId != "" {
			ids[it.ItemId] = true
		}
		for _, q := range formItemQuestions(it) {
			if q.QuestionId != "" {
				ids[q.QuestionId] = true
			}
		}
	}
	return ids
}

// assignFormIDs fills in missing item and question ids (8 hex digits, as Forms
// issues them) and checks that supplied ids are not taken. taken holds the
// ids of the other items in the form and is updated.
func (s *Server) assignFormIDs(st *formState, it *forms.Item, taken map[string]bool) error {
	claim := func(id *string, what string) error {
		if *id != "" {
			if taken[*id] {
				return fmt.Errorf("%s %q is already used in the form", what, *id)
			}
			taken[*id] = true
			return nil
		}
		for {
			cand := s.randomID(8, hexDigits)
			if !taken[cand] && !st.usedIDs[cand] {
				*id = cand
				taken[cand] = true
				st.usedIDs[cand] = true
				return nil
			}
		}
	}
	if err := claim(&it.ItemId, "item id"); err != nil {
		return err
	}
	for _, q := range formItemQuestions(it) {
		if err := claim(&q.QuestionId, "question id"); err != nil {
			return err
		}
	}
	// Forms fetches an image's source and serves it from its own content
	// URI; the source is input only.
	for _, img := range []*forms.Image{formItemImage(it)} {
		if img != nil && img.SourceUri != "" {
			img.ContentUri, img.SourceUri = img.SourceUri, ""
		}
	}
	return nil
}

func formItemImage(it *forms.Item) *forms.Image {
	switch {
	case it.ImageItem != nil:
		return it.ImageItem.Image
	case it.QuestionItem != nil:
		return it.QuestionItem.Image
	case it.QuestionGroupItem != nil:
		return it.QuestionGroupItem.Image
	}
	return nil
}

var formMaskPathRE = regexp.MustCompile(`^(\*|[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*)$`)

// formMask splits a FieldMask into camelCase paths. Google accepts both
// the proto (snake_case) and JSON (camelCase) spellings.
func formMask(mask string) ([]string, error) {
	if strings.TrimSpace(mask) == "" {
		return nil, nil
	}
	var out []string
	for _, p := range strings.Split(mask, ",") {
		p = strings.TrimSpace(p)
		if !formMaskPathRE.MatchString(p) {
			return nil, invalidArgument("Invalid field mask path %q.", p)
		}
		segs := strings.Split(p, ".")
		for i, seg := range segs {
			segs[i] = formSnakeToCamel(seg)
		}
		out = append(out, strings.Join(segs, "."))
	}
	return out, nil
}

func formSnakeToCamel(s string) string {
	var b strings.Builder
	up := false
	for _, r := range s {
		if r == '_' {
			up = true
			continue
		}
		if up && r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		up = false
		b.WriteRune(r)
	}
	return b.String()
}

// checkFormMaskPath verifies that path names fields of the forms discovery
// schema named root.
func (s *Server) checkFormMaskPath(root, path string) error {
	doc := s.methods["forms.forms.batchUpdate"].doc
	sch := doc.Schemas[root]
	for _, seg := range strings.Split(path, ".") {
		sch = doc.resolve(sch)
		if sch == nil || sch.Properties[seg] == nil {
			return fmt.Errorf("field mask path %q does not name a field of %s", path, root)
		}
		sch = sch.Properties[seg]
		if sch.Type == "array" {
			sch = sch.Items
		}
	}
	return nil
}

// formMergeMasked copies the masked paths of src into dst (both as JSON
// objects): a path absent from src is cleared in dst, as FieldMask update
// semantics require.
func formMergeMasked(dst, src any, paths []string) (map[string]any, error) {
	d, err := formToJSONMap(dst)
	if err != nil {
		return nil, err
	}
	sm, err := formToJSONMap(src)
	if err != nil {
		return nil, err
	}
	for _, p := range paths {
		if p == "*" {
			return sm, nil
		}
	}
	for _, p := range paths {
		segs := strings.Split(p, ".")
		from, ok := formLookupJSON(sm, segs)
		to := d
		for _, seg := range segs[:len(segs)-1] {
			next, _ := to[seg].(map[string]any)
			if next == nil {
				if !ok {
					to = nil
					break
				}
				next = map[string]any{}
				to[seg] = next
			}
			to = next
		}
		if to == nil {
			continue
		}
		last := segs[len(segs)-1]
		if ok {
			to[last] = from
		} else {
			delete(to, last)
		}
	}
	return d, nil
}

func formLookupJSON(m map[string]any, segs []string) (any, bool) {
	var cur any = m
	for _, seg := range segs {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = obj[seg]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func formToJSONMap(v any) (map[string]any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	if m == nil { // v was a nil pointer
		m = map[string]any{}
	}
	return m, nil
}

func formFromJSONMap(m map[string]any, v any) error {
	raw, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}
