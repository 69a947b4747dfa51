package web

import (
	"strings"

	"crossguard"
)

// sharingSentence says in plain words who a record of this node with the
// given distribution, recipients and TLP will be shared with, following
// the rules of crossguard.MayShare.
func sharingSentence(tr *Translator, nodeID, dist string, recipients []string, tlp string) string {
	own := crossguard.Agency(nodeID)
	label := "TLP:" + strings.ToUpper(tlp)
	names := strings.Join(recipients, ", ")
	switch {
	case dist == crossguard.DistLocal:
		return tr.T("seizureform.share.local")
	case tlp == crossguard.TLPRed:
		return tr.T("seizureform.share.red", names)
	case dist == crossguard.DistAgency || tlp == crossguard.TLPAmberStrict:
		return tr.T("seizureform.share.agency", own, label)
	case len(recipients) > 0:
		return tr.T("seizureform.share.named", own, names, label)
	case dist == crossguard.DistPartners:
		return tr.T("seizureform.share.partners", own, label)
	case dist == crossguard.DistNetwork:
		return tr.T("seizureform.share.network", own, label)
	}
	return tr.T("seizureform.share.unknown")
}
