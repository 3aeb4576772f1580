// Package seed embeds the knowledge base's seed data — copied from the
// project's verified data set with its SOURCES files — and loads it into a
// knowledge.KB, reporting bad rows by file, row and column.
package seed

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

//go:embed units/*.csv procedures/*.csv offices/*.csv faq/*.csv geo/hcmc_units.geojson synonyms.csv
var files embed.FS

// AsOf is the date up to which the seed's sources were read (the newest
// article behind procedures.csv and rules.md is of 26 February 2026).
var AsOf = time.Date(2026, 2, 26, 0, 0, 0, 0, time.UTC)

// FS exposes the embedded seed files (read-only).
func FS() fs.FS { return files }

// Geo returns the GeoJSON boundaries of the 168 new HCMC units.
func Geo() []byte {
	b, err := files.ReadFile("geo/hcmc_units.geojson")
	if err != nil { // cannot happen: the file is embedded at build time
		return nil
	}
	return b
}

// Load parses every seed file (synonyms.csv, the offices and the FAQ's curated answers included)
// into a KB (version 0, as of AsOf). Any bad row is an error here: the seed is expected to be clean,
// and a test proves it.
func Load() (*knowledge.KB, error) {
	kb := &knowledge.KB{AsOf: AsOf}
	var all knowledge.RowErrors
	load := func(name string, parse func(b []byte) (knowledge.RowErrors, error)) error {
		b, err := files.ReadFile(name)
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		rowErrs, err := parse(b)
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		all = append(all, rowErrs...)
		return nil
	}
	steps := []struct {
		name  string
		parse func(b []byte) (knowledge.RowErrors, error)
	}{
		{"units/vn_units.csv", func(b []byte) (e knowledge.RowErrors, err error) {
			kb.Units, e, err = knowledge.ParseUnits(bytes.NewReader(b), "vn_units.csv")
			return
		}},
		{"units/vn_mapping.csv", func(b []byte) (e knowledge.RowErrors, err error) {
			kb.Mappings, e, err = knowledge.ParseMappings(bytes.NewReader(b), "vn_mapping.csv")
			return
		}},
		{"units/hcmc_history.csv", func(b []byte) (e knowledge.RowErrors, err error) {
			kb.History, e, err = knowledge.ParseHistory(bytes.NewReader(b), "hcmc_history.csv")
			return
		}},
		{"units/hcmc_district_aliases.csv", func(b []byte) (e knowledge.RowErrors, err error) {
			kb.Aliases, e, err = knowledge.ParseDistrictAliases(bytes.NewReader(b), "hcmc_district_aliases.csv")
			return
		}},
		{"procedures/procedures.csv", func(b []byte) (e knowledge.RowErrors, err error) {
			kb.Procedures, e, err = knowledge.ParseProcedures(bytes.NewReader(b), "procedures.csv")
			return
		}},
		{"procedures/procedure_examples.csv", func(b []byte) (e knowledge.RowErrors, err error) {
			known := map[string]bool{}
			for _, p := range kb.Procedures {
				known[p.ID] = true
			}
			var ex map[string][]string
			ex, e, err = knowledge.ParseProcedureExamples(bytes.NewReader(b), "procedure_examples.csv", known)
			for i := range kb.Procedures {
				kb.Procedures[i].Examples = append(kb.Procedures[i].Examples, ex[kb.Procedures[i].ID]...)
			}
			return
		}},
		{"procedures/land_registration_branches_partial.csv", func(b []byte) (e knowledge.RowErrors, err error) {
			kb.Branches, e, err = knowledge.ParseLandBranches(bytes.NewReader(b), "land_registration_branches_partial.csv")
			return
		}},
		{"synonyms.csv", func(b []byte) (e knowledge.RowErrors, err error) {
			var m map[string]string
			m, e, err = knowledge.ParseSynonyms(bytes.NewReader(b), "synonyms.csv")
			kb.Synonyms = knowledge.SynonymList(m)
			return
		}},
	}
	for _, s := range steps {
		if err := load(s.name, s.parse); err != nil {
			return nil, err
		}
	}
	// The offices go onto the units, so they come after them.
	var offices []knowledge.OfficeRow
	var verdicts map[string]string
	for _, s := range []struct {
		name  string
		parse func(b []byte) (knowledge.RowErrors, error)
	}{
		{"offices/hcmc_offices.csv", func(b []byte) (e knowledge.RowErrors, err error) {
			offices, e, err = knowledge.ParseOffices(bytes.NewReader(b), "hcmc_offices.csv")
			return
		}},
		{"offices/crosscheck_hcc.csv", func(b []byte) (e knowledge.RowErrors, err error) {
			verdicts, e, err = knowledge.ParseCrosscheck(bytes.NewReader(b), "crosscheck_hcc.csv")
			return
		}},
	} {
		if err := load(s.name, s.parse); err != nil {
			return nil, err
		}
	}
	all = append(all, knowledge.ApplyOffices(kb, offices, verdicts, "hcmc_offices.csv")...)
	// The FAQ's curated answers, read as the console imports the table
	// (their procedures must exist, so they come after the procedures).
	if err := load("faq/curated_answers.csv", func(b []byte) (knowledge.RowErrors, error) {
		imp, err := knowledge.ImportCSV(bytes.NewReader(b), "curated_answers.csv", knowledge.TableCurated, kb)
		if err != nil {
			return nil, err
		}
		return imp.Errors, knowledge.ApplyDiff(kb, knowledge.TableCurated, imp.Diff)
	}); err != nil {
		return nil, err
	}
	if len(all) > 0 {
		return nil, fmt.Errorf("seed: %w", all)
	}
	return kb, nil
}

// Synonyms returns the everyday words → knowledge-base words list
// (synonyms.csv), folded, for the matcher and the search index.
func Synonyms() map[string]string {
	b, err := files.ReadFile("synonyms.csv")
	if err != nil {
		return nil
	}
	out, _, _ := knowledge.ParseSynonyms(bytes.NewReader(b), "synonyms.csv")
	return out
}
