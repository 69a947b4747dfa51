package httpapi

import (
	"fmt"
	"net/http"

	"crossguard"
	"crossguard/federation/fedtls"
)

// peerItem is a peer as GET and POST /api/v1/peers answer it: the stored
// peer (card, policy and status) plus figures computed from the status.
type peerItem struct {
	*crossguard.Peer
	// OriginOnly shadows the embedded field, which omits false, so that
	// the API always shows it.
	OriginOnly bool `json:"origin_only"`
	// RecordsBehind is how many changes of the peer's feed this node had
	// not applied as of the last pull (crossguard.PeerStatus.Behind).
	RecordsBehind int64 `json:"records_behind"`
}

// newPeerItem returns the API form of p.
func newPeerItem(p *crossguard.Peer) peerItem {
	return peerItem{Peer: p, OriginOnly: p.OriginOnly, RecordsBehind: p.Status.Behind()}
}

// peerInput is the body of POST /api/v1/peers: the other node's card, as
// its administrator gave it, and the sharing policy for it.
type peerInput struct {
	Card         crossguard.NodeCard `json:"card"`
	Relationship string              `json:"relationship"`
	Kinds        []string            `json:"kinds"`
	MaxTLP       string              `json:"max_tlp"`
	OriginOnly   bool                `json:"origin_only"`
}

// listPeers answers every peer with its policy and the state of the
// exchange with it, by id.
func (s *Server) listPeers(w http.ResponseWriter, r *http.Request) error {
	peers, err := s.Peers.Peers(r.Context())
	if err != nil {
		return err
	}
	items := make([]peerItem, len(peers))
	for i, p := range peers {
		items[i] = newPeerItem(p)
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"items": items})
	return nil
}

// putPeer adds a peer, answering 201, or changes the card details and
// policy of a known one (same id and public key), answering 200; the node
// then withdraws or serves records so that the peer holds what its new
// policy allows.
func (s *Server) putPeer(w http.ResponseWriter, r *http.Request) error {
	var in peerInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	p := &crossguard.Peer{Card: in.Card, Relationship: in.Relationship, Kinds: in.Kinds,
		MaxTLP: in.MaxTLP, OriginOnly: in.OriginOnly}
	if err := checkPeer(p, s.Info.Agency); err != nil {
		return err
	}
	status := http.StatusCreated
	_, err := s.Peers.Peer(r.Context(), p.Card.ID)
	switch {
	case err == nil:
		status = http.StatusOK
	case crossguard.ErrorCode(err) != crossguard.ENOTFOUND:
		return err
	}
	out, err := s.Peers.PutPeer(r.Context(), actorOf(r.Context()), p)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, status, newPeerItem(out))
	return nil
}

// checkPeer validates the card and the policy of a peer to add, so that
// the client sees every field at fault at once, card fields under
// "card.". The node checks them again, with the rules that need the
// store (a known id with another key, the node's own card).
func checkPeer(p *crossguard.Peer, localAgency string) error {
	var fields []crossguard.FieldError
	if err := crossguard.CheckCard(&p.Card); err != nil {
		for _, f := range crossguard.ErrorFields(err) {
			fields = append(fields, crossguard.FieldError{Field: "card." + f.Field, Message: f.Message})
		}
	}
	if p.Card.PublicKey != "" {
		if _, err := fedtls.ParsePublicKey(p.Card.PublicKey); err != nil {
			fields = append(fields, crossguard.FieldError{Field: "card.public_key", Message: crossguard.ErrorMessage(err)})
		}
	}
	if err := crossguard.CheckPeerPolicy(p, localAgency); err != nil {
		fields = append(fields, crossguard.ErrorFields(err)...)
	}
	if len(fields) == 0 {
		return nil
	}
	return &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid peer", Fields: fields}
}

// removePeer forgets the peer {agency}/{node}: from then on its key is
// refused and nothing is exchanged with it. With ?purge=true it also
// removes the copies the peer was the only source of (see
// node.Node.PurgePeer) and answers what it purged; the purge of a peer
// already removed resumes.
func (s *Server) removePeer(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("agency") + "/" + r.PathValue("node")
	purge := false
	switch v := r.URL.Query().Get("purge"); v {
	case "", "false":
	case "true":
		purge = true
	default:
		return &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid query",
			Fields: []crossguard.FieldError{{Field: "purge", Message: fmt.Sprintf("%q is not true or false", clip(v, 20))}}}
	}
	err := s.Peers.RemovePeer(r.Context(), actorOf(r.Context()), id)
	notFound := crossguard.ErrorCode(err) == crossguard.ENOTFOUND
	if err != nil && (!purge || !notFound) {
		if notFound {
			return crossguard.Errorf(crossguard.ENOTFOUND, "%s is not a peer of this node", clip(id, 200))
		}
		return err
	}
	if !purge {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	total, perr := s.Peers.PurgePeer(r.Context(), actorOf(r.Context()), id, nil)
	if perr != nil {
		return perr
	}
	if notFound && total.Sources == 0 {
		return crossguard.Errorf(crossguard.ENOTFOUND, "%s is not a peer of this node and no copy of it is left to purge", clip(id, 200))
	}
	s.writeJSON(w, r, http.StatusOK, total)
	return nil
}

// ackAnswer is the answer of POST /api/v1/peers/{agency}/{node}/ack: the
// refusal acknowledged (null if none was waiting) and the peer as it now
// stands.
type ackAnswer struct {
	Acknowledged *crossguard.PeerRefusal `json:"acknowledged"`
	Peer         peerItem                `json:"peer"`
}

// ackPeer records that the administrator has seen the refusals from the
// peer {agency}/{node}: its last refusal and the count since the last
// acknowledgement are cleared, and the acknowledgement audited.
func (s *Server) ackPeer(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("agency") + "/" + r.PathValue("node")
	acked, err := s.Peers.AckPeerRefusals(r.Context(), actorOf(r.Context()), id)
	if crossguard.ErrorCode(err) == crossguard.ENOTFOUND {
		return crossguard.Errorf(crossguard.ENOTFOUND, "%s is not a peer of this node", clip(id, 200))
	} else if err != nil {
		return err
	}
	p, err := s.Peers.Peer(r.Context(), id)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, ackAnswer{Acknowledged: acked, Peer: newPeerItem(p)})
	return nil
}
