package fedtls

import (
	"crypto/ed25519"
	"crypto/x509"
	"net"
	"slices"
	"testing"
	"time"
)

func TestCertificateCarriesNodeKeyAndID(t *testing.T) {
	pub, key := MustKey(t)
	cert := MustCertificate(t, key, "pk-customs/sost")
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := leaf.PublicKey.(ed25519.PublicKey); !ok || !got.Equal(pub) {
		t.Errorf("certificate key is %v, want the node key", leaf.PublicKey)
	}
	if leaf.Subject.CommonName != "pk-customs/sost" {
		t.Errorf("common name %q, want the node id", leaf.Subject.CommonName)
	}
	if got, err := verifyCertificates([]*x509.Certificate{leaf}, time.Now()); err != nil || !got.Equal(pub) {
		t.Errorf("the certificate does not verify: %v", err)
	}
	now := time.Now()
	if !leaf.NotBefore.Before(now.Add(-23*time.Hour)) || leaf.NotAfter.Before(now.Add(9*365*24*time.Hour)) {
		t.Errorf("valid from %s to %s, want from a day ago for about ten years", leaf.NotBefore, leaf.NotAfter)
	}
	if leaf.KeyUsage != x509.KeyUsageDigitalSignature {
		t.Errorf("key usage %v, want digital signature only", leaf.KeyUsage)
	}
	if !slices.Equal(leaf.ExtKeyUsage, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}) {
		t.Errorf("extended key usage %v, want server and client auth", leaf.ExtKeyUsage)
	}
	if leaf.IsCA {
		t.Error("the certificate is a CA")
	}
	if !slices.Equal(leaf.DNSNames, []string{"localhost"}) || len(leaf.IPAddresses) != 2 ||
		!leaf.IPAddresses[0].Equal(net.IPv4(127, 0, 0, 1)) || !leaf.IPAddresses[1].Equal(net.IPv6loopback) {
		t.Errorf("names %v %v, want localhost, 127.0.0.1 and ::1", leaf.DNSNames, leaf.IPAddresses)
	}
	if other := MustCertificate(t, key, "pk-customs/sost"); other.Leaf.SerialNumber.Cmp(leaf.SerialNumber) == 0 {
		t.Errorf("two certificates share serial %v", leaf.SerialNumber)
	}
}

func TestCertificateRefusesBadInput(t *testing.T) {
	_, key := MustKey(t)
	tests := []struct {
		name string
		key  ed25519.PrivateKey
		id   string
	}{
		{"no key", nil, "pk-customs/sost"},
		{"short key", key[:31], "pk-customs/sost"},
		{"no node id", key, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Certificate(tt.key, tt.id); err == nil {
				t.Error("no error")
			}
		})
	}
}
