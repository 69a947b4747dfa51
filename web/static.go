package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// staticFile is an embedded asset ready to serve: its bytes, a gzip copy
// for slow links, its type and a version derived from its content.
type staticFile struct {
	body, gz    []byte
	contentType string
	version     string
}

// loadStatic reads every file of dir in fsys.
func loadStatic(fsys fs.FS, dir string) (map[string]*staticFile, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read static files: %w", err)
	}
	files := make(map[string]*staticFile, len(entries))
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read static file: %w", err)
		}
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		zw.Write(body)
		if err := zw.Close(); err != nil {
			return nil, fmt.Errorf("compress %s: %w", e.Name(), err)
		}
		sum := sha256.Sum256(body)
		ct := mime.TypeByExtension(path.Ext(e.Name()))
		if ct == "" {
			ct = "application/octet-stream"
		}
		files[e.Name()] = &staticFile{
			body: body, gz: gz.Bytes(), contentType: ct,
			version: hex.EncodeToString(sum[:6]),
		}
	}
	return files, nil
}

// staticHref returns the URL of the asset name, carrying its version so
// that browsers may cache it for good and still get a changed file at once.
func (s *server) staticHref(name string) string {
	f, ok := s.static[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return "/static/" + name + "?v=" + f.version
}

// serveStatic serves an embedded asset, compressed when the browser
// accepts it, cached for a year when asked for by its current version.
func (s *server) serveStatic(w http.ResponseWriter, r *http.Request) error {
	f, ok := s.static[r.PathValue("name")]
	if !ok {
		return errNotFound
	}
	h := w.Header()
	etag := `W/"` + f.version + `"`
	h.Set("ETag", etag)
	h.Set("Vary", "Accept-Encoding")
	if r.URL.Query().Get("v") == f.version {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", f.contentType)
	body := f.body
	if acceptsGzip(r) && len(f.gz) < len(f.body) {
		h.Set("Content-Encoding", "gzip")
		body = f.gz
	}
	_, err := w.Write(body)
	return err
}

// acceptsGzip reports whether the request allows a gzip response.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}
