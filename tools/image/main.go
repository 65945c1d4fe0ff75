// Command image writes kopi's container image as an OCI image layout
// without a container daemon: an empty base, one layer holding the static
// kopi binary (CGO_ENABLED=0, built here for each architecture), the CA
// certificates of the build machine's Debian ca-certificates bundle and
// a passwd entry for the non-root user 65532, run with a read-only root
// file system in mind (kopi writes nothing but what it sends to Google).
// tzdata needs no file: the binary embeds it (time/tzdata).
//
// It lives outside cmd/kopi so that go-containerregistry stays out of the
// kopi binary. Push the result with any OCI tool, e.g.
// `crane push dist/oci registry.example/kopi:v1.2.3` (crane reads an OCI
// layout) or `skopeo copy oci:dist/oci docker://…`.
//
//	go run ./tools/image -out dist/oci -version v1.2.3 -revision $(git rev-parse HEAD) \
//		-source $(git config --get remote.origin.url)
package main

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Where things are in the image.
const (
	binPath    = "/usr/local/bin/kopi"
	caPath     = "/etc/ssl/certs/ca-certificates.crt" // where crypto/x509 looks first on Linux
	nonRootUID = 65532                                // the conventional "nonroot" of distroless images
	homeDir    = "/home/nonroot"
)

// options say what to build.
type options struct {
	module    string   // directory of the kopi module
	out       string   // OCI layout directory (replaced)
	arches    []string // linux architectures
	version   string
	revision  string
	source    string
	caBundle  string
	created   time.Time // image and file times: fixed, so a rebuild is identical
	goCommand string
}

func main() {
	var o options
	var arches, created string
	flag.StringVar(&o.module, "module", ".", "directory of the kopi module")
	flag.StringVar(&o.out, "out", "dist/oci", "OCI image layout directory to write (replaced)")
	flag.StringVar(&arches, "arch", "amd64,arm64", "comma-separated linux architectures")
	flag.StringVar(&o.version, "version", "", "version label and main.version (required)")
	flag.StringVar(&o.revision, "revision", "", "VCS revision label (required)")
	flag.StringVar(&o.source, "source", "", "source repository URL label (required)")
	flag.StringVar(&o.caBundle, "ca-bundle", "/etc/ssl/certs/ca-certificates.crt", "PEM CA bundle to install (Debian ca-certificates)")
	flag.StringVar(&created, "created", os.Getenv("SOURCE_DATE_EPOCH"), "image time in Unix seconds (default SOURCE_DATE_EPOCH, else 0)")
	flag.Parse()
	o.arches = strings.Split(arches, ",")
	if created != "" {
		sec, err := strconv.ParseInt(created, 10, 64)
		if err != nil {
			fmt.Fprintf(os.Stderr, "image: -created %q: %v\n", created, err)
			os.Exit(2)
		}
		o.created = time.Unix(sec, 0).UTC()
	} else {
		o.created = time.Unix(0, 0).UTC()
	}
	if err := build(o); err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
}

// build writes the image index with one image per architecture.
func build(o options) error {
	if o.version == "" || o.revision == "" || o.source == "" {
		return errors.New("-version, -revision and -source are required")
	}
	if o.goCommand == "" {
		o.goCommand = "go"
	}
	ca, err := os.ReadFile(o.caBundle)
	if err != nil {
		return fmt.Errorf("read CA bundle: %w", err)
	}
	if n := countCerts(ca); n == 0 {
		return fmt.Errorf("CA bundle %s holds no certificate", o.caBundle)
	}
	tmp, err := os.MkdirTemp("", "kopi-image-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	for _, arch := range o.arches {
		bin := filepath.Join(tmp, "kopi-"+arch)
		if err := buildBinary(o, arch, bin); err != nil {
			return err
		}
		img, err := image(o, arch, bin, ca)
		if err != nil {
			return fmt.Errorf("image for linux/%s: %w", arch, err)
		}
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{
			Add:        img,
			Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: arch}},
		})
	}
	if err := os.RemoveAll(o.out); err != nil {
		return err
	}
	if _, err := layout.Write(o.out, idx); err != nil {
		return fmt.Errorf("write OCI layout %s: %w", o.out, err)
	}
	return nil
}

