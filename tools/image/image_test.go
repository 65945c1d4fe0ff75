package main

import (
	"archive/tar"
	"debug/elf"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/layout"
)

// TestImageRunsKopiFromItsFilesystem builds the image for this machine's
// architecture with the tool's command line, reads it back from the OCI
// layout, checks its configuration, unpacks its layer and runs `kopi
// version` and `kopi demo` from the unpacked files — chrooted into them as user 65532
// when the test runs as root, so nothing of the build machine (libc,
// certificates, zoneinfo) can help.
func TestImageRunsKopiFromItsFilesystem(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the image is a linux image; running its binary needs linux")
	}
	module, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "oci")
	created := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	o := options{
		module: module, out: out, arches: []string{runtime.GOARCH},
		version: "v9.8.7-uji", revision: "0123456789abcdef", source: "https://example.org/kopi.git",
		caBundle: "/etc/ssl/certs/ca-certificates.crt", created: created,
	}
	if _, err := os.Stat(o.caBundle); err != nil {
		t.Skipf("no Debian CA bundle on this machine: %v", err)
	}
	// The tool runs as its own process, as CI runs it (`go run
	// ./tools/image`): built without the race detector, it compresses the
	// 27 MB layer at native speed instead of through the instrumented
	// compress/flate of this test binary. Its flags give exactly o.
	cmd := exec.Command("go", "run", ".", "-module", o.module, "-out", o.out, "-arch", strings.Join(o.arches, ","),
		"-version", o.version, "-revision", o.revision, "-source", o.source, "-ca-bundle", o.caBundle,
		"-created", strconv.FormatInt(o.created.Unix(), 10))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./tools/image: %v\n%s", err, b)
	}

	idx, err := layout.ImageIndexFromPath(out)
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Manifests) != 1 || im.Manifests[0].Platform == nil ||
		im.Manifests[0].Platform.OS != "linux" || im.Manifests[0].Platform.Architecture != runtime.GOARCH {
		t.Fatalf("index manifests = %+v", im.Manifests)
	}
	img, err := idx.Image(im.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	c := cf.Config
	if c.User != "65532:65532" || len(c.Entrypoint) != 1 || c.Entrypoint[0] != "/usr/local/bin/kopi" {
		t.Errorf("config user %q entrypoint %q", c.User, c.Entrypoint)
	}
	for k, want := range map[string]string{
		"org.opencontainers.image.version":  "v9.8.7-uji",
		"org.opencontainers.image.revision": "0123456789abcdef",
		"org.opencontainers.image.source":   "https://example.org/kopi.git",
	} {
		if c.Labels[k] != want {
			t.Errorf("label %s = %q, want %q", k, c.Labels[k], want)
		}
	}
	if !cf.Created.Time.Equal(created) {
		t.Errorf("created %v, want %v (reproducible)", cf.Created.Time, created)
	}
	layers, err := img.Layers()
	if err != nil || len(layers) != 1 {
		t.Fatalf("layers %d, %v; want one on an empty base", len(layers), err)
	}

	root := t.TempDir()
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	// The only layer as the layout holds it, inflated by gzip(1) (Debian
	// marks it essential) rather than by mutate.Extract in this process:
	// under -race, inflating the 27 MB layer through the instrumented
	// compress/flate cost about 5 CPU-seconds. The tar stream is read
	// and checked here as before.
	blob, err := layers[0].Compressed()
	if err != nil {
		t.Fatal(err)
	}
	defer blob.Close()
	gunzip := exec.Command("gzip", "-dc")
	gunzip.Stdin = blob
	gunzip.Stderr = os.Stderr
	layerTar, err := gunzip.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := gunzip.Start(); err != nil {
		t.Fatalf("gzip -dc: %v", err)
	}
	unpack(t, layerTar, root)
	if err := gunzip.Wait(); err != nil {
		t.Fatalf("gzip -dc: the layer is not a whole gzip stream: %v", err)
	}
	bin := filepath.Join(root, "usr/local/bin/kopi")
	st, err := os.Stat(bin)
	if err != nil || st.Mode().Perm() != 0o755 {
		t.Fatalf("binary: %v %v", st, err)
	}
	if ca, err := os.ReadFile(filepath.Join(root, "etc/ssl/certs/ca-certificates.crt")); err != nil || countCerts(ca) < 10 {
		t.Errorf("CA bundle: %d certificates, %v", countCerts(ca), err)
	}
	if pw, _ := os.ReadFile(filepath.Join(root, "etc/passwd")); !strings.Contains(string(pw), "nonroot:x:65532:65532:") {
		t.Errorf("/etc/passwd lacks the nonroot user:\n%s", pw)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary asks for a dynamic loader: not static")
		}
	}
	f.Close()

	run := func(args ...string) string {
		t.Helper()
		var cmd *exec.Cmd
		if os.Geteuid() == 0 {
			cmd = exec.Command("/usr/local/bin/kopi", args...)
			cmd.SysProcAttr = &syscall.SysProcAttr{Chroot: root, Credential: &syscall.Credential{Uid: 65532, Gid: 65532}}
			cmd.Dir = "/"
		} else {
			cmd = exec.Command(bin, args...)
			cmd.Dir = root
		}
		cmd.Env = append([]string{}, cf.Config.Env...)
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("kopi %s from the image: %v\n%s", strings.Join(args, " "), err, b)
		}
		return string(b)
	}
	if got := run("version"); !strings.HasPrefix(got, "kopi v9.8.7-uji (go") || !strings.Contains(got, "linux/"+runtime.GOARCH) {
		t.Errorf("kopi version = %q", got)
	}
	demo := run("demo")
	for _, want := range []string{"KOPI-2026-0001", "sheets.spreadsheets.get"} {
		if !strings.Contains(demo, want) {
			t.Errorf("kopi demo output lacks %q:\n%s", want, demo)
		}
	}
}

// unpack writes a flattened image file system under root, refusing
// paths that leave it.
func unpack(t *testing.T, rc io.ReadCloser, root string) {
	t.Helper()
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(root, filepath.FromSlash(h.Name))
		if !strings.HasPrefix(name, root+string(filepath.Separator)) {
			t.Fatalf("layer path %q leaves the root", h.Name)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(name, os.FileMode(h.Mode).Perm()); err != nil {
				t.Fatal(err)
			}
			_ = os.Chmod(name, os.FileMode(h.Mode).Perm()|modeBits(h.Mode))
		case tar.TypeReg:
			f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, os.FileMode(h.Mode).Perm())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(f, tr); err != nil {
				t.Fatal(err)
			}
			f.Close()
		default:
			t.Fatalf("unexpected entry %q of type %c", h.Name, h.Typeflag)
		}
		if os.Geteuid() == 0 {
			if err := os.Lchown(name, h.Uid, h.Gid); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// modeBits maps tar's sticky bit to Go's.
func modeBits(mode int64) os.FileMode {
	if mode&0o1000 != 0 {
		return os.ModeSticky
	}
	return 0
}
