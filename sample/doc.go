// Package sample makes realistic seizure records and cargo declarations
// for demonstrations, benchmarks and tests: seizures on the mountain and
// coastal corridors between Pakistan, China and Afghanistan (Sost dry
// port, the Khunjerab Pass, Tashkurgan, Torkham, Chaman, Karachi, Gwadar,
// Kashgar, Urumqi and the airports), with the goods, concealments, routes
// and identifiers that border agencies there record; and the cargo
// declarations lodged at Sost and at the Khunjerab port, labelled with a
// planted fraud pattern that a risk model can learn.
//
// Every record it makes passes crossguard.Seizure.Validate (every
// declaration crossguard.Declaration.Validate), none names a person, and
// the same seed always gives the same records, so that a benchmark or a
// demonstration can be repeated exactly.
package sample
