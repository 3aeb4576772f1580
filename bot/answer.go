package bot

import "time"

// Kind is what an Answer does for the citizen.
type Kind string

// Answer kinds.
const (
	KindAnswer   Kind = "answer"   // the question is answered
	KindClarify  Kind = "clarify"  // one question back to the citizen
	KindHandoff  Kind = "handoff"  // the chat goes to a person
	KindFallback Kind = "fallback" // not understood or out of scope
	// KindNone: the bot stays silent (a person owns the conversation, or
	// it waits in a ward's queue); nothing is sent to the citizen.
	KindNone Kind = "none"
	// KindStaff is a message written by a staff member (Answer.Staff).
	KindStaff Kind = "staff"
	// KindSystem is a notice about the conversation itself (closed by
	// staff, handed back to the bot, the rating question).
	KindSystem Kind = "system"
)

// Asks names what a clarifying Answer asks for.
const (
	AskDistrict = "district" // which old district (an old name exists in several)
	AskStreet   = "street"   // street/house number or a pin (a split old ward)
	AskPlace    = "place"    // where the citizen lives
	AskMatter   = "matter"   // what the citizen wants to do
	AskRating   = "rating"   // 1–5 after staff closed the conversation
	AskComment  = "comment"  // an optional comment after the rating
)

// UnitRef names a new unit.
type UnitRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// ProcedureRef names a procedure of the knowledge base.
type ProcedureRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Office is where a matter is filed, as far as the knowledge base knows.
type Office struct {
	Level     string `json:"level"`     // xa | xa_cong_an | vpdkdd | thanh_pho | khac; "" for a unit's own offices (no matter)
	Authority string `json:"authority"` // who handles it, in the KB's words
	Unit      string `json:"unit,omitempty"`
	Address   string `json:"address,omitempty"` // empty: not yet in the KB
	Phone     string `json:"phone,omitempty"`
	Hotline   string `json:"hotline,omitempty"`
	Hours     string `json:"hours,omitempty"`   // office hours in words
	MapURL    string `json:"map_url,omitempty"` // a map link (the editors' own, or a map search for Address)
	// Address is the unit's service desk (Trung tâm Phục vụ hành chính
	// công); UBNDAddress its People's Committee; PoliceAddress its police.
	UBNDAddress   string `json:"ubnd_address,omitempty"`
	PoliceAddress string `json:"police_address,omitempty"`
	// StandardHours: Hours is the standard schedule, the unit has none of
	// its own in the KB.
	StandardHours bool `json:"standard_hours,omitempty"`
	// Where the office details come from, and the newest source's date
	// (YYYY-MM-DD); ToCheck: sources disagree or the address is unsure.
	Source     string `json:"source,omitempty"`
	SourceURL  string `json:"source_url,omitempty"`
	SourceDate string `json:"source_date,omitempty"`
	ToCheck    bool   `json:"to_check,omitempty"`
	// ServicePoints are the city-level places that receive the matter's
	// files (level thanh_pho), as the knowledge base lists them.
	ServicePoints []ServicePointRef `json:"service_points,omitempty"`
}

// ServicePointRef is a city-level place that receives files.
type ServicePointRef struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Address string `json:"address,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Hours   string `json:"hours,omitempty"`
	MapURL  string `json:"map_url,omitempty"`
}

// Citation is where a fact of the answer comes from.
type Citation struct {
	Title      string `json:"title"`                 // what is cited
	LegalBasis string `json:"legal_basis,omitempty"` // resolution, decree, law
	URL        string `json:"url,omitempty"`
	Date       string `json:"date,omitempty"` // YYYY-MM-DD: the source's own date, when known
	AsOf       string `json:"as_of"`          // YYYY-MM-DD: the KB's as-of date
	// short is how the sources line names a citation that has no legal
	// basis ("" leaves it out of that line); only while the answer is built.
	short string
}

// QuickReply is a suggested reply button. Payload is what is sent back as
// the citizen's message when tapped (short, ≤ 64 bytes for Telegram).
type QuickReply struct {
	Label   string `json:"label"`
	Payload string `json:"payload"`
}

// Answer is the engine's structured reply. Channels, the web page, eval and
// tests all consume this one type.
type Answer struct {
	Kind Kind   `json:"kind"`
	Text string `json:"text"` // Vietnamese, short enough for a phone
	// Lead is the essential part Text begins with — the new unit, who
	// handles the matter and where to go, what the question asked — for a
	// page to show first and fold the rest behind "Xem chi tiết"; empty
	// when the whole text is short.
	Lead string `json:"lead,omitempty"`
	// Footer is the sources line that ends Text (a part of it, given apart
	// so that a page can fold it away behind its list of citations).
	Footer     string        `json:"footer,omitempty"`
	Unit       *UnitRef      `json:"unit"`
	Candidates []UnitRef     `json:"candidates"`
	Asks       string        `json:"asks,omitempty"`
	Procedure  *ProcedureRef `json:"procedure"`
	Office     *Office       `json:"office"`
	Citations  []Citation    `json:"citations"`
	Replies    []QuickReply  `json:"quick_replies"`
	Degraded   bool          `json:"degraded,omitempty"` // search down: answered from memory
	Ticket     *Ticket       `json:"ticket,omitempty"`   // a handoff's place in a ward's queue
	Staff      string        `json:"staff,omitempty"`    // KindStaff: who wrote it
	Curated    string        `json:"curated,omitempty"`  // the id of the curated answer given
	KBVersion  int           `json:"kb_version"`
	AsOf       string        `json:"as_of"`
}

// Message is one inbound message from any channel, channel-neutral.
type Message struct {
	ConversationID string    `json:"conversation_id"`
	Channel        string    `json:"channel"` // web | telegram | zalo-oa | zalo-bot | cli | eval
	Text           string    `json:"text,omitempty"`
	Location       *Location `json:"location,omitempty"`
	At             time.Time `json:"at"`
}

// Location is a shared pin (WGS 84).
type Location struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Valid reports whether the coordinates are possible on Earth.
func (l Location) Valid() bool {
	return l.Lat >= -90 && l.Lat <= 90 && l.Lon >= -180 && l.Lon <= 180 &&
		l.Lat == l.Lat && l.Lon == l.Lon // not NaN
}
