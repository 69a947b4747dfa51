// Package personaldata finds personal identifiers in free text: Pakistani
// CNIC numbers, Chinese resident identity numbers, passport numbers, phone
// numbers, e-mail addresses, dates of birth and a few unmistakable signs
// of a person's name (an honorific or a parentage marker such as "s/o"
// before a capitalised word).
//
// It exists because crossguard's shareable records are non-nominal by
// design: no field is meant for a person, but free text (a narrative, a
// note, a message) can carry one anyway. Scan reports what it finds with
// its place in the text, so that the caller can refuse the text and say
// what to write instead.
//
// Scanning is a screen, not a guarantee. Most names of people have no
// shape a pattern can tell from the name of a place, a company or a ship,
// and someone who means to smuggle an identifier past the screen can
// always spell it out in words. The screen is tuned so that the texts a
// seizure record is full of (HS codes, container numbers, UN/LOCODEs,
// quantities, amounts, dates of seizure, IMO numbers, flight numbers and
// air waybills) never trip it; docs/personal-data.md says what it catches
// and what it cannot.
//
// The package depends on the standard library only.
package personaldata
