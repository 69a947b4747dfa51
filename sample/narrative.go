package sample

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"crossguard/refdata"
)

// concealmentPhrases describe how goods were hidden, by concealment.
// {cover} stands for the declared load, {conveyance} for the conveyance.
var concealmentPhrases = map[string][]string{
	"false_compartment": {
		"The goods were hidden in a purpose-built compartment welded under the floor of the {conveyance}, which carried {cover}.",
		"A false wall behind the cab of the {conveyance} held the goods; the declared load was {cover}.",
		"The fuel tank of the {conveyance} had been divided and the goods packed into the dry half.",
	},
	"natural_cavity": {
		"The goods were packed into the spare tyre and the chassis rails of the {conveyance}.",
		"Packets were pushed into the door panels and the roof lining of the {conveyance}.",
	},
	"in_cargo": {
		"The goods were stowed among {cover} declared as the only cargo.",
		"Cartons of the goods were placed in the middle rows of a consignment of {cover}.",
	},
	"mixed_with_goods": {
		"The goods were mixed into sacks of {cover} to defeat visual inspection.",
		"Packets were buried inside bags of {cover}.",
	},
	"in_luggage": {
		"The goods were hidden in the lining of checked-in suitcases.",
		"A false bottom in a travel bag held the goods.",
	},
	"on_body": {
		"A traveller carried the goods strapped to the body under loose clothing.",
		"The goods were carried in a belt worn under clothing.",
	},
	"in_parcel": {
		"The goods were sent by express courier in parcels declared as {cover}.",
		"Parcels declared as gifts of {cover} contained the goods.",
	},
	"other": {
		"The goods were carried across the border at night on a mountain track, by pack animals.",
		"The goods were thrown over the border fence and collected by a waiting vehicle.",
	},
}

// detectionPhrases say how a seizure was made, by detection method, with
// the same placeholders as concealmentPhrases.
var detectionPhrases = map[string][]string{
	"risk_profile": {"The consignment was selected by a risk profile on the declared goods and route.", "A risk profile for the route flagged the declaration for physical examination."},
	"xray":         {"Anomalies in the X-ray image of the {conveyance} led to a physical examination.", "The scanner image showed dense packages where the manifest listed {cover}."},
	"canine":       {"A detector dog indicated the {conveyance} during the secondary inspection.", "The detector dog team gave a positive indication on the load."},
	"intelligence": {"Officers stopped the {conveyance} acting on intelligence shared by a partner agency.", "An intelligence report on the route described this concealment method."},
	"tip_off":      {"A tip-off received at the post described the vehicle type and the expected crossing time.", "An anonymous tip-off reported the consignment before it reached the border."},
	"random":       {"The {conveyance} was selected at random for physical inspection.", "A random check of the consignment found the goods."},
	"routine":      {"Found during a routine examination of the consignment.", "Officers found the goods during routine checks at the gate."},
}

// routeRemarks are remarks an analyst adds about the route.
var routeRemarks = []string{
	"The route declared ran from %s to %s.",
	"Documents showed a detour from the declared route; the goods came from %s and were bound for %s.",
	"The declared consignee could not be traced; the goods were bound from %s to %s.",
	"The same concealment was reported on the %s–%s route earlier in the year.",
}

// narrative writes the modus operandi of a seizure: how the goods were
// hidden, how they were found and a remark on the route. It never names a
// person. Now and then the remark goes on a line of its own.
func narrative(r *rand.Rand, concealment, detection, cover, conveyance, origin, destination string) string {
	fill := strings.NewReplacer("{cover}", cover, "{conveyance}", conveyance)
	hide := fill.Replace(pick(r, concealmentPhrases[concealment]))
	found := fill.Replace(pick(r, detectionPhrases[detection]))
	from, _ := refdata.Country(origin)
	to, _ := refdata.Country(destination)
	remark := fmt.Sprintf(pick(r, routeRemarks), from, to)
	sep := " "
	if r.IntN(20) == 0 {
		sep = "\n"
	}
	return strings.Join([]string{hide, found}, " ") + sep + remark
}
