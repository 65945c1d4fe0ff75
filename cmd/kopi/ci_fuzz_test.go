package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// fuzzFunc finds a fuzz target's declaration.
var fuzzFunc = regexp.MustCompile(`(?m)^func (Fuzz\w+)\(f \*testing\.F\)`)

// TestCIRunsEveryFuzzTarget: every fuzz target in the module is listed,
// with its package, in the fuzz step of .ci/run, and every listed one
// exists, so a new target cannot be left out of CI.
func TestCIRunsEveryFuzzTarget(t *testing.T) {
	root := filepath.Join("..", "..")
	var found []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		for _, m := range fuzzFunc.FindAllStringSubmatch(string(src), -1) {
			found = append(found, "./"+filepath.ToSlash(rel)+" "+m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ci, err := os.ReadFile(filepath.Join(root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(ci), "fuzz_targets=\"")
	block, _, _ = strings.Cut(block, "\"")
	if !ok {
		t.Fatal(".ci/run has no fuzz_targets list")
	}
	var listed []string
	for _, line := range strings.Split(block, "\n") {
		fields := strings.Fields(line)
		for _, target := range fields[min(1, len(fields)):] {
			listed = append(listed, fields[0]+" "+target)
		}
	}
	slices.Sort(found)
	slices.Sort(listed)
	if len(found) == 0 || !slices.Equal(found, listed) {
		t.Errorf("fuzz targets in the code:\n%s\nlisted in .ci/run:\n%s", strings.Join(found, "\n"), strings.Join(listed, "\n"))
	}
}
