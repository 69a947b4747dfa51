package storetest

// ExampleSeizureJSON is the example body of the foundation issue: a
// seizure every layer (validation, API, command line) must accept as it is.
const ExampleSeizureJSON = `{"occurred_at": "2026-11-20T09:30:00Z", "country": "PK",
 "place": {"name": "Sost dry port", "lat": 36.69, "lon": 74.82},
 "office": "Sost", "direction": "import", "transport_mode": "road",
 "conveyance": "truck", "detection_method": "xray",
 "concealment": "false_compartment",
 "route": {"origin": "AF", "departure": "CN", "transit": [], "destination": "PK"},
 "goods": [{"category": "narcotics", "hs": "293911", "description": "heroin, brown powder",
            "quantity": 12.5, "unit": "kg", "value": {"amount": 250000, "currency": "USD"}}],
 "identifiers": [{"type": "container", "value": "CSQU3054383"}],
 "distribution": "partners",
 "marking": {"tlp": "amber", "handling": "H2", "source_reliability": "B", "info_accuracy": "2"},
 "narrative": "Packets in a welded compartment under the trailer floor."}`
