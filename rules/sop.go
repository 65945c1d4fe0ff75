package rules

// Step is the office's setting for one step of the KOPI SOP in the
// config (sop.steps): it overrides the time standard of sop/kopi.yaml
// (see SOPDef.WithStandards).
type Step struct {
	// No is the step number, from 1.
	No int `yaml:"no"`
	// Name says what happens, in Indonesian.
	Name string `yaml:"name"`
	// Actor is the SOP role that acts (Pengguna Layanan, Admin KOPI, …).
	Actor string `yaml:"actor"`
	// Standard is the time standard in working time.
	Standard Span `yaml:"standard"`
	// Output is the step's output document.
	Output string `yaml:"output,omitempty"`
}

// The steps of the KOPI SOP the daemon refers to by number.
const (
	StepFillForm = 1 // requester fills the form
	StepCheck    = 2 // admin checks completeness and forwards
	StepAnswer   = 3 // team answers (1 working day): the consultant's deadline
	StepSend     = 4 // admin sends the answer
	StepArchive  = 5 // secretariat archives
	StepReceive  = 6 // requester receives the answer
)

// WithStandards returns a copy of the definition with the time
// standards the office configured (the config's sop.steps) in place of
// the shipped ones, matched by step number; steps the config does not
// list keep theirs.
func (d *SOPDef) WithStandards(steps []Step) *SOPDef {
	out := *d
	out.Steps = append([]StepDef(nil), d.Steps...)
	for _, s := range steps {
		if s.No >= 1 && s.No <= len(out.Steps) && !s.Standard.IsZero() {
			out.Steps[s.No-1].Standard = s.Standard
			out.Steps[s.No-1].Choices = nil
		}
	}
	return &out
}
