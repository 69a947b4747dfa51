package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"crossguard"
)

// etag returns the ETag of a record version: the version number, quoted.
func etag(version int64) string {
	return `"` + strconv.FormatInt(version, 10) + `"`
}

// ifMatch returns the version in the request's If-Match header and whether
// the header was given. It accepts the ETag as sent ("3"), bare (3) and
// weak (W/"3"); a list, "*" or anything else is refused with EINVALID.
func ifMatch(r *http.Request) (version int64, given bool, err error) {
	values := r.Header.Values("If-Match")
	if len(values) == 0 {
		return 0, false, nil
	}
	raw := strings.TrimSpace(strings.Join(values, ","))
	v := strings.TrimPrefix(raw, "W/")
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	}
	n, perr := strconv.ParseInt(v, 10, 64)
	if perr != nil || n < 1 || strings.ContainsAny(v, "+-") {
		return 0, true, &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid If-Match header",
			Fields: []crossguard.FieldError{{Field: "If-Match", Message: `must be one record version as its ETag gives it, such as "3"`}}}
	}
	return n, true, nil
}

// requireIfMatch returns the version an update's If-Match names, and
// refuses an update without one, so that nobody overwrites a change they
// have not seen.
func requireIfMatch(r *http.Request) (int64, error) {
	version, given, err := ifMatch(r)
	if err != nil {
		return 0, err
	}
	if !given {
		return 0, crossguard.Errorf(crossguard.EPRECONDITIONFAILED,
			`If-Match is required: send the version you last read, as its ETag says, e.g. If-Match: "3"`)
	}
	return version, nil
}
