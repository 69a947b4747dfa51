package crossguard

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes carried by *Error. The HTTP layer maps each to one status.
const (
	EINVALID            = "invalid"
	EUNAUTHORIZED       = "unauthorized"
	EFORBIDDEN          = "forbidden"
	ENOTFOUND           = "not_found"
	ECONFLICT           = "conflict"
	EPRECONDITIONFAILED = "precondition_failed"
	ETOOLARGE           = "too_large"
	EINTERNAL           = "internal"
)

// FieldError names one field of an input and what is wrong with it. Field
// is a path such as "goods[0].hs".
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	// PersonalData, on an error or warning about personal data found in
	// free text, says what was found and where.
	PersonalData *FoundPersonalData `json:"personal_data,omitempty"`
}

// Error is the application error: a code a program can act on, a message a
// person can read, and for invalid input the fields at fault. Messages must
// never carry internal details; those belong in wrapped errors and logs.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

// Error implements the error interface.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return e.Message + ": " + strings.Join(parts, "; ")
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or a
// generic message for any other error so that internals never leak.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// ErrorFields returns the field errors of the first *Error in err's chain.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
