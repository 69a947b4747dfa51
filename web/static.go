package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
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

// loadStatic reads every file of dir/static in fsys, and makes app.css of
// the style sheets dir/css/*.css joined in name order, so that features
// keep their styles in files of their own while a page still loads one
// style sheet.
func loadStatic(fsys fs.FS, dir string) (map[string]*staticFile, error) {
	files := make(map[string]*staticFile)
	entries, err := fs.ReadDir(fsys, path.Join(dir, "static"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read static files: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		body, err := fs.ReadFile(fsys, path.Join(dir, "static", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read static file: %w", err)
		}
		if files[e.Name()], err = newStaticFile(e.Name(), body); err != nil {
			return nil, err
		}
	}
	sheets, err := fs.Glob(fsys, path.Join(dir, "css", "*.css"))
	if err != nil || len(sheets) == 0 {
		return nil, fmt.Errorf("no style sheets in %s/css", dir)
	}
	var css bytes.Buffer
	for _, name := range sheets {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read style sheet: %w", err)
		}
		css.Write(b)
		css.WriteByte('\n')
	}
	if files["app.css"], err = newStaticFile("app.css", css.Bytes()); err != nil {
		return nil, err
	}
	return files, nil
}

// newStaticFile prepares body, the content of the asset name, to serve.
func newStaticFile(name string, body []byte) (*staticFile, error) {
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(body)
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compress %s: %w", name, err)
	}
	sum := sha256.Sum256(body)
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	return &staticFile{body: body, gz: gz.Bytes(), contentType: ct,
		version: hex.EncodeToString(sum[:6])}, nil
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
