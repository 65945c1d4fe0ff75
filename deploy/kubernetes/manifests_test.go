package kubernetes

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/robfig/cron/v3"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	"kopi/rules"
)

// kustomization is the part of kustomize's Kustomization this
// repository uses. It is decoded strictly: a field the renderer below
// does not implement fails the test instead of being ignored.
type kustomization struct {
	APIVersion         string            `json:"apiVersion"`
	Kind               string            `json:"kind"`
	Namespace          string            `json:"namespace,omitempty"`
	Resources          []string          `json:"resources"`
	Images             []image           `json:"images,omitempty"`
	ConfigMapGenerator []generator       `json:"configMapGenerator,omitempty"`
	GeneratorOptions   *generatorOptions `json:"generatorOptions,omitempty"`
	Patches            []patch           `json:"patches,omitempty"`
}

type image struct {
	Name    string `json:"name"`
	NewName string `json:"newName,omitempty"`
	NewTag  string `json:"newTag,omitempty"`
}

type generator struct {
	Name  string   `json:"name"`
	Files []string `json:"files"`
}

type generatorOptions struct {
	DisableNameSuffixHash bool `json:"disableNameSuffixHash"`
}

type patch struct {
	Path string `json:"path"`
}

// object is one rendered manifest: its kind, name and generic content.
type object map[string]any

func (o object) kind() string { s, _ := o["kind"].(string); return s }
func (o object) name() string {
	m, _ := o["metadata"].(map[string]any)
	s, _ := m["name"].(string)
	return s
}

// decodeStrict decodes one object into its k8s.io/api type, failing on
// fields the type does not have.
func decodeStrict(data []byte) (any, error) {
	var tm struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := yaml.Unmarshal(data, &tm); err != nil {
		return nil, err
	}
	var into any
	switch tm.APIVersion + "/" + tm.Kind {
	case "batch/v1/CronJob":
		into = &batchv1.CronJob{}
	case "apps/v1/Deployment":
		into = &appsv1.Deployment{}
	case "v1/Namespace":
		into = &corev1.Namespace{}
	case "v1/ConfigMap":
		into = &corev1.ConfigMap{}
	default:
		return nil, fmt.Errorf("unexpected kind %s %s", tm.APIVersion, tm.Kind)
	}
	if err := unmarshalStrict(data, into); err != nil {
		return nil, fmt.Errorf("%s: %w", tm.Kind, err)
	}
	return into, nil
}

// unmarshalStrict decodes YAML as the API server does: keys match field
// names case-sensitively (encoding/json alone would take "timezone" for
// timeZone), and unknown or duplicate fields are errors.
func unmarshalStrict(data []byte, into any) error {
	j, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		return err
	}
	strict, err := kjson.UnmarshalStrict(j, into, kjson.DisallowUnknownFields, kjson.DisallowDuplicateFields)
	if err != nil {
		return err
	}
	return errors.Join(strict...)
}

// documents splits a YAML stream.
func documents(data []byte) [][]byte {
	var out [][]byte
	for _, d := range bytes.Split(data, []byte("\n---")) {
		if len(bytes.TrimSpace(d)) > 0 {
			out = append(out, d)
		}
	}
	return out
}

// readKustomization reads dir/kustomization.yaml strictly.
func readKustomization(dir string) (*kustomization, error) {
	b, err := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	if err != nil {
		return nil, err
	}
	var k kustomization
	if err := unmarshalStrict(b, &k); err != nil {
		return nil, fmt.Errorf("%s/kustomization.yaml: %w", dir, err)
	}
	if k.APIVersion != "kustomize.config.k8s.io/v1beta1" || k.Kind != "Kustomization" {
		return nil, fmt.Errorf("%s: not a Kustomization: %s %s", dir, k.APIVersion, k.Kind)
	}
	return &k, nil
}

