package crossguard_test

import (
	"slices"
	"testing"

	"crossguard"
)

// TestRefusalClass checks the class of every refusal reason the federation
// layer and the stores give today, and that a reason of unknown words is
// "other".
func TestRefusalClass(t *testing.T) {
	for _, c := range []struct{ reason, class string }{
		{"signed by a key that is not the origin's", crossguard.RefusalSignature},
		{"malformed signature", crossguard.RefusalSignature},
		{"origin cn-customs/ghost is not a known node (add its card with crossguard peer add, --origin-only if it is not a direct peer)", crossguard.RefusalUnknownOrigin},
		{"outside the sharing policy: TLP:RED goes only to the named recipients", crossguard.RefusalPolicy},
		{"malformed record header: unexpected end of JSON input", crossguard.RefusalMalformed},
		{`malformed record: id "x" is not a UUID`, crossguard.RefusalMalformed},
		{"malformed withdrawal: the id is not a UUID", crossguard.RefusalMalformed},
		{"malformed path: none given", crossguard.RefusalMalformed},
		{"malformed seizure: json: unknown field \"driver\"", crossguard.RefusalMalformed},
		{"page refused: malformed page (from cn-customs/evil, after cursor 3; nothing of it was stored)", crossguard.RefusalMalformed},
		{"record of 2000000 bytes, over the protocol's limit of 1048576", crossguard.RefusalMalformed},
		{`kind "person" is not a shareable record kind`, crossguard.RefusalMalformed},
		{"invalid seizure: goods[0].quantity: must be positive", crossguard.RefusalInvalid},
		{"invalid warning: reason: is required", crossguard.RefusalInvalid},
		{"Invalid annotation: text: too long", crossguard.RefusalInvalid},
		{"version 1 is older than the version 2 held here: a replay", crossguard.RefusalReplay},
		{"not newer than the version held", crossguard.RefusalReplay},
		{"record 0190f0c2-0000-7000-8000-000000000001 belongs to pk-customs/sost, not cn-customs/evil", crossguard.RefusalConflict},
		{"record 0190f0c2-0000-7000-8000-000000000001 is a seizure, not a annotation", crossguard.RefusalConflict},
		{"withdrawal from cn-customs/evil of a copy received from pk-customs/hq", crossguard.RefusalConflict},
		{"withdrawal of this node's own record", crossguard.RefusalConflict},
		{"a version of this node's own record", crossguard.RefusalLooped},
		{"looped: the path runs through this node", crossguard.RefusalLooped},
		{"warning records are not yet supported by this node (protocol 2)", crossguard.RefusalOther},
		{"", crossguard.RefusalOther},
		{"something nobody foresaw", crossguard.RefusalOther},
	} {
		t.Run(c.class+"/"+c.reason, func(t *testing.T) {
			got := crossguard.RefusalClass(c.reason)
			if got != c.class {
				t.Fatalf("RefusalClass(%q) = %q, want %q", c.reason, got, c.class)
			}
			if !slices.Contains(crossguard.RefusalClasses, got) {
				t.Fatalf("RefusalClass(%q) = %q, not one of %v", c.reason, got, crossguard.RefusalClasses)
			}
		})
	}
}
