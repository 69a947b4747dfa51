// Package datadir manages a node's data directory: the node's Ed25519
// identity (private key and public description), its configuration, and the
// embedded SQLite database file when no PostgreSQL URL is configured.
//
// Layout:
//
//	node.json      the node's public identity (id, agency, country, name, key)
//	node.key       the Ed25519 private key, PEM (PKCS #8), mode 0600
//	config.json    settings chosen at init, such as the database URL
//	retired-keys.pem  keys retired by key rotations (node rotate-key), mode 0600
//	node.key.next  the new key while a rotation is under way
//	crossguard.db  the SQLite database (when the node uses SQLite)
package datadir

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"crossguard"
	"crossguard/refdata"
)

// File names inside a data directory.
const (
	NodeFile   = "node.json"
	KeyFile    = "node.key"
	ConfigFile = "config.json"
	SQLiteFile = "crossguard.db"
)

// Config holds the settings chosen at init that later commands reuse.
type Config struct {
	// DB is a postgres:// URL, or empty for the embedded SQLite database.
	DB string `json:"db,omitempty"`
	// FederationURL is where peers reach this node's federation listener
	// (https://host:port); it goes on the node card.
	FederationURL string `json:"federation_url,omitempty"`
	// DeclarationRetention is the declaration retention serve last ran
	// with when given one (such as "5y"), which retention status and apply
	// use when run by hand; empty for the default.
	DeclarationRetention string `json:"declaration_retention,omitempty"`
}

// SaveConfig writes d.Config to config.json, replacing the file whole.
func (d *Dir) SaveConfig() error {
	return writeJSON(filepath.Join(d.Path, ConfigFile), d.Config, 0o600)
}

// Dir is an initialised data directory.
type Dir struct {
	Path   string
	Info   crossguard.NodeInfo
	Key    ed25519.PrivateKey
	Config Config
	// Retired are the keys the node retired, oldest first.
	Retired []RetiredKey
	// Next is the new key of a rotation under way (node.key.next), nil
	// if none.
	Next ed25519.PrivateKey
}

// SQLitePath returns the path of the embedded database file.
func (d *Dir) SQLitePath() string { return filepath.Join(d.Path, SQLiteFile) }

// Exists reports whether path already holds an initialised node.
func Exists(path string) bool {
	_, err := os.Stat(filepath.Join(path, NodeFile))
	return err == nil
}

// NewIdentity returns the node info for a new node with a fresh key pair.
// It checks the agency, node and country; the caller records the info in
// the database and then calls Create.
func NewIdentity(agency, node, country, name string, now time.Time) (crossguard.NodeInfo, ed25519.PrivateKey, error) {
	var errs []error
	if err := crossguard.CheckAgencyID(agency); err != nil {
		errs = append(errs, fmt.Errorf("--agency: %w", err))
	}
	if err := crossguard.CheckNodeName(node); err != nil {
		errs = append(errs, fmt.Errorf("--node: %w", err))
	}
	if err := refdata.CheckCountry(country); err != nil {
		errs = append(errs, fmt.Errorf("--country: %w", err))
	}
	if name == "" {
		errs = append(errs, errors.New("--name: required, the node's display name, e.g. \"Pakistan Customs, Sost dry port\""))
	}
	if len(errs) > 0 {
		return crossguard.NodeInfo{}, nil, errors.Join(errs...)
	}
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return crossguard.NodeInfo{}, nil, fmt.Errorf("generate node key: %w", err)
	}
	info := crossguard.NodeInfo{
		ID: agency + "/" + node, Agency: agency, Node: node, Country: country, Name: name,
		PublicKey: base64.StdEncoding.EncodeToString(pub), CreatedAt: now.UTC().Truncate(time.Second),
	}
	return info, key, nil
}

// Create writes a new data directory at path. It refuses, changing nothing,
// if path already holds a node. node.json is written last, so a directory
// without it is not a node even if an earlier attempt was interrupted.
func Create(path string, info crossguard.NodeInfo, key ed25519.PrivateKey, cfg Config) (*Dir, error) {
	if Exists(path) {
		return nil, fmt.Errorf("%s already holds a crossguard node (%s exists); nothing was changed", path, NodeFile)
	}
	if err := os.MkdirAll(path, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("encode node key: %w", err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	if err := writeFile(filepath.Join(path, KeyFile), keyPEM, 0o600); err != nil {
		return nil, err
	}
	if err := writeJSON(filepath.Join(path, ConfigFile), cfg, 0o600); err != nil {
		return nil, err
	}
	if err := writeJSON(filepath.Join(path, NodeFile), info, 0o644); err != nil {
		return nil, err
	}
	return &Dir{Path: path, Info: info, Key: key, Config: cfg}, nil
}

// Open reads an initialised data directory and checks that the private key
// matches the public key in node.json.
func Open(path string) (*Dir, error) {
	d := &Dir{Path: path}
	if err := readJSON(filepath.Join(path, NodeFile), &d.Info); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s is not a crossguard data directory (no %s): run `crossguard init` first, or pass --data", path, NodeFile)
	} else if err != nil {
		return nil, err
	}
	if err := readJSON(filepath.Join(path, ConfigFile), &d.Config); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	key, err := readKey(filepath.Join(path, KeyFile))
	if err != nil {
		return nil, err
	}
	if d.Next, err = readNext(path); err != nil {
		return nil, err
	}
	if d.Retired, err = readRetired(path); err != nil {
		return nil, err
	}
	d.Key = key
	if base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey)) != d.Info.PublicKey {
		// A rotation that stopped after node.json took the new key but
		// before the new key replaced node.key: finish it.
		if d.Next == nil || base64.StdEncoding.EncodeToString(d.Next.Public().(ed25519.PublicKey)) != d.Info.PublicKey {
			return nil, fmt.Errorf("%s does not match the public key in %s", KeyFile, NodeFile)
		}
		if err := os.Rename(filepath.Join(path, NextKeyFile), filepath.Join(path, KeyFile)); err != nil {
			return nil, fmt.Errorf("finish key rotation: %w", err)
		}
		d.Key, d.Next = d.Next, nil
	}
	return d, nil
}

// writeJSON writes v as indented JSON through a temporary file and rename,
// so a crash never leaves a half-written file.
func writeJSON(path string, v any, mode os.FileMode) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", filepath.Base(path), err)
	}
	return writeFile(path, append(b, '\n'), mode)
}

// writeFile writes data to path atomically and durably.
func writeFile(path string, data []byte, mode os.FileMode) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// readJSON decodes the JSON file at path into v.
func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