// buildBinary builds a static kopi for linux/arch.
func buildBinary(o options, arch, out string) error {
	cmd := exec.Command(o.goCommand, "build", "-trimpath",
		"-ldflags", "-s -w -X main.version="+o.version, "-o", out, "./cmd/kopi")
	cmd.Dir = o.module
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build kopi for linux/%s: %w", arch, err)
	}
	return nil
}

// image is the empty base plus one layer and the run configuration.
func image(o options, arch, bin string, ca []byte) (v1.Image, error) {
	kopi, err := os.ReadFile(bin)
	if err != nil {
		return nil, err
	}
	layerTar, err := rootfs(o.created, kopi, ca)
	if err != nil {
		return nil, err
	}
	// The layer is gzipped once and kept (WithCompressedCaching): without
	// it the digest and the blob written to the layout each compressed
	// the whole binary again.
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerTar)), nil
	}, tarball.WithMediaType(types.OCILayer), tarball.WithCompressedCaching)
	if err != nil {
		return nil, err
	}
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err = mutate.Append(img, mutate.Addendum{Layer: layer, History: v1.History{
		Created: v1.Time{Time: o.created}, CreatedBy: "kopi tools/image", Comment: "kopi " + o.version,
	}})
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture, cf.Created = "linux", arch, v1.Time{Time: o.created}
	sum := sha256.Sum256(ca)
	cf.Config = v1.Config{
		Entrypoint: []string{binPath},
		User:       fmt.Sprintf("%d:%d", nonRootUID, nonRootUID),
		WorkingDir: homeDir,
		Env:        []string{"PATH=/usr/local/bin", "HOME=" + homeDir},
		Labels: map[string]string{
			"org.opencontainers.image.title":    "kopi",
			"org.opencontainers.image.version":  o.version,
			"org.opencontainers.image.revision": o.revision,
			"org.opencontainers.image.source":   o.source,
			"org.opencontainers.image.created":  o.created.Format(time.RFC3339),
			// Which CA bundle went in, so a stale one can be spotted.
			"id.kopi.ca-bundle.sha256": hex.EncodeToString(sum[:]),
		},
	}
	return mutate.ConfigFile(img, cf)
}

// rootfs is the image's only layer, as a tar: directories, the user
// database, the CA bundle and the binary, all owned by root (the kopi
// user can read and run them, not change them) except its home.
func rootfs(mtime time.Time, kopi, ca []byte) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	dir := func(name string, mode int64, uid int) error {
		return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: mode, Uid: uid, Gid: uid, ModTime: mtime, Format: tar.FormatPAX})
	}
	file := func(name string, mode int64, data []byte) error {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(data)), ModTime: mtime, Format: tar.FormatPAX}); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	passwd := fmt.Sprintf("root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:%d:%d:nonroot:%s:/sbin/nologin\n", nonRootUID, nonRootUID, homeDir)
	group := fmt.Sprintf("root:x:0:\nnonroot:x:%d:\n", nonRootUID)
	steps := []func() error{
		func() error { return dir("etc", 0o755, 0) },
		func() error { return file("etc/passwd", 0o644, []byte(passwd)) },
		func() error { return file("etc/group", 0o644, []byte(group)) },
		func() error { return dir("etc/ssl", 0o755, 0) },
		func() error { return dir("etc/ssl/certs", 0o755, 0) },
		func() error { return file(strings.TrimPrefix(caPath, "/"), 0o644, ca) },
		func() error { return dir("home", 0o755, 0) },
		func() error { return dir(strings.TrimPrefix(homeDir, "/"), 0o700, nonRootUID) },
		func() error { return dir("tmp", 0o1777, 0) },
		func() error { return dir("usr", 0o755, 0) },
		func() error { return dir("usr/local", 0o755, 0) },
		func() error { return dir("usr/local/bin", 0o755, 0) },
		func() error { return file(strings.TrimPrefix(binPath, "/"), 0o755, kopi) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, fmt.Errorf("write layer: %w", err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("write layer: %w", err)
	}
	return buf.Bytes(), nil
}

// countCerts counts the certificates of a PEM bundle that parse.
func countCerts(pemData []byte) int {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemData) {
		return 0
	}
	return len(pool.Subjects()) //lint:ignore SA1019 counting only; no system pool involved
}
