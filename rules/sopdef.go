package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// SOPDef is a standard operating procedure in the national format
// (PermenPANRB 35/2012) as data: numbered steps, an actor role per step,
// per step the inputs (kelengkapan), the time standard (waktu) and the
// output, and where each step leads. kopi runs any SOP written this way;
// a new SOP needs a file, not code. Build it with ParseSOP.
type SOPDef struct {
	// ID is the SOP's short key (lowercase letters, digits, "-"), e.g.
	// "bimtek": it names the SOP in the state tab, the history and
	// `kopi init --sop`.
	ID string `yaml:"id"`
	// Name is the SOP's title as in the document.
	Name string `yaml:"name"`
	// Number is the SOP's registration number ("Nomor SOP"), if any.
	Number string `yaml:"number,omitempty"`
	// Tab is the title of the spreadsheet tab holding a row per case.
	Tab string `yaml:"tab"`
	// Roles are the actor roles of the SOP (the "Pelaksana" columns);
	// the Peran tab maps them to people.
	Roles []string `yaml:"roles"`
	// Steps are the steps in order, numbered from 1.
	Steps []StepDef `yaml:"steps"`
}

// StepDef is one step of an SOP definition.
type StepDef struct {
	// No is the step number, from 1, in order.
	No int `yaml:"no"`
	// Phase is the SOP's stage (Perencanaan, Pelaksanaan, Pelaporan…).
	Phase string `yaml:"phase,omitempty"`
	// Actor is the role that acts; one of the SOP's roles.
	Actor string `yaml:"actor"`
	// Action is what the actor does, in Indonesian, from the SOP.
	Action string `yaml:"action"`
	// Inputs are the step's kelengkapan.
	Inputs []string `yaml:"inputs,omitempty"`
	// Standard is the time standard in working time.
	Standard Span `yaml:"standard,omitempty"`
	// Choices replace Standard when the time standard is chosen per
	// case (Bimtek's execution: 1, 3 or 5 working days); the first is
	// the default.
	Choices []Span `yaml:"standard_choices,omitempty"`
	// Output is the step's output document.
	Output string `yaml:"output,omitempty"`
	// DoneBy says what completes the step (DoneDecision by default).
	DoneBy DoneBy `yaml:"done_by,omitempty"`
	// Next is the step that follows when the step is done without a
	// decision: a step number or "selesai"; empty means the next
	// number, or the end after the last step.
	Next string `yaml:"next,omitempty"`
	// Decisions are the choices of a review or branch step (Setuju →
	// forward, Koreksi → back); the staff's decision picks one.
	Decisions []DecisionDef `yaml:"decisions,omitempty"`
	// Notify lists the roles emailed when a case enters the step (none
	// when empty: a requester filling a form needs no email).
	Notify []string `yaml:"notify,omitempty"`
	// NotifyCorrection lists the roles emailed, besides Notify, when a
	// case comes back to the step for correction (KOPI's requester,
	// told what is missing, who is not emailed on starting a form).
	NotifyCorrection []string `yaml:"notify_correction,omitempty"`

	line int
}

// DecisionDef is one decision of a review or branch step.
type DecisionDef struct {
	// Label is the value staff pick in the decision column, e.g. Setuju.
	Label string `yaml:"label"`
	// Next is where the case goes: a step number or "selesai".
	Next string `yaml:"next"`
	// Correction marks a decision that returns the document for
	// correction: it needs a note, and compliance counts it as a loop.
	Correction bool `yaml:"correction,omitempty"`

	line int
}

// DoneBy is what completes a step.
type DoneBy string

// The ways a step completes.
const (
	// DoneDecision: staff record a decision (or "Selesai") in the sheet.
	DoneDecision DoneBy = "keputusan"
	// DoneForm: a form response arrives (the requester's submission).
	DoneForm DoneBy = "formulir"
	// DoneEmail: kopi sent the step's email (an answer, an assignment).
	DoneEmail DoneBy = "email"
)

// StepEnd is the Next value that ends the case.
const StepEnd = "selesai"

// DecisionDone is the decision that completes a step with no decisions.
const DecisionDone = "Selesai"

// Clone is a copy of the definition sharing no slice with it, so a
// definition parsed once can be handed to callers that may change theirs.
func (d *SOPDef) Clone() *SOPDef {
	out := *d
	out.Roles = slices.Clone(d.Roles)
	out.Steps = slices.Clone(d.Steps)
	for i := range out.Steps {
		s := &out.Steps[i]
		s.Inputs = slices.Clone(s.Inputs)
		s.Choices = slices.Clone(s.Choices)
		s.Decisions = slices.Clone(s.Decisions)
		s.Notify = slices.Clone(s.Notify)
		s.NotifyCorrection = slices.Clone(s.NotifyCorrection)
	}
	return &out
}

