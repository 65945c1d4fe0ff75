package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/forms/v1"

	"kopi/google/fake"
	"kopi/rules"
)

// result is what one in-process run of kopi printed and returned.
type result struct {
	stdout, stderr string
	err            error
}

// kopi runs the command line args in-process, as main would.
func kopi(t *testing.T, args ...string) result {
	t.Helper()
	return kopiWith(t, environment{}, args...)
}

// kopiWith is kopi with the test hooks set in env (its writers are the
// result's).
func kopiWith(t *testing.T, env environment, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	env.stdout, env.stderr = &out, &errb
	if env.now == nil {
		env.now = march3 // the fake Workspace's time (newOffice)
	}
	err := dispatch(context.Background(), &env, args)
	return result{stdout: out.String(), stderr: errb.String(), err: err}
}

// office is a fake Workspace and a config file pointing at it, with
// neither spreadsheet nor form yet.
type office struct {
	srv    *fake.Server
	config string // path of the config file
}

func newOffice(t *testing.T) *office {
	t.Helper()
	srv, err := fake.New(fake.Options{Account: "kopi@inspektorat.example.go.id", Now: func() time.Time {
		return march3() // Tuesday, 16:00 WIB
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	tmpl, err := os.ReadFile(filepath.Join("testdata", "kopi-init.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "kopi.yaml")
	if err := os.WriteFile(path, bytes.ReplaceAll(tmpl, []byte("ENDPOINT"), []byte(srv.URL())), 0o640); err != nil {
		t.Fatal(err)
	}
	return &office{srv: srv, config: path}
}

// read returns the config file's text.
func (o *office) read(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(o.config)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// value returns the scalar at a dotted key of the config file.
func (o *office) value(t *testing.T, key string) string {
	t.Helper()
	v, err := lookupScalar([]byte(o.read(t)), strings.Split(key, "."))
	if err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	return v
}

// submittedOffice is an office after kopi init (with the intake form)
// and one requester's audit question submitted, before any cycle.
func submittedOffice(t *testing.T) *office {
	t.Helper()
	o := newOffice(t)
	if r := kopi(t, "init", "--config", o.config, "--create-intake-form"); r.err != nil {
		t.Fatalf("init: %v", r.err)
	}
	q := rules.DefaultQuestionTitles
	o.submit(t, map[string]string{
		q.Nama: "Sri Wahyuni", q.Instansi: "Pemerintah Desa Sukamaju",
		q.Email: "sri.wahyuni@desa-sukamaju.example.id", q.WhatsApp: "0812-3456-7890",
		q.Topik: rules.TopicAudit, q.Pertanyaan: "Dokumen apa yang diminta saat audit ketaatan?",
	})
	return o
}

// submit sends a response to the intake form as a requester, by
// question title.
func (o *office) submit(t *testing.T, byTitle map[string]string) {
	t.Helper()
	o.submitTo(t, o.value(t, keyFormID), byTitle)
}

// submitTo sends a response to a form as a member of the public, by
// question title.
func (o *office) submitTo(t *testing.T, formID string, byTitle map[string]string) {
	t.Helper()
	f, ok := o.srv.Form(formID)
	if !ok {
		t.Fatalf("form %s not on the fake", formID)
	}
	answers := map[string]*forms.Answer{}
	for _, it := range f.Items {
		if v, ok := byTitle[it.Title]; ok && it.QuestionItem != nil {
			answers[it.QuestionItem.Question.QuestionId] = &forms.Answer{TextAnswers: &forms.TextAnswers{Answers: []*forms.TextAnswer{{Value: v}}}}
		}
	}
	if len(answers) != len(byTitle) {
		t.Fatalf("matched %d of %d question titles", len(answers), len(byTitle))
	}
	if _, err := o.srv.SubmitResponse(formID, answers, ""); err != nil {
		t.Fatal(err)
	}
}

func TestHelpListsCommands(t *testing.T) {
	r := kopi(t, "help")
	if r.err != nil {
		t.Fatal(r.err)
	}
	for _, c := range []string{"once", "init", "demo"} {
		if !strings.Contains(r.stdout, "  "+c+" ") {
			t.Errorf("help does not list %q:\n%s", c, r.stdout)
		}
	}
}
