// Package decide gives each cargo declaration its control channel and says
// why. The rules run in a fixed order, as customs selectivity requires:
//
//  1. watch-list hits: a declaration carrying a watched identifier goes to
//     the entry's channel;
//  2. profile hits: a declaration meeting every condition of a profile in
//     force goes to the profile's channel (the most intrusive one when
//     several match);
//  3. random selection: a minimum share of the remaining declarations is
//     selected at random, so that no trader can learn a pattern that is
//     never controlled;
//  4. the model: the remaining declarations whose fraud score is among the
//     highest go to red, topped up so that the crossing point's inspection
//     rate reaches its target, estimated from the scores of its recent
//     declarations; the next bands go to yellow (documents) and blue
//     (post-clearance audit); the rest are released (green).
//
// Every decision carries its score and its reasons: each watch-list entry
// and profile that matched, "random" when random selection chose it, and
// the model's top contributing features with their contributions.
package decide
