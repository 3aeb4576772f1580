package bot

// Conversation modes (the handoff issue drives queued/human/closed).
const (
	ModeBot    = "bot"
	ModeQueued = "queued"
	ModeHuman  = "human"
	ModeClosed = "closed"
)

// State is what the engine remembers about one conversation between turns:
// the slots (place, matter) and the one question it is waiting on.
type State struct {
	Mode string `json:"mode"`

	// Place: the resolved new unit, or the candidates of a split old ward
	// still waiting for a street or a pin.
	Unit       *UnitRef  `json:"unit,omitempty"`
	Candidates []UnitRef `json:"candidates,omitempty"`
	// OldPlace is the old (or former) place as understood, for echoing back
	// ("Phường Đa Kao, Quận 1").
	OldPlace string `json:"old_place,omitempty"`
	// PendingName is an old unit name heard without its district, waiting
	// for the district (e.g. "phường 1").
	PendingName string `json:"pending_name,omitempty"`
	// District is the old district (official name) the citizen named last:
	// a commune named later is read in it first.
	District string `json:"district,omitempty"`
	// Street is the house number and street the citizen gave, kept for staff.
	Street string `json:"street,omitempty"`

	// Matter: the procedure the conversation is about.
	ProcedureID string `json:"procedure_id,omitempty"`

	// Asks is the question the last answer asked (district|street|place|matter).
	Asks string `json:"asks,omitempty"`
	// Desk: the last answer asked for a pin to find the nearest service
	// desks (Trung tâm Phục vụ hành chính công).
	Desk bool `json:"desk,omitempty"`
	// Misses counts answers in a row that did not help (fallbacks).
	Misses int `json:"misses,omitempty"`
	Turns  int `json:"turns"`
}
