// Package knowledge owns the domain model of Hỏi Phường: the new administrative
// units after the 1 July 2025 reform, the old→new mapping, the older names that
// citizens' papers still carry, and the procedures with who handles them.
//
// It knows nothing about chats or HTTP. Sub-packages hold the seed data
// (knowledge/seed), the SQLite store (knowledge/store), the Meilisearch index
// (knowledge/search), the embedded Meilisearch process (knowledge/meili) and
// the location resolver (knowledge/geo).
package knowledge

import "time"

// HCMCProvinceCode is the GSO code of Thành phố Hồ Chí Minh (after the merger).
const HCMCProvinceCode = "79"

// Unit is a commune-level unit after 1 July 2025 (phường, xã or đặc khu).
type Unit struct {
	Code             string `json:"code"` // 5-digit GSO code, a *new* code
	Name             string `json:"name"` // "Phường Sài Gòn"
	Type             string `json:"type"` // phuong | xa | dac_khu
	ShortName        string `json:"short_name"`
	FormerProvince   string `json:"former_province"`
	FormerDistricts  string `json:"former_districts"`
	OldUnits         int    `json:"old_units"`
	Province         string `json:"province"`
	ProvinceCode     string `json:"province_code"`
	Resolution       string `json:"resolution"`
	ResolutionClause string `json:"resolution_clause"`
	// The unit's offices, as the seed (knowledge/seed/offices) and editors
	// keep them: empty means not yet in the knowledge base, never a guess.
	// Address is the service desk (Trung tâm Phục vụ hành chính công, the
	// one-stop desk where files are filed); UBNDAddress the People's
	// Committee's seat; PoliceAddress the ward police's, where known.
	Address       string `json:"address,omitempty"`
	UBNDAddress   string `json:"ubnd_address,omitempty"`
	PoliceAddress string `json:"police_address,omitempty"`
	Phone         string `json:"phone,omitempty"`
	Hotline       string `json:"hotline,omitempty"`
	Hours         string `json:"hours,omitempty"`   // office hours in words: "T2–T6 7:30–17:00, T7 sáng"; empty: the standard schedule
	MapURL        string `json:"map_url,omitempty"` // a map link (https); empty: a map search built from the address
	OfficeNotes   string `json:"office_notes,omitempty"`
	// Where the office details come from: short source names ("TB
	// 243/TB-UBND; Truso.json"), a link, the newest source's date
	// (YYYY-MM-DD) and the desk address's confidence (high|medium|low).
	OfficeSource     string `json:"office_source,omitempty"`
	OfficeSourceURL  string `json:"office_source_url,omitempty"`
	OfficeAsOf       string `json:"office_as_of,omitempty"`
	OfficeConfidence string `json:"office_confidence,omitempty"`
	// OfficeCheck, when set, says why editors should check the office
	// (another source gives another desk address); citizens see the
	// higher-confidence address meanwhile.
	OfficeCheck string `json:"office_check,omitempty"`
}

// HasOffice reports whether the knowledge base has any office detail of u.
func (u Unit) HasOffice() bool {
	return u.Address != "" || u.UBNDAddress != "" || u.PoliceAddress != "" || u.Phone != "" || u.Hotline != "" ||
		u.Hours != "" || u.MapURL != ""
}

// InHCMC reports whether the unit belongs to the new Ho Chi Minh City.
func (u Unit) InHCMC() bool { return u.ProvinceCode == HCMCProvinceCode }

// Mapping is one (old commune → new unit) pair of the July 2025 reform.
// Old and new codes share one number space: never join one to the other.
type Mapping struct {
	OldCode         string `json:"old_code"`
	OldName         string `json:"old_name"`     // as spelled in the resolution
	OldNameGSO      string `json:"old_name_gso"` // as spelled in the GSO registry
	OldType         string `json:"old_type"`     // phuong | xa | thi_tran | huyen
	OldDistrict     string `json:"old_district"`
	OldDistrictCode string `json:"old_district_code"`
	OldProvince     string `json:"old_province"`
	OldProvinceCode string `json:"old_province_code"`
	NewCode         string `json:"new_code"`
	NewName         string `json:"new_name"`
	NewProvince     string `json:"new_province"`
	NewProvinceCode string `json:"new_province_code"`
	Whole           bool   `json:"whole"`
	Share           string `json:"share"` // whole | part | remainder | unchanged
	PartKind        string `json:"part_kind,omitempty"`
	Resolution      string `json:"resolution"`
	Clause          string `json:"resolution_clause"`
	Status          string `json:"status"`
}

// History is one older name (2018 → March 2025) that maps onto a March-2025
// unit, i.e. onto a Mapping's (OldCode, OldName, OldDistrict).
type History struct {
	FormerName      string    `json:"former_name"`
	FormerDistrict  string    `json:"former_district"`
	FormerProvince  string    `json:"former_province"`
	FormerCode      string    `json:"former_code"`
	CurrentName     string    `json:"current_name"`
	CurrentDistrict string    `json:"current_district"`
	CurrentCode     string    `json:"current_code"`
	Whole           bool      `json:"whole"`
	Change          string    `json:"change"`      // merged | renamed | district_changed
	Resolutions     []string  `json:"resolutions"` // oldest first
	Effective       time.Time `json:"effective"`   // the day the former name stopped being valid
	Source          string    `json:"source"`
}

// DistrictAlias maps a former district name onto a March-2025 district.
type DistrictAlias struct {
	FormerDistrict  string    `json:"former_district"`
	FormerProvince  string    `json:"former_province"`
	CurrentDistrict string    `json:"current_district"`
	Change          string    `json:"change"`
	Resolutions     []string  `json:"resolutions"`
	Effective       time.Time `json:"effective"`
	Source          string    `json:"source"`
}

