package matchfilter

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Vocabulary is the closed lists of identifier types and commodity
// categories that a filter may name. The node passes the identifier types it
// matches on (never those of natural persons) and the seizure categories;
// Builder refuses anything else, and so does DecodeFilter, so neither side
// can smuggle free text into a filter's metadata.
type Vocabulary struct {
	Types      []string // e.g. "container", "plate"
	Categories []string // e.g. "narcotics", "tobacco"
}

// maxVocabulary is how many types or categories a vocabulary may hold: an
// entry names each by a one-byte index.
const maxVocabulary = 256

// tokenPattern is the form of an identifier type or a category: a
// lowercase token, which needs no escaping in JSON.
var tokenPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// nodeIDPattern is the form of a node id, AGENCY/NODE, as the federation
// protocol defines it.
var nodeIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}/[a-z0-9][a-z0-9-]{0,62}$`)

// check returns an error unless both lists are of tokens, without
// repetition, and no longer than an entry can index.
func (v Vocabulary) check() error {
	for _, list := range []struct {
		name  string
		items []string
	}{{"types", v.Types}, {"categories", v.Categories}} {
		if len(list.items) > maxVocabulary {
			return fmt.Errorf("vocabulary: %d %s, more than %d", len(list.items), list.name, maxVocabulary)
		}
		seen := map[string]bool{}
		for _, s := range list.items {
			if !tokenPattern.MatchString(s) {
				return fmt.Errorf("vocabulary: %s %q is not a lowercase token", list.name, s)
			}
			if seen[s] {
				return fmt.Errorf("vocabulary: %s %q listed twice", list.name, s)
			}
			seen[s] = true
		}
	}
	return nil
}

// checkNodeID returns an error unless id is a node id AGENCY/NODE.
func checkNodeID(id string) error {
	if !nodeIDPattern.MatchString(id) {
		return fmt.Errorf("node id %q is not AGENCY/NODE", id)
	}
	return nil
}

// agency returns the agency part of a node id AGENCY/NODE.
func agency(nodeID string) string {
	a, _, _ := strings.Cut(nodeID, "/")
	return a
}

// usedOf returns the members of list whose flag in used is set, sorted: the
// dictionary a filter carries.
func usedOf(list []string, used []bool) []string {
	var out []string
	for i, u := range used {
		if u {
			out = append(out, list[i])
		}
	}
	slices.Sort(out)
	return out
}