// render builds dir as `kubectl apply -k` would for the features above:
// resources (files or directories with their own kustomization),
// configMapGenerator from files (only with disableNameSuffixHash, so
// names need no rewriting), patches merged by kind and name, images, and
// the namespace on every namespaced object.
func render(dir string) ([]object, error) {
	k, err := readKustomization(dir)
	if err != nil {
		return nil, err
	}
	var objs []object
	for _, r := range k.Resources {
		p := filepath.Join(dir, r)
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if st.IsDir() {
			sub, err := render(p)
			if err != nil {
				return nil, err
			}
			objs = append(objs, sub...)
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		for _, d := range documents(b) {
			var o object
			if err := yaml.Unmarshal(d, &o); err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			objs = append(objs, o)
		}
	}
	for _, g := range k.ConfigMapGenerator {
		if k.GeneratorOptions == nil || !k.GeneratorOptions.DisableNameSuffixHash {
			return nil, fmt.Errorf("%s: configMapGenerator %s without disableNameSuffixHash is not rendered here", dir, g.Name)
		}
		data := map[string]any{}
		for _, f := range g.Files {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				return nil, err
			}
			data[filepath.Base(f)] = string(b)
		}
		objs = append(objs, object{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": g.Name}, "data": data})
	}
	for _, p := range k.Patches {
		b, err := os.ReadFile(filepath.Join(dir, p.Path))
		if err != nil {
			return nil, err
		}
		var po object
		if err := yaml.Unmarshal(b, &po); err != nil {
			return nil, fmt.Errorf("%s: %w", p.Path, err)
		}
		i := slices.IndexFunc(objs, func(o object) bool { return o.kind() == po.kind() && o.name() == po.name() })
		if i < 0 {
			return nil, fmt.Errorf("%s: patch target %s %s not found", dir, po.kind(), po.name())
		}
		merged, err := merge(map[string]any(objs[i]), map[string]any(po), "")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Path, err)
		}
		objs[i] = merged.(map[string]any)
	}
	for _, o := range objs {
		for _, c := range containers(o) {
			for _, im := range k.Images {
				if c["image"] == im.Name {
					name := im.Name
					if im.NewName != "" {
						name = im.NewName
					}
					if im.NewTag != "" {
						name += ":" + im.NewTag
					}
					c["image"] = name
				}
			}
		}
		if k.Namespace != "" && o.kind() != "Namespace" {
			o["metadata"].(map[string]any)["namespace"] = k.Namespace
		}
	}
	return objs, nil
}

// merge is the strategic merge patch for what the patches here touch:
// maps merge key by key; a list of maps that all carry "name" (containers,
// volumes) merges element by element on the name; any other list and
// any scalar is replaced by the patch's.
func merge(base, patch any, path string) (any, error) {
	switch p := patch.(type) {
	case map[string]any:
		b, ok := base.(map[string]any)
		if !ok {
			if base != nil {
				return nil, fmt.Errorf("patch %s: a map over a %T", path, base)
			}
			b = map[string]any{}
		}
		out := map[string]any{}
		for k, v := range b {
			out[k] = v
		}
		for k, v := range p {
			m, err := merge(b[k], v, path+"."+k)
			if err != nil {
				return nil, err
			}
			out[k] = m
		}
		return out, nil
	case []any:
		b, _ := base.([]any)
		if !named(p) || !named(b) {
			return p, nil
		}
		out := slices.Clone(b)
		for _, pe := range p {
			name := pe.(map[string]any)["name"]
			i := slices.IndexFunc(out, func(e any) bool { return e.(map[string]any)["name"] == name })
			if i < 0 {
				out = append(out, pe)
				continue
			}
			m, err := merge(out[i], pe, fmt.Sprintf("%s[%v]", path, name))
			if err != nil {
				return nil, err
			}
			out[i] = m
		}
		return out, nil
	}
	return patch, nil
}

// named reports whether every element is a map with a "name".
func named(list []any) bool {
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok || m["name"] == nil {
			return false
		}
	}
	return true
}

