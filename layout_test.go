package crossguard_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeLayout keeps the README's section on the code layout true: its
// block names each package of the module on a line of its own, and names
// nothing that is not a package.
func TestReadmeLayout(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## Layout\n")
	if !ok {
		t.Fatal(`README.md has no "## Layout" section`)
	}
	_, block, ok := strings.Cut(section, "```\n")
	if ok {
		block, _, ok = strings.Cut(block, "```")
	}
	if !ok {
		t.Fatal("the README's layout section has no code block")
	}
	listed := map[string]bool{}
	for line := range strings.Lines(block) {
		if line == "" || line[0] == ' ' || line[0] == '\n' {
			continue // a continuation of the line above
		}
		name, _, _ := strings.Cut(line, " ")
		dir := strings.TrimSuffix(name, "/")
		if name == "crossguard" {
			dir = "."
		} else if !strings.HasSuffix(name, "/") {
			t.Errorf("layout line %q does not start with a package directory (a path ending in /)", strings.TrimSpace(line))
			continue
		}
		if listed[dir] {
			t.Errorf("the layout names %s twice", name)
		}
		listed[dir] = true
	}
	dirs := packageDirs(t)
	for dir := range dirs {
		if !listed[filepath.ToSlash(dir)] {
			t.Errorf("package %s is missing from the README's layout", dir)
		}
	}
	for dir := range listed {
		if _, ok := dirs[filepath.FromSlash(dir)]; !ok {
			t.Errorf("the README's layout names %s, which holds no package", dir)
		}
	}
}
