package staff

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

const (
	minPasswordRunes = 10
	maxPasswordBytes = 72 // bcrypt reads no further
	maxNameRunes     = 100
	maxChatsLimit    = 100
)

var (
	usernamePattern = regexp.MustCompile(`^[a-z0-9._-]{3,40}$`)
	unitPattern     = regexp.MustCompile(`^[0-9]{5}$`)
)

// normalizeUsername is how usernames are compared: trimmed, lower case.
func normalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

func checkUsername(u string) error {
	if !usernamePattern.MatchString(u) {
		return invalid("username must be 3 to 40 of a-z 0-9 . _ -")
	}
	return nil
}

func checkPassword(p string) error {
	if utf8.RuneCountInString(p) < minPasswordRunes {
		return invalid("password must be at least %d characters", minPasswordRunes)
	}
	if len(p) > maxPasswordBytes {
		return invalid("password must be at most %d bytes", maxPasswordBytes)
	}
	distinct := map[rune]bool{}
	for _, r := range p {
		distinct[r] = true
	}
	if len(distinct) < minDistinctRunes || commonPasswords[strings.ToLower(p)] {
		return invalid("password is too easy to guess: use at least %d different characters, not a common password", minDistinctRunes)
	}
	return nil
}

// minDistinctRunes is the least number of different characters in a
// password ("aaaaaaaaaa" and "ababababab" are refused).
const minDistinctRunes = 5

// commonPasswords are the long-enough passwords guessed first.
var commonPasswords = map[string]bool{
	"1234567890": true, "0123456789": true, "12345678910": true, "0987654321": true, "qwertyuiop": true,
	"abcdefghij": true, "password123": true, "password12": true, "matkhau123": true, "matkhau1234": true,
	"hoiphuong123": true, "admin12345": true, "123456789a": true, "a123456789": true, "1qaz2wsx3edc": true,
}

// profile is the part of a user that Create and Update both set.
type profile struct {
	name     string
	role     Role
	units    []string
	maxChats int
}

// checkProfile validates and normalises: name trimmed, units trimmed,
// deduplicated and sorted (cleared for roles without units), MaxChats 0 →
// DefaultMaxChats.
func checkProfile(name string, role Role, units []string, maxChats int) (profile, error) {
	p := profile{name: strings.TrimSpace(name), role: role, maxChats: maxChats}
	if p.name == "" || utf8.RuneCountInString(p.name) > maxNameRunes {
		return p, invalid("name must be 1 to %d characters", maxNameRunes)
	}
	if !role.Valid() {
		return p, invalid("unknown role %q", role)
	}
	if p.maxChats == 0 {
		p.maxChats = DefaultMaxChats
	}
	if p.maxChats < 0 || p.maxChats > maxChatsLimit {
		return p, invalid("max chats must be 1 to %d", maxChatsLimit)
	}
	if !role.hasUnits() {
		return p, nil // city admins see every unit; editors none
	}
	for _, u := range units {
		u = strings.TrimSpace(u)
		if u != CityQueue && !unitPattern.MatchString(u) {
			return p, invalid("unit %q is neither a 5-digit unit code nor %q", u, CityQueue)
		}
		p.units = append(p.units, u)
	}
	slices.Sort(p.units)
	p.units = slices.Compact(p.units)
	if len(p.units) == 0 {
		return p, invalid("role %s needs at least one unit", role)
	}
	return p, nil
}

// checkUnits checks the unit codes of a profile against the knowledge
// base (Config.CheckUnit), except CityQueue and those in kept (a user's
// current units: a unit merged away since does not block other changes).
func (d *Directory) checkUnits(units []string, kept map[string]bool) error {
	if d.cfg.CheckUnit == nil {
		return nil
	}
	for _, u := range units {
		if u == CityQueue || kept[u] {
			continue
		}
		if err := d.cfg.CheckUnit(u); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalid, err)
		}
	}
	return nil
}
