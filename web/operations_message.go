package web

import (
	"fmt"
	"net/http"
	"strings"

	"crossguard"
)

// messageForm is the new coordination message form: what was typed and,
// after a refusal, why.
type messageForm struct {
	Text fieldInput
	// Message is a reason that belongs to no single field.
	Message string
	Invalid bool
}

// createMessage sends a coordination message to the operation's
// participants, under the operation's marking. An empty or too long text
// is shown again with the reason beside it.
func (s *server) createMessage(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requirePermission(w, r, crossguard.PermWrite)
	if sess == nil || err != nil {
		return err
	}
	id := r.PathValue("id")
	f := &messageForm{Text: fieldInput{Value: strings.TrimSpace(r.PostFormValue("text"))}}
	_, err = s.cooperation.CreateMessage(r.Context(), sess.Username, id, &crossguard.Message{Text: f.Text.Value})
	if err == nil {
		http.Redirect(w, r, "/operations/"+pathEscape(id)+"?saved=message#messages", http.StatusSeeOther)
		return nil
	}
	if crossguard.ErrorCode(err) != crossguard.EINVALID {
		return fmt.Errorf("send message in operation %q: %w", id, err)
	}
	tr := s.cat.Translator(chooseLanguage(r, sess))
	f.Invalid = true
	for _, e := range crossguard.ErrorFields(err) {
		if e.Field == "text" {
			f.Text.Error = tr.T("ops.msg.error.text")
			if pd := personalDataError(tr, e); pd != "" {
				f.Text.Error = pd
			}
		} else {
			f.Message = tr.T("ops.msg.error.other")
		}
	}
	if f.Text.Error == "" && f.Message == "" {
		f.Message = tr.T("ops.msg.error.other")
	}
	return s.showOperation(w, r, sess, http.StatusBadRequest, operationForms{message: f})
}
