// Package sample makes realistic seizure records for demonstrations,
// benchmarks and tests: seizures on the mountain and coastal corridors
// between Pakistan, China and Afghanistan (Sost dry port, the Khunjerab
// Pass, Tashkurgan, Torkham, Chaman, Karachi, Gwadar, Kashgar, Urumqi and
// the airports), with the goods, concealments, routes and identifiers that
// border agencies there record.
//
// Every record it makes passes crossguard.Seizure.Validate, none names a
// person, and the same seed always gives the same records, so that a
// benchmark or a demonstration can be repeated exactly.
package sample
