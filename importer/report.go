package importer

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// reporter writes the errors of rejected rows, one "line N: column:
// message" per line, and the warnings of stored ones, up to a limit, and
// then a summary of the rest.
type reporter struct {
	w                  io.Writer
	max                int
	printed            int
	unreported         int64
	unreportedWarnings int64
	clearLine          string // erases a progress bar drawn on the same terminal
}

// newReporter returns a reporter writing at most max lines to w.
func newReporter(w io.Writer, max int) *reporter {
	r := &reporter{w: w, max: max}
	if isTerminal(w) {
		r.clearLine = "\r\x1b[K"
	}
	return r
}

// row reports the errors of one rejected row.
func (r *reporter) row(lines ...string) {
	if r.printed >= r.max {
		r.unreported++
		return
	}
	for _, line := range lines {
		if r.printed >= r.max {
			break
		}
		fmt.Fprintf(r.w, "%s%s\n", r.clearLine, line)
		r.printed++
	}
}

// notef writes a message that is not about a row.
func (r *reporter) notef(format string, args ...any) {
	fmt.Fprintf(r.w, r.clearLine+format+"\n", args...)
}

// warn reports a warning about a row that was stored, within the same
// limit as the errors.
func (r *reporter) warn(line string) {
	if r.printed >= r.max {
		r.unreportedWarnings++
		return
	}
	fmt.Fprintf(r.w, "%s%s\n", r.clearLine, line)
	r.printed++
}

// summary writes how many rejected rows and warnings were not reported.
func (r *reporter) summary(rejectsPath string) {
	if r.unreported > 0 {
		fmt.Fprintf(r.w, "%s... and %d more rejected rows, see %s\n", r.clearLine, r.unreported, rejectsPath)
	}
	if r.unreportedWarnings > 0 {
		fmt.Fprintf(r.w, "%s... and %d more warnings about local rows that were stored\n", r.clearLine, r.unreportedWarnings)
	}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// ProgressBar returns an Options.Progress function that draws a progress
// bar of the bytes imported on w if w is a terminal, and does nothing
// otherwise (so that logs and pipes get no control characters). Total is
// the size of the file if known; the import passes it anyway.
func ProgressBar(w io.Writer, total int64) func(done, total int64) {
	if !isTerminal(w) {
		return func(int64, int64) {}
	}
	var bar *progressbar.ProgressBar
	return func(done, size int64) {
		if size <= 0 {
			size = total
		}
		if bar == nil {
			bar = progressbar.NewOptions64(size,
				progressbar.OptionSetWriter(w),
				progressbar.OptionSetDescription("importing"),
				progressbar.OptionShowBytes(true),
				progressbar.OptionSetWidth(30),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionClearOnFinish(),
			)
		}
		if size != bar.GetMax64() {
			bar.ChangeMax64(size)
		}
		_ = bar.Set64(done)
		if done >= size {
			_ = bar.Finish()
		}
	}
}