// Step returns step n of the definition.
func (d *SOPDef) Step(n int) (StepDef, bool) {
	if n < 1 || n > len(d.Steps) {
		return StepDef{}, false
	}
	return d.Steps[n-1], true
}

// nextOf resolves a Next value from step no: a step number, 0 for the
// end, or -1 when it names no step.
func (d *SOPDef) nextOf(no int, next string) int {
	switch s := strings.TrimSpace(strings.ToLower(next)); s {
	case "":
		if no >= len(d.Steps) {
			return 0
		}
		return no + 1
	case StepEnd:
		return 0
	default:
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > len(d.Steps) {
			return -1
		}
		return n
	}
}

// DecisionLabels are the values of a step's decision column: its
// decisions' labels, or DecisionDone for a step without decisions.
func (s StepDef) DecisionLabels() []string {
	if len(s.Decisions) == 0 {
		return []string{DecisionDone}
	}
	out := make([]string, len(s.Decisions))
	for i, dc := range s.Decisions {
		out[i] = dc.Label
	}
	return out
}

// StandardFor is the step's time standard for a case that chose choice
// (a Span text, e.g. "3d"); the default when choice is empty or not one
// of the step's choices.
func (s StepDef) StandardFor(choice string) Span {
	if len(s.Choices) == 0 {
		return s.Standard
	}
	if sp, err := ParseSpan(choice); err == nil {
		for _, c := range s.Choices {
			if c == sp {
				return c
			}
		}
	}
	return s.Choices[0]
}

// SOPError lists every problem of an SOP definition.
type SOPError struct {
	// Source names the file.
	Source   string
	Problems []Problem
}

// Error renders all problems, one per line, after a summary line.
func (e *SOPError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, msgSOPInvalid, e.Source, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n- ")
		b.WriteString(p.String())
	}
	return b.String()
}

var sopIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// ParseSOP decodes and validates an SOP definition strictly: unknown
// keys, wrong types and every rule broken are reported at once, with
// their lines and a fix, in Indonesian. source names the file in the
// error.
func ParseSOP(source string, data []byte) (*SOPDef, error) {
	def := &SOPDef{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var problems []Problem
	var te *yaml.TypeError
	switch err := dec.Decode(def); {
	case err == nil:
	case errors.Is(err, io.EOF):
		return nil, &SOPError{Source: source, Problems: []Problem{{Message: msgSOPEmpty}}}
	case errors.As(err, &te):
		for _, e := range te.Errors {
			problems = append(problems, translateYAMLError(e))
		}
	default:
		return nil, &SOPError{Source: source, Problems: []Problem{{Message: msgYAMLSyntax + strings.TrimPrefix(err.Error(), "yaml: ")}}}
	}
	var root yaml.Node
	if yaml.Unmarshal(data, &root) == nil {
		def.lines(&root)
	}
	problems = append(problems, def.validate()...)
	if len(problems) > 0 {
		return nil, &SOPError{Source: source, Problems: problems}
	}
	return def, nil
}

// lines records the line of each step and decision for validate.
func (d *SOPDef) lines(root *yaml.Node) {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return
	}
	steps := mapValue(root.Content[0], "steps")
	if steps == nil || steps.Kind != yaml.SequenceNode {
		return
	}
	for i, sn := range steps.Content {
		if i >= len(d.Steps) {
			break
		}
		d.Steps[i].line = sn.Line
		decs := mapValue(sn, "decisions")
		if decs == nil || decs.Kind != yaml.SequenceNode {
			continue
		}
		for j, dn := range decs.Content {
			if j < len(d.Steps[i].Decisions) {
				d.Steps[i].Decisions[j].line = dn.Line
			}
		}
	}
}

