package sample

// place is a crossing point, port, airport or checkpoint where seizures
// are made, with the customs office that works there and the transport
// modes seen at it.
type place struct {
	name     string
	country  string
	locode   string
	office   string
	lat, lon float64
	modes    []string
}

// places are the seizure locations of the corridor, by key. UN/LOCODEs are
// given only where the location has a well-known one.
var places = map[string]place{
	"sost": {"Sost Dry Port", "PK", "", "Sost Dry Port Customs",
		36.6917, 74.8167, []string{"road"}},
	"khunjerab": {"Khunjerab Pass", "PK", "", "Khunjerab Border Post",
		36.8497, 75.4278, []string{"road"}},
	"gilgit": {"Karakoram Highway checkpoint, Gilgit", "PK", "", "Customs Mobile Squad, Gilgit",
		35.9208, 74.3089, []string{"road"}},
	"tashkurgan": {"Tashkurgan (Khunjerab Port)", "CN", "", "Khunjerab Port Customs, Tashkurgan",
		37.7746, 75.2290, []string{"road"}},
	"kashgar": {"Kashgar", "CN", "CNKHG", "Kashgar Customs",
		39.4704, 75.9898, []string{"road", "rail", "air", "postal"}},
	"urumqi": {"Urumqi Diwopu International Airport", "CN", "CNURC", "Urumqi Customs, Airport Office",
		43.9071, 87.4742, []string{"air", "postal"}},
	"torkham": {"Torkham", "PK", "", "Torkham Customs Station",
		34.1017, 71.0950, []string{"road", "pedestrian"}},
	"torkham_af": {"Torkham (Nangarhar)", "AF", "", "Torkham Customs House, Nangarhar",
		34.1094, 71.0812, []string{"road", "pedestrian"}},
	"chaman": {"Chaman", "PK", "", "Chaman Border Customs",
		30.9210, 66.4597, []string{"road", "pedestrian"}},
	"spin_boldak": {"Spin Boldak", "AF", "", "Spin Boldak Customs",
		31.0050, 66.3940, []string{"road", "pedestrian"}},
	"quetta": {"Quetta, N-25 checkpoint", "PK", "PKUET", "Collectorate of Customs (Enforcement), Quetta",
		30.1798, 66.9750, []string{"road"}},
	"karachi": {"Karachi Port", "PK", "PKKHI", "Collectorate of Customs (Preventive), Karachi",
		24.8400, 66.9800, []string{"sea"}},
	"qasim": {"Port Muhammad Bin Qasim", "PK", "PKBQM", "Collectorate of Customs, Port Qasim",
		24.7700, 67.3500, []string{"sea"}},
	"gwadar": {"Gwadar Port", "PK", "PKGWD", "Collectorate of Customs, Gwadar",
		25.1200, 62.3300, []string{"sea"}},
	"lahore": {"Allama Iqbal International Airport, Lahore", "PK", "PKLHE", "Airport Customs, Lahore",
		31.5216, 74.4036, []string{"air", "postal"}},
	"islamabad": {"Islamabad International Airport", "PK", "PKISB", "Airport Customs, Islamabad",
		33.5491, 72.8258, []string{"air", "postal"}},
	"peshawar": {"Bacha Khan International Airport, Peshawar", "PK", "PKPEW", "Airport Customs, Peshawar",
		33.9939, 71.5146, []string{"air"}},
	"kabul": {"Kabul International Airport", "AF", "AFKBL", "Kabul Airport Customs",
		34.5659, 69.2123, []string{"air", "postal"}},
}

// lane is a trafficking route: where goods come from, the countries they
// cross and where they go, and the places on it where they are seized.
// The destination is drawn from destinations.
type lane struct {
	origin       string
	transit      []string
	destinations []string
	places       []string
}

// lanes are the routes of the corridor, by key.
var lanes = map[string]lane{
	"af-pk":     {"AF", nil, []string{"PK"}, []string{"torkham", "torkham_af", "chaman", "spin_boldak", "quetta"}},
	"af-pk-sea": {"AF", []string{"PK"}, []string{"AE", "GB", "NL", "LK", "MY", "TZ", "KE"}, []string{"torkham", "chaman", "quetta", "karachi", "qasim", "gwadar"}},
	"af-pk-cn":  {"AF", []string{"PK"}, []string{"CN"}, []string{"torkham", "gilgit", "sost", "khunjerab", "tashkurgan", "kashgar"}},
	"pk-cn":     {"PK", nil, []string{"CN"}, []string{"gilgit", "sost", "khunjerab", "tashkurgan", "kashgar", "urumqi"}},
	"cn-pk":     {"CN", nil, []string{"PK"}, []string{"tashkurgan", "khunjerab", "sost", "gilgit", "karachi", "qasim", "lahore", "islamabad"}},
	"cn-pk-af":  {"CN", []string{"PK"}, []string{"AF"}, []string{"tashkurgan", "sost", "gilgit", "torkham", "torkham_af", "chaman", "spin_boldak", "karachi"}},
	"pk-air":    {"PK", nil, []string{"AE", "SA", "QA", "GB", "CN", "MY", "TR"}, []string{"lahore", "islamabad", "peshawar"}},
	"af-air":    {"AF", nil, []string{"AE", "TR", "IN", "CN"}, []string{"kabul"}},
	"cn-air":    {"NG", []string{"AE"}, []string{"CN"}, []string{"urumqi", "kashgar"}},
	"gulf-pk":   {"AE", nil, []string{"PK"}, []string{"lahore", "islamabad", "peshawar", "karachi"}},
	"pk-af":     {"PK", nil, []string{"AF"}, []string{"torkham", "torkham_af", "chaman", "spin_boldak"}},
	"sea-pk":    {"AE", nil, []string{"PK"}, []string{"karachi", "qasim", "gwadar"}},
}

// agencies are the agency ids of the corridor's partners, for named
// recipients.
var agencies = []string{"pk-customs", "pk-anf", "cn-customs", "af-customs", "cn-gacc-xj"}
