// Package demo runs the demonstration network that `crossguard demo`
// starts: three nodes on loopback and the embedded database, Pakistan
// Customs' headquarters and its border post at the Sost dry port, and
// China Customs at Tashkurgan, peered as their agencies' rules say.
//
// On its first run it gives the nodes their users (one per role, with a
// password printed for the web pages), a synthetic history of seizures,
// risk targeting (trained models, profiles, a watch list), a joint
// operation with warnings and feedback, and a cooperation agreement with
// its progress reports and activities; on every run it prints how to
// reach each node, plays the partners' side of what it set up, and keeps
// recording seizures and deciding declarations while it serves.
//
// The package holds the demo's data and script only. How a node is
// created, opened and served is the command's wiring, which Run receives
// in its Config, so that a demo node is exactly a node of `crossguard
// init` and `crossguard serve`. The package is internal because nothing
// but the command should depend on a demonstration.
package demo