// mapValue is the value node of key in a mapping node.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// validate checks the definition's rules: identity, roles, numbering,
// standards, where each step leads, and that every step is reachable
// from step 1 and can reach the end (no loop without a way out).
func (d *SOPDef) validate() []Problem {
	v := &validator{}
	if !sopIDRE.MatchString(d.ID) {
		v.add("id", 0, msgSOPID, d.ID)
	}
	if strings.TrimSpace(d.Name) == "" {
		v.add("name", 0, msgRequired, msgSOPNameHow)
	}
	if strings.TrimSpace(d.Tab) == "" {
		v.add("tab", 0, msgRequired, msgSOPTabHow)
	}
	roles := map[string]bool{}
	if len(d.Roles) == 0 {
		v.add("roles", 0, msgRequired, msgSOPRolesHow)
	}
	for i, r := range d.Roles {
		k := normKey(r)
		switch {
		case k == "":
			v.add(fmt.Sprintf("roles[%d]", i), 0, msgRequired, msgSOPRolesHow)
		case roles[k]:
			v.add(fmt.Sprintf("roles[%d]", i), 0, msgSOPRoleDup, r)
		}
		roles[k] = true
	}
	role := func(key string, line int, r string) {
		if !roles[normKey(r)] {
			v.add(key, line, msgSOPRoleUnknown, r, strings.Join(d.Roles, ", "))
		}
	}
	if len(d.Steps) == 0 {
		v.add("steps", 0, msgSOPNoSteps)
		return v.problems
	}
	// edges[i] are the steps step i+1 may lead to (0: the end).
	edges := make([][]int, len(d.Steps))
	for i, s := range d.Steps {
		key := fmt.Sprintf("steps[%d]", i)
		if s.No != i+1 {
			v.add(key+".no", s.line, msgStepNo, i+1)
		}
		if strings.TrimSpace(s.Actor) == "" {
			v.add(key+".actor", s.line, msgRequired, msgSOPActorHow)
		} else {
			role(key+".actor", s.line, s.Actor)
		}
		if strings.TrimSpace(s.Action) == "" {
			v.add(key+".action", s.line, msgRequired, msgStepNameHow)
		}
		switch {
		case len(s.Choices) > 0:
			if !s.Standard.IsZero() {
				v.add(key+".standard", s.line, msgSOPStandardBoth)
			}
			for j, c := range s.Choices {
				v.span(fmt.Sprintf("%s.standard_choices[%d]", key, j), c, true)
			}
		case s.Standard.IsZero() && s.Standard.bad == "":
			v.add(key+".standard", s.line, msgSOPStandardMissing, s.No)
		default:
			v.span(key+".standard", s.Standard, true)
		}
		switch s.DoneBy {
		case "", DoneDecision, DoneForm, DoneEmail:
		default:
			v.add(key+".done_by", s.line, msgSOPDoneBy, s.DoneBy)
		}
		for j, r := range s.Notify {
			role(fmt.Sprintf("%s.notify[%d]", key, j), s.line, r)
		}
		for j, r := range s.NotifyCorrection {
			role(fmt.Sprintf("%s.notify_correction[%d]", key, j), s.line, r)
		}
		if len(s.Decisions) > 0 {
			if s.Next != "" {
				v.add(key+".next", s.line, msgSOPNextAndDecisions)
			}
			labels := map[string]bool{}
			for j, dc := range s.Decisions {
				dk := fmt.Sprintf("%s.decisions[%d]", key, j)
				l := normKey(dc.Label)
				switch {
				case l == "":
					v.add(dk+".label", dc.line, msgRequired, msgSOPLabelHow)
				case labels[l]:
					v.add(dk+".label", dc.line, msgSOPLabelDup, dc.Label)
				}
				labels[l] = true
				if strings.TrimSpace(dc.Next) == "" {
					v.add(dk+".next", dc.line, msgRequired, msgSOPNextHow)
					continue
				}
				n := d.nextOf(s.No, dc.Next)
				if n < 0 {
					v.add(dk+".next", dc.line, msgSOPNextBad, dc.Next, len(d.Steps))
					continue
				}
				edges[i] = append(edges[i], n)
			}
			continue
		}
		n := d.nextOf(s.No, s.Next)
		if n < 0 {
			v.add(key+".next", s.line, msgSOPNextBad, s.Next, len(d.Steps))
			continue
		}
		if n == s.No {
			v.add(key+".next", s.line, msgSOPNextSelf, s.No)
			continue
		}
		edges[i] = append(edges[i], n)
	}
	if len(v.problems) > 0 {
		return v.problems
	}
	// Reachable from step 1.
	seen := make([]bool, len(d.Steps)+1)
	stack := []int{1}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == 0 || seen[n] {
			continue
		}
		seen[n] = true
		stack = append(stack, edges[n-1]...)
	}
	// Able to reach the end: fixed point over the edges.
	ends := make([]bool, len(d.Steps)+1)
	for changed := true; changed; {
		changed = false
		for i := range d.Steps {
			if ends[i+1] {
				continue
			}
			for _, n := range edges[i] {
				if n == 0 || ends[n] {
					ends[i+1], changed = true, true
					break
				}
			}
		}
	}
	for i, s := range d.Steps {
		key := fmt.Sprintf("steps[%d]", i)
		switch {
		case !seen[i+1]:
			v.add(key, s.line, msgSOPUnreachable, s.No)
		case !ends[i+1]:
			v.add(key, s.line, msgSOPNoWayOut, s.No)
		}
	}
	return v.problems
}