// Office levels used by Procedure.OfficeLevels (see seed/procedures/rules.md).
const (
	LevelCommune       = "xa"         // UBND of the new phường/xã/đặc khu
	LevelCommunePolice = "xa_cong_an" // Công an of the new phường/xã/đặc khu
	LevelLandOffice    = "vpdkdd"     // land registration office or branch
	LevelCity          = "thanh_pho"  // city-level department
	LevelOther         = "khac"       // notary, social insurance, school, …
)

// Procedure is an administrative procedure and who handles it after the reform.
type Procedure struct {
	ID                string   `json:"id"`
	Name              string   `json:"name"`
	Aliases           []string `json:"aliases"`
	Field             string   `json:"field"`
	Authority         string   `json:"authority"`
	OfficeLevels      []string `json:"office_levels"` // first is the main one
	JurisdictionBasis string   `json:"jurisdiction_basis"`
	FileAnywhere      string   `json:"file_anywhere"` // yes | no | unknown
	Online            string   `json:"online"`        // yes | partial | no | unknown
	ProcessingTime    string   `json:"processing_time"`
	Fee               string   `json:"fee"`
	Documents         []string `json:"documents"`
	LegalBasis        string   `json:"legal_basis"`
	SourceURLs        []string `json:"source_urls"`
	Confidence        string   `json:"confidence"` // high | medium | low
	// Examples are questions as citizens ask them ("hai đứa muốn cưới"):
	// the matter reader learns the procedure from them. Editors add the
	// unanswered questions they read.
	Examples []string `json:"examples,omitempty"`
}

// MainLevel is the office level that usually receives the file.
func (p Procedure) MainLevel() string {
	if len(p.OfficeLevels) == 0 {
		return ""
	}
	return p.OfficeLevels[0]
}

// AtCommune reports whether the main office is at the new commune level, so
// that the answer depends on where the citizen lives.
func (p Procedure) AtCommune() bool {
	l := p.MainLevel()
	return l == LevelCommune || l == LevelCommunePolice
}

// LandBranch links a land registration branch to a commune it serves.
type LandBranch struct {
	BranchNo    string `json:"branch_no"`
	BranchName  string `json:"branch_name"`
	CommuneUnit string `json:"commune_unit"`
	SourceURL   string `json:"source_url"`
	Note        string `json:"note"`
}

// ServicePoint is a city-level place that receives files (a department's
// one-stop desk, a branch of the land registration office, the city's
// public administration service centre).
type ServicePoint struct {
	ID      string   `json:"id"` // short slug, unique
	Name    string   `json:"name"`
	Address string   `json:"address"`
	Phone   string   `json:"phone,omitempty"`
	Hours   string   `json:"hours,omitempty"`
	MapURL  string   `json:"map_url,omitempty"`
	Matters []string `json:"matters,omitempty"` // procedure ids it handles
	Notes   string   `json:"notes,omitempty"`
}

// CuratedAnswer is an answer an editor approved for a set of question
// phrasings; it takes precedence over search.
type CuratedAnswer struct {
	ID          string   `json:"id"`        // short slug, unique
	Questions   []string `json:"questions"` // the phrasings it answers
	Answer      string   `json:"answer"`    // Vietnamese, as the citizen reads it
	ProcedureID string   `json:"procedure_id,omitempty"`
	UnitCode    string   `json:"unit_code,omitempty"`
	SourceURL   string   `json:"source_url,omitempty"` // where its facts come from
	Notes       string   `json:"notes,omitempty"`      // for editors
	// LegalBasis names the rules the answer rests on, as the answer's
	// sources line cites them ("Điều 10 NQ 190/2025/QH15").
	LegalBasis string `json:"legal_basis,omitempty"`
	// Sources are the pages its facts were read from, with their dates.
	Sources []Source `json:"sources,omitempty"`
	// Confidence in the answer: high | medium | low ("" not assessed).
	// Low answers say they rest partly on secondary sources.
	Confidence string `json:"confidence,omitempty"`
}

// Source is a page a fact was read from: what it is, its address and its
// own date (YYYY-MM-DD, or YYYY-MM; may be unknown).
type Source struct {
	Title string `json:"title,omitempty"`
	URL   string `json:"url"`
	Date  string `json:"date,omitempty"`
}

// Synonym maps an everyday word or abbreviation onto the knowledge base's
// words ("giấy khai sinh" → "khai sinh", "hk" → "hộ khẩu").
type Synonym struct {
	Phrase string `json:"phrase"`
	Means  string `json:"means"`
}

// KB is one complete, consistent version of the knowledge base.
type KB struct {
	Version       int             `json:"version"`
	AsOf          time.Time       `json:"as_of"` // date the facts were last checked
	Units         []Unit          `json:"units"` // nationwide, HCMC included
	Mappings      []Mapping       `json:"mappings"`
	History       []History       `json:"history"`
	Aliases       []DistrictAlias `json:"district_aliases"`
	Procedures    []Procedure     `json:"procedures"`
	Branches      []LandBranch    `json:"land_branches"`
	ServicePoints []ServicePoint  `json:"service_points"`
	Curated       []CuratedAnswer `json:"curated_answers"`
	Synonyms      []Synonym       `json:"synonyms"`
}

// SynonymMap is the synonyms as the engine reads them: phrase → meaning.
func (kb *KB) SynonymMap() map[string]string {
	m := make(map[string]string, len(kb.Synonyms))
	for _, s := range kb.Synonyms {
		m[s.Phrase] = s.Means
	}
	return m
}
