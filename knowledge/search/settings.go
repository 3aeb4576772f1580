package search

import (
	"github.com/meilisearch/meilisearch-go"
)

// rankingRules are Meilisearch 1.21's defaults (before the 1.36 split of
// "attribute" into attributeRank and wordPosition) plus a last tie-breaker
// where the index has a rank field.
func rankingRules(extra ...string) []string {
	return append([]string{"words", "typo", "proximity", "attribute", "sort", "exactness"}, extra...)
}

// typoTolerance is always filled completely: the client sends every field,
// so a partial struct would switch typos off (enabled:false) or set word
// sizes to zero. Most Vietnamese syllables are shorter than five letters
// and get no typo; "phuong", "nguyen", "truong" do. Numbers never do ("1"
// must not find "7"), nor do codes.
func typoTolerance(codeFields ...string) *meilisearch.TypoTolerance {
	return &meilisearch.TypoTolerance{
		Enabled:             true,
		MinWordSizeForTypos: meilisearch.MinWordSizeForTypos{OneTypo: 5, TwoTypos: 9},
		DisableOnWords:      []string{},
		DisableOnAttributes: append([]string{}, codeFields...),
		DisableOnNumbers:    true,
	}
}

// Place indexes are searched with whole words typed in a chat, not as the
// citizen types: without prefix search "quận 1" no longer also finds
// "Quận 10", "11", "12". Their fields are a few words long, so word
// proximity per attribute ranks as well as per word, at a fraction of the
// indexing cost (most of a build's time is the 13 000 place documents).
func placeTuning(s *meilisearch.Settings) *meilisearch.Settings {
	disabled := "disabled"
	s.PrefixSearch = &disabled
	s.ProximityPrecision = meilisearch.ByAttribute
	s.LocalizedAttributes = vietnamese()
	return s
}

// vietnamese declares every attribute Vietnamese, so Meilisearch does not
// guess a language per field (diacritics-free Vietnamese is easily taken
// for something else, and the guess costs indexing time).
func vietnamese() []*meilisearch.LocalizedAttributes {
	return []*meilisearch.LocalizedAttributes{{AttributePatterns: []string{"*"}, Locales: []string{"vie"}}}
}

// unitSettings: a new unit is found by its short name first ("Sài Gòn"),
// then its full name, then the districts it was formed from.
func unitSettings() *meilisearch.Settings {
	return placeTuning(&meilisearch.Settings{
		SearchableAttributes: []string{"short_name", "name", "former_districts", "province", "code"},
		FilterableAttributes: []string{"province_code", "type", "code"},
		DisplayedAttributes:  []string{"*"},
		RankingRules:         rankingRules(),
		Synonyms:             merge(commonSynonyms(), placeSynonyms()),
		TypoTolerance:        typoTolerance("code"),
	})
}

// oldUnitSettings: an old commune is found by its short name, its full
// names, then its district (short form first), then its province. Current
// March-2025 communes win ties over former names.
func oldUnitSettings() *meilisearch.Settings {
	return placeTuning(&meilisearch.Settings{
		SearchableAttributes: []string{
			"old_short_names", "old_name", "old_name_gso",
			"old_district_short", "old_district", "old_province", "old_code",
		},
		FilterableAttributes: []string{
			"kind", "old_code", "old_type", "old_district", "old_province_code",
			"new_province_codes", "targets.code", "current_code", "whole",
		},
		SortableAttributes:  []string{"rank"},
		DisplayedAttributes: []string{"*"},
		RankingRules:        rankingRules("rank:asc"),
		Synonyms:            merge(commonSynonyms(), placeSynonyms()),
		TypoTolerance:       typoTolerance("old_code"),
	})
}

// procedureSettings: a procedure is found by its name, then the everyday
// phrasings citizens use, then its field and authority. Stop words are a
// few chat particles that do not occur in the procedures' names (a test
// checks that): compared without diacritics, most chat words collide with
// real ones ("thì"/"thị", "cần"/"căn", "ở"/"nhà ở", "sao"/"bản sao").
func procedureSettings(extra map[string]string) *meilisearch.Settings {
	return &meilisearch.Settings{
		SearchableAttributes: []string{"name", "aliases", "field", "authority"},
		FilterableAttributes: []string{"field", "office_levels", "confidence"},
		DisplayedAttributes:  []string{"*"},
		StopWords:            procedureStopWords(),
		RankingRules:         rankingRules(),
		Synonyms:             merge(commonSynonyms(), procedureSynonyms(), oneWay(extra)),
		TypoTolerance:        typoTolerance(),
		LocalizedAttributes:  vietnamese(),
	}
}

// procedureStopWords are listed with and without diacritics.
func procedureStopWords() []string {
	return []string{"tôi", "toi", "nào", "nao", "gì", "gi", "j", "ạ", "a", "ơi", "oi", "nhé", "nhe", "z", "dz"}
}

// curatedSettings: the curated index is searched by meaning; its keyword
// side looks at the phrasings only.
func curatedSettings() *meilisearch.Settings {
	return &meilisearch.Settings{
		SearchableAttributes: []string{"questions"},
		FilterableAttributes: []string{"procedure_id", "unit_code"},
		DisplayedAttributes:  []string{"*"},
		StopWords:            procedureStopWords(),
		RankingRules:         rankingRules(),
		Synonyms:             merge(commonSynonyms(), procedureSynonyms()),
		TypoTolerance:        typoTolerance(),
		LocalizedAttributes:  vietnamese(),
	}
}
