package web

import (
	"crypto/rand"
	"embed"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"time"

	"crossguard"
)

// assets holds the templates, the style sheets, other static files and
// the message catalogs.
//
//go:embed assets
var assets embed.FS

// Config is what Handler needs to serve the interface of one node.
type Config struct {
	// Auth signs people in and looks up their sessions. Required.
	Auth Authenticator
	// NodeName is shown in the header of every page.
	NodeName string
	// Logger receives the details of internal errors (nil discards them).
	Logger *slog.Logger
	// Now is the clock used for dates on pages (nil means time.Now).
	Now func() time.Time
	// Rand is the source of the sign-in form's CSRF nonces (nil means
	// crypto/rand).
	Rand io.Reader
	// CSRFKey signs the sign-in form's CSRF tokens. When empty a random
	// key is made, so sign-in forms opened before a restart must be
	// reloaded.
	CSRFKey []byte
	// Records, when set, gives the seizure pages (/seizures and
	// /seizures/{id}) their data; without it those pages do not exist.
	Records Records
	// NodeID is the id AGENCY/NODE of the node, by which the seizure list
	// tells the node's own records from those received from others.
	NodeID string
	// Targeting, when set, gives the risk targeting pages (/targeting,
	// /declarations/{id}, /profiles, /watchlist and /models) their data;
	// without it those pages do not exist.
	Targeting Targeting
	// Cooperation, when set, gives the joint operation pages (/operations)
	// and the cooperation programme pages (/agreements and /activities)
	// their data; without it those pages do not exist.
	Cooperation Cooperation
	// Admin, when set, gives the administration pages (/admin/peers and
	// /admin/users) and the audit pages (/audit) their data; without it
	// those pages do not exist.
	Admin Admin
	// Settings, when set, keeps what a signed-in person chooses on the
	// /settings page (their interface language); without it that page
	// only says that the language follows the browser.
	Settings crossguard.UserLanguageStore
	// Dashboard, when set, gives the start page its charts, map, partner
	// records, channel mix and peer status; without it the start page
	// shows only the links to the sections.
	Dashboard Dashboard
}

// server is the state behind the handler Handler returns.
type server struct {
	auth    Authenticator
	node    string
	log     *slog.Logger
	now     func() time.Time
	cat     *Catalogs
	pages   map[string]*template.Template
	static  map[string]*staticFile
	pre     *preSession
	cssHref string
	records Records
	nodeID  string
	// targeting is cfg.Targeting.
	targeting Targeting
	// cooperation is cfg.Cooperation.
	cooperation Cooperation
	// admin is cfg.Admin.
	admin Admin
	// settings is cfg.Settings.
	settings crossguard.UserLanguageStore
	// dashboard is cfg.Dashboard.
	dashboard Dashboard
}

// maxFormBytes bounds the body of a form post.
const maxFormBytes = 64 << 10

// Handler returns the web interface as an http.Handler, to be mounted at
// "/" beside the API. It panics if cfg.Auth is nil or the embedded assets
// are broken, both programming errors that the package's tests catch.
func Handler(cfg Config) http.Handler {
	s, err := newServer(cfg)
	if err != nil {
		panic(fmt.Sprintf("web: %v", err))
	}
	return s.routes()
}

// newServer checks cfg, fills in defaults and loads the embedded assets.
func newServer(cfg Config) (*server, error) {
	if cfg.Auth == nil {
		return nil, fmt.Errorf("config: no Authenticator")
	}
	s := &server{auth: cfg.Auth, node: cfg.NodeName, log: cfg.Logger, now: cfg.Now,
		records: cfg.Records, nodeID: cfg.NodeID, targeting: cfg.Targeting,
		cooperation: cfg.Cooperation, admin: cfg.Admin, settings: cfg.Settings,
		dashboard: cfg.Dashboard}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	rnd := cfg.Rand
	if rnd == nil {
		rnd = rand.Reader
	}
	key := cfg.CSRFKey
	if len(key) == 0 {
		key = make([]byte, 32)
		if _, err := io.ReadFull(rnd, key); err != nil {
			return nil, fmt.Errorf("csrf key: %w", err)
		}
	}
	s.pre = &preSession{key: key, rand: rnd}
	var err error
	if s.cat, err = loadCatalogs(assets, "assets/i18n"); err != nil {
		return nil, err
	}
	if s.pages, err = parsePages(assets, "assets/templates"); err != nil {
		return nil, err
	}
	if s.static, err = loadStatic(assets, "assets"); err != nil {
		return nil, err
	}
	s.cssHref = s.staticHref("app.css")
	return s, nil
}

// routes returns the pages behind the middleware every response passes:
// security headers, the language cookie and the cross-origin check of
// unsafe methods (a second line behind the CSRF tokens).
func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", s.handle(s.home))
	mux.Handle("GET /login", s.handle(s.loginForm))
	mux.Handle("POST /login", s.handle(s.login))
	mux.Handle("POST /logout", s.handle(s.logout))
	mux.Handle("GET /static/{name}", s.handle(s.serveStatic))
	if s.records != nil {
		mux.Handle("GET /seizures", s.handle(s.seizureList))
		mux.Handle("GET /seizures/{id}", s.handle(s.seizureDetail))
		mux.Handle("GET /seizures/new", s.handle(s.newSeizureForm))
		mux.Handle("POST /seizures/new", s.handle(s.createSeizure))
		mux.Handle("GET /seizures/{id}/edit", s.handle(s.editSeizureForm))
		mux.Handle("POST /seizures/{id}/edit", s.handle(s.updateSeizure))
		mux.Handle("GET /hs", s.handle(s.hsLookup))
	}
	if s.targeting != nil {
		s.targetingRoutes(mux)
	}
	if s.cooperation != nil {
		s.cooperationRoutes(mux)
	}
	if s.admin != nil {
		s.adminRoutes(mux)
	}
	s.settingsRoutes(mux)
	mux.Handle("/", s.handle(s.notFound))

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return errCSRF
	}))
	var h http.Handler = mux
	h = cop.Handler(h)
	h = languageCookie(h)
	h = securityHeaders(h)
	return h
}

// languageCookie remembers a ?lang= choice for the following pages.
func languageCookie(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rememberLanguage(w, r)
		next.ServeHTTP(w, r)
	})
}
