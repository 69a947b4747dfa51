package crossguard_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryPackageHasDocComment fails unless every package in the module
// has a package doc comment, so that `go doc` explains each one.
func TestEveryPackageHasDocComment(t *testing.T) {
	dirs := packageDirs(t)
	for dir, files := range dirs {
		documented := map[string]bool{} // by package name
		for _, path := range files {
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ParseComments|parser.PackageClauseOnly)
			if err != nil {
				t.Fatalf("parse %s: %v", path, err)
			}
			documented[f.Name.Name] = documented[f.Name.Name] || f.Doc != nil && strings.TrimSpace(f.Doc.Text()) != ""
		}
		for name, ok := range documented {
			if !ok {
				t.Errorf("package %s in %s has no package doc comment", name, dir)
			}
		}
	}
}

// packageDirs returns the module's package directories, each with its
// non-test Go files, skipping hidden directories and testdata.
func packageDirs(t *testing.T) map[string][]string {
	t.Helper()
	dirs := map[string][]string{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != "." {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			dirs[filepath.Dir(path)] = append(dirs[filepath.Dir(path)], path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 5 {
		t.Fatalf("found only %d package directories; is the test running at the module root?", len(dirs))
	}
	return dirs
}

// TestRootDependencies keeps the package doc true: the root package
// imports the standard library and refdata, personaldata, canonjson and
// identifier only; the first three import the standard library only, and
// identifier imports refdata and golang.org/x/text besides.
func TestRootDependencies(t *testing.T) {
	allowed := map[string]bool{"crossguard/refdata": true, "crossguard/personaldata": true, "crossguard/canonjson": true, "crossguard/identifier": true}
	theirs := map[string]map[string]bool{
		"crossguard/identifier": {"crossguard/refdata": true, "golang.org/x/text/cases": true, "golang.org/x/text/unicode/norm": true},
	}
	check := func(dir string, allow map[string]bool) {
		t.Helper()
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatalf("list %s: %v", dir, err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatalf("parse %s: %v", name, err)
			}
			for _, imp := range f.Imports {
				path := strings.Trim(imp.Path.Value, `"`)
				first, _, _ := strings.Cut(path, "/")
				if allow[path] || (!strings.Contains(first, ".") && first != "crossguard") {
					continue
				}
				t.Errorf("%s imports %s: not the standard library nor one of %v", name, path, allow)
			}
		}
	}
	check(".", allowed)
	for dir := range allowed {
		check(strings.TrimPrefix(dir, "crossguard/"), theirs[dir])
	}
}
