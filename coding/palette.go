package coding

import "strings"

// CoderPalette is the set of colours handed out to users who do not choose
// their own. A coder's colour marks whose work something is (layers,
// avatars, presence), so no code colour may be one of them.
var CoderPalette = []string{
	"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
	"#17becf", "#8c564b", "#e377c2", "#bcbd22", "#7f7f7f",
}

// CodePalette is the set of colours handed out to codes that do not choose
// their own. None is a coder colour, and they are far apart from each other
// and from the coder colours (at least 25 ΔE in CIELAB), in an order where
// neighbours differ most, so that the first dozen codes of a codebook can
// be told apart at a glance. Each is dark enough to read as a thin bar on
// white.
var CodePalette = []string{
	"#0b6e4f", "#7b2cbf", "#f99379", "#b8860b", "#b5179e", "#ef476f",
	"#4361ee", "#882d17", "#b07aa1", "#6b8e23", "#006d77", "#b3446c",
}

// NextCodeColour returns the colour a new code gets when none was chosen:
// the CodePalette colour that the given colours (those of the codebook's
// codes) use least, the earliest in the palette on a tie. Codes then get
// distinct colours until the palette runs out, and after that the colours
// stay evenly spread even when leads picked some by hand or deleted codes.
func NextCodeColour(used []string) string {
	count := make(map[string]int, len(CodePalette))
	for _, c := range used {
		count[strings.ToLower(c)]++
	}
	best := CodePalette[0]
	for _, c := range CodePalette[1:] {
		if count[c] < count[best] {
			best = c
		}
	}
	return best
}