// containers returns the container maps of a CronJob or Deployment.
func containers(o object) []map[string]any {
	spec, _ := o["spec"].(map[string]any)
	if o.kind() == "CronJob" {
		jt, _ := spec["jobTemplate"].(map[string]any)
		spec, _ = jt["spec"].(map[string]any)
	}
	tmpl, _ := spec["template"].(map[string]any)
	ps, _ := tmpl["spec"].(map[string]any)
	list, _ := ps["containers"].([]any)
	var out []map[string]any
	for _, c := range list {
		if m, ok := c.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func TestMergeIsAStrategicMergeOfNamedLists(t *testing.T) {
	base := map[string]any{"spec": map[string]any{
		"schedule":   "* * * * *",
		"containers": []any{map[string]any{"name": "a", "image": "x", "args": []any{"1"}}, map[string]any{"name": "b"}},
	}}
	patch := map[string]any{"spec": map[string]any{
		"containers": []any{map[string]any{"name": "a", "args": []any{"2", "3"}}, map[string]any{"name": "c"}},
	}}
	got, err := merge(base, patch, "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"spec": map[string]any{
		"schedule": "* * * * *",
		"containers": []any{
			map[string]any{"name": "a", "image": "x", "args": []any{"2", "3"}},
			map[string]any{"name": "b"}, map[string]any{"name": "c"},
		},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merge = %#v\nwant %#v", got, want)
	}
	if _, err := merge(map[string]any{"spec": "x"}, map[string]any{"spec": map[string]any{"a": 1}}, ""); err == nil {
		t.Error("a map patched over a scalar was accepted")
	}
}

func TestStrictDecodingRefusesUnknownFields(t *testing.T) {
	for _, bad := range []string{
		"apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: x}\nspec: {schedule: '* * * * *', timezone: Asia/Jakarta}\n",
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replica: 1}\n",
	} {
		if _, err := decodeStrict([]byte(bad)); err == nil {
			t.Errorf("accepted a misspelt field:\n%s", bad)
		}
	}
	for _, bad := range []string{
		"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamePrefix: x-\nresources: []\n",
		"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nResources: []\n",
	} {
		if _, err := readKustomizationFrom(t, bad); err == nil {
			t.Errorf("a kustomization the renderer does not implement was accepted:\n%s", bad)
		}
	}
}

func readKustomizationFrom(t *testing.T, text string) (*kustomization, error) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return readKustomization(dir)
}

