package names

import "regexp"

// syllable matches a folded (diacritics-free) Vietnamese syllable: an
// optional onset, one to three vowels, an optional coda. Spellings outside
// it ("sihn", "sinhh", "cuok") are typing mistakes, not words.
var syllable = regexp.MustCompile(`^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ng|nh|ch|[cmnpt])?$`)

// IsSyllable reports whether a folded word can be a Vietnamese syllable.
func IsSyllable(w string) bool {
	m := syllable.FindStringSubmatch(w)
	if m == nil {
		return false
	}
	// "nh" and "ch" close only a, e, i, y rhymes (anh, ênh, inh, uynh; ach, ich).
	if coda := m[2]; coda == "nh" || coda == "ch" {
		v := w[len(w)-len(coda)-1]
		return v == 'a' || v == 'e' || v == 'i' || v == 'y'
	}
	return true
}

// OSADistance is the optimal-string-alignment distance (Levenshtein plus
// adjacent transpositions, "sihn" → "sinh" = 1), capped at limit+1.
func OSADistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
