package bot

import (
	"context"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// Assistant is an optional language model (bot/llm) that helps where the
// engine's own understanding is unsure, and may rephrase an answer from
// its records. The engine never needs it: any error means "answer as if it
// were not there", at once. A nil Assistant is never called.
type Assistant interface {
	// Understand reads a message the engine could not place: its place
	// mentions as written, a procedure id chosen among cands (or ""), and
	// an intent (one of the Reading intents).
	Understand(ctx context.Context, text string, cands []Candidate) (Reading, error)
	// Phrase rewrites an answer's text from its records only; an error
	// (including a text that fails validation) keeps the template text.
	Phrase(ctx context.Context, a Answer, records Records) (string, error)
}

// Candidate is a procedure the model may choose as a message's matter.
type Candidate struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Reading is the model's structured reading of a message. The engine
// trusts none of it: the procedure must be one of the candidates and in
// the knowledge base, and places are read again by the engine's own place
// reader.
type Reading struct {
	PlaceMentions []string `json:"place_mentions"`
	ProcedureID   string   `json:"procedure_id"`
	Intent        string   `json:"intent"`
}

// Reading intents: the fixed set the model chooses from.
const (
	ReadIntentProcedure = "procedure"  // asks about an administrative procedure
	ReadIntentWhichUnit = "which_unit" // which new ward/commune an old place is now
	ReadIntentGreeting  = "greeting"
	ReadIntentThanks    = "thanks"
	ReadIntentHelp      = "help"
	ReadIntentHuman     = "human" // wants a person
	ReadIntentOther     = "other" // anything else (out of scope)
)

// ReadingIntents lists the intents a Reading may carry.
func ReadingIntents() []string {
	return []string{ReadIntentProcedure, ReadIntentWhichUnit, ReadIntentGreeting,
		ReadIntentThanks, ReadIntentHelp, ReadIntentHuman, ReadIntentOther}
}

// Records are the knowledge-base records an answer was built from: the
// only facts a rephrased answer may state.
type Records struct {
	Procedure *knowledge.Procedure `json:"procedure,omitempty"`
	Unit      *knowledge.Unit      `json:"unit,omitempty"`
	Office    *Office              `json:"office,omitempty"`
	Citations []Citation           `json:"citations,omitempty"`
	// Body is the engine's own text of the answer without the sources
	// footer (which our code attaches again after phrasing).
	Body string `json:"text"`
	// Question is the citizen's message, for context only: it is sent as
	// data in its own block and is never a source a fact may come from.
	Question string `json:"question,omitempty"`
}