// TestEveryManifestDecodesStrictly: each YAML file that is a Kubernetes
// object (not a kustomization, not a kopi configuration) decodes into
// its k8s.io/api type with no unknown field, and every kustomization
// uses only what render implements.
func TestEveryManifestDecodesStrictly(t *testing.T) {
	n := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		switch filepath.Base(path) {
		case "kustomization.yaml":
			_, err := readKustomization(filepath.Dir(path))
			return err
		case "kopi.yaml":
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if _, err := rules.ParseConfig(b); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, doc := range documents(b) {
			if isPatch(path) {
				// A patch is a partial object: decoded strictly after merging.
				continue
			}
			if _, err := decodeStrict(doc); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 4 {
		t.Errorf("only %d manifests found", n)
	}
}

// isPatch reports whether a file is listed as a patch by its directory's
// kustomization.
func isPatch(path string) bool {
	k, err := readKustomization(filepath.Dir(path))
	if err != nil {
		return false
	}
	return slices.ContainsFunc(k.Patches, func(p patch) bool { return p.Path == filepath.Base(path) })
}

// TestOverlaysRenderAnOfficeThatWorks renders every overlay and checks
// what each office relies on.
func TestOverlaysRenderAnOfficeThatWorks(t *testing.T) {
	overlays, err := os.ReadDir("overlays")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, ov := range overlays {
		t.Run(ov.Name(), func(t *testing.T) {
			dir := filepath.Join("overlays", ov.Name())
			objs, err := render(dir)
			if err != nil {
				t.Fatal(err)
			}
			k, _ := readKustomization(dir)
			var cfg *rules.Config
			var pod *corev1.PodSpec
			var podMeta map[string]string
			for _, o := range objs {
				b, err := yaml.Marshal(o)
				if err != nil {
					t.Fatal(err)
				}
				typed, err := decodeStrict(b)
				if err != nil {
					t.Fatalf("rendered %s %s: %v", o.kind(), o.name(), err)
				}
				kinds[o.kind()]++
				if ns, _ := o["metadata"].(map[string]any)["namespace"].(string); o.kind() != "Namespace" && ns != k.Namespace {
					t.Errorf("%s %s in namespace %q, want %q", o.kind(), o.name(), ns, k.Namespace)
				}
				switch v := typed.(type) {
				case *corev1.ConfigMap:
					if cfg, err = rules.ParseConfig([]byte(v.Data["kopi.yaml"])); err != nil {
						t.Fatalf("ConfigMap kopi.yaml: %v", err)
					}
				case *batchv1.CronJob:
					checkCronJob(t, v)
					pod = &v.Spec.JobTemplate.Spec.Template.Spec
				case *appsv1.Deployment:
					checkDeployment(t, v)
					pod = &v.Spec.Template.Spec
					podMeta = v.Spec.Template.Annotations
				}
			}
			if cfg == nil || pod == nil {
				t.Fatalf("overlay renders no kopi-config ConfigMap or no workload")
			}
			checkPod(t, pod, cfg)
			if podMeta != nil {
				port := cfg.HTTP.Listen[strings.LastIndexByte(cfg.HTTP.Listen, ':')+1:]
				if podMeta["prometheus.io/port"] != port {
					t.Errorf("scrape port %q, kopi listens on %q", podMeta["prometheus.io/port"], cfg.HTTP.Listen)
				}
			}
		})
	}
	if kinds["CronJob"] == 0 || kinds["Deployment"] == 0 {
		t.Errorf("overlays render %v: want at least one CronJob office and one Deployment office", kinds)
	}
}

func checkCronJob(t *testing.T, c *batchv1.CronJob) {
	t.Helper()
	s := c.Spec
	if s.TimeZone == nil || *s.TimeZone != "Asia/Jakarta" {
		t.Errorf("timeZone = %v, want Asia/Jakarta", s.TimeZone)
	}
	if s.ConcurrencyPolicy != batchv1.ForbidConcurrent {
		t.Errorf("concurrencyPolicy = %q, want Forbid: two kopi once on one spreadsheet must not overlap", s.ConcurrencyPolicy)
	}
	if _, err := cron.ParseStandard(s.Schedule); err != nil {
		t.Errorf("schedule %q: %v", s.Schedule, err)
	}
	if d := s.StartingDeadlineSeconds; d == nil || *d <= 0 || *d >= 60 {
		t.Errorf("startingDeadlineSeconds = %v, want set and under the 1-minute period", d)
	}
	if js := s.JobTemplate.Spec; js.BackoffLimit == nil || *js.BackoffLimit != 0 {
		t.Errorf("backoffLimit = %v, want 0 (the next run is the retry)", js.BackoffLimit)
	}
	if rp := s.JobTemplate.Spec.Template.Spec.RestartPolicy; rp != corev1.RestartPolicyNever {
		t.Errorf("restartPolicy = %q", rp)
	}
	for _, c := range s.JobTemplate.Spec.Template.Spec.Containers {
		if len(c.Args) == 0 || c.Args[0] != "once" {
			t.Errorf("container %s args %q, want kopi once", c.Name, c.Args)
		}
	}
}

func checkDeployment(t *testing.T, d *appsv1.Deployment) {
	t.Helper()
	if d.Spec.Replicas == nil || *d.Spec.Replicas != 1 || d.Spec.Strategy.Type != appsv1.RecreateDeploymentStrategyType {
		t.Errorf("replicas %v strategy %q, want 1 and Recreate (one instance per spreadsheet)", d.Spec.Replicas, d.Spec.Strategy.Type)
	}
	a := d.Spec.Template.Annotations
	if a["prometheus.io/scrape"] != "true" || a["prometheus.io/path"] != "/metrics" {
		t.Errorf("scrape annotations %v", a)
	}
	for _, c := range d.Spec.Template.Spec.Containers {
		if len(c.Args) == 0 || c.Args[0] != "run" {
			t.Errorf("container %s args %q, want kopi run", c.Name, c.Args)
		}
		for name, p := range map[string]*corev1.Probe{"liveness": c.LivenessProbe, "readiness": c.ReadinessProbe} {
			if p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/healthz" {
				t.Errorf("%s probe %+v, want GET /healthz", name, p)
				continue
			}
			if !slices.ContainsFunc(c.Ports, func(cp corev1.ContainerPort) bool {
				return cp.Name == p.HTTPGet.Port.String() || strconv.Itoa(int(cp.ContainerPort)) == p.HTTPGet.Port.String()
			}) {
				t.Errorf("%s probe port %s is not a container port", name, p.HTTPGet.Port.String())
			}
		}
	}
}

// checkPod: non-root, read-only root, sized, config from the ConfigMap
// at the path the args name, credentials and token from the Secret,
// read-only, at the paths the config names.
func checkPod(t *testing.T, p *corev1.PodSpec, cfg *rules.Config) {
	t.Helper()
	sc := p.SecurityContext
	if sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser == 0 {
		t.Errorf("pod securityContext %+v, want runAsNonRoot and a non-zero runAsUser", sc)
	}
	if p.AutomountServiceAccountToken == nil || *p.AutomountServiceAccountToken {
		t.Error("the pod mounts a Kubernetes API token it does not need")
	}
	volumes := map[string]corev1.Volume{}
	for _, v := range p.Volumes {
		volumes[v.Name] = v
	}
	if len(p.Containers) != 1 {
		t.Fatalf("%d containers", len(p.Containers))
	}
	c := p.Containers[0]
	if c.SecurityContext == nil || c.SecurityContext.ReadOnlyRootFilesystem == nil || !*c.SecurityContext.ReadOnlyRootFilesystem {
		t.Error("root file system is not read-only")
	}
	if c.SecurityContext == nil || c.SecurityContext.AllowPrivilegeEscalation == nil || *c.SecurityContext.AllowPrivilegeEscalation {
		t.Error("privilege escalation allowed")
	}
	req := c.Resources.Requests
	if req.Cpu().IsZero() || req.Memory().IsZero() || c.Resources.Limits.Memory().IsZero() {
		t.Errorf("resources %+v, want cpu and memory requests and a memory limit", c.Resources)
	}
	if c.Resources.Limits.Memory().Cmp(*req.Memory()) < 0 {
		t.Error("memory limit below the request")
	}
	if !strings.Contains(c.Image, ":") {
		t.Errorf("image %q has no tag", c.Image)
	}
	i := slices.Index(c.Args, "--config")
	if i < 0 || i+1 >= len(c.Args) {
		t.Fatalf("args %q name no --config", c.Args)
	}
	// mounted finds the volume a file lives on.
	mounted := func(file string) (*corev1.Volume, *corev1.VolumeMount, error) {
		for _, m := range c.VolumeMounts {
			if strings.HasPrefix(file, strings.TrimSuffix(m.MountPath, "/")+"/") {
				v, ok := volumes[m.Name]
				if !ok {
					return nil, nil, fmt.Errorf("mount %s has no volume", m.Name)
				}
				return &v, &m, nil
			}
		}
		return nil, nil, errors.New("on no mounted volume")
	}
	v, m, err := mounted(c.Args[i+1])
	if err != nil || v.ConfigMap == nil || v.ConfigMap.Name != "kopi-config" || !m.ReadOnly {
		t.Errorf("config %s: want on the kopi-config ConfigMap, read-only (%v)", c.Args[i+1], err)
	}
	for _, f := range []string{cfg.Google.CredentialsFile, cfg.Google.TokenFile} {
		v, m, err := mounted(f)
		if err != nil || v.Secret == nil || !m.ReadOnly {
			t.Errorf("%s: want on a Secret volume mounted read-only (%v)", f, err)
			continue
		}
		if mode := v.Secret.DefaultMode; mode == nil || *mode&0o037 != 0 {
			t.Errorf("secret %s defaultMode %v lets others read or anyone write", v.Secret.SecretName, mode)
		}
	}
	if cfg.Google.Endpoint != "" {
		t.Errorf("an office config points at a fake Workspace: %s", cfg.Google.Endpoint)
	}
}
