package agreement

// The method notes of a report. The arithmetic of every figure is checked
// against published values; what can still mislead is how a figure is
// read: which coefficient a colour stands for, what a count counts, where
// a well-known tool computes something that looks the same differently.
// These sentences travel with the report (JSON "method"), so the CLI, the
// API and the dashboard say the same thing.

// The keys of Report.Method.
const (
	// MethodCoefficient names the coefficient rows, cells and the overall
	// figure are read by.
	MethodCoefficient = "coefficient"
	// MethodThresholds gives the source of the thresholds the dashboard
	// colours by.
	MethodThresholds = "thresholds"
	// MethodCompared says what counts.compared counts.
	MethodCompared = "compared"
	// MethodKappa says how Cohen's κ relates to NVivo's.
	MethodKappa = "cohen_kappa"
	// MethodUndefined says when chance-corrected figures are undefined
	// rather than 1.
	MethodUndefined = "undefined"
	// MethodChance says how Brennan–Prediger's κ models chance.
	MethodChance = "brennan_prediger"
	// MethodContinuum says how the unitizing coefficients treat documents.
	MethodContinuum = "continuum"
)

// ThresholdsNote is the reading of α the dashboard's colours follow.
const ThresholdsNote = "Krippendorff 2004: α ≥ .800 reliable; ≥ .667 enough for tentative conclusions only; below .667 not reliable."

func agreementMethod(unit Unit, codedOnly bool) map[string]string {
	m := map[string]string{MethodThresholds: ThresholdsNote}
	switch unit {
	case UnitCharacters, UnitPresence:
		what, units := "character", "code × character units: each character once for every code compared, so overall, per document and per pair the count is the characters read times the number of codes; per code and per cell it is characters"
		if unit == UnitPresence {
			what, units = "document", "code × document units: each document once for every code compared, so overall, per document and per pair the count is the documents read times the number of codes; per code and per cell it is documents"
		}
		m[MethodCoefficient] = "Rows, cells and the overall figure are Krippendorff's α (nominal): a cell is the α of its two coders on its code, each " + what + " coded or not. Cohen's κ and percent agreement are given beside it."
		m[MethodCompared] = "Compared counts " + units + "."
		m[MethodUndefined] = "κ and α are undefined, not 1, where chance explains all the agreement: when both coders coded all of the text with a code, or none of it."
		if unit == UnitCharacters {
			m[MethodKappa] = "Cohen's κ on characters is NVivo's coding-comparison κ, but pooled over documents: one table of characters over every document the coders read, not NVivo's figure per document."
		}
		if codedOnly {
			m[MethodCoefficient] = "Counting only coded text leaves no text that nobody coded, so α and κ are undefined; rows and cells show percent agreement, which is not corrected for chance."
		}
	case UnitSegments:
		m[MethodCoefficient] = "Rows, cells and the overall figure are Brennan–Prediger's κ: segments have no \"neither coded\" cell, so α and Cohen's κ do not apply. Percent agreement (matched comparisons) is given beside it."
		m[MethodChance] = "Brennan–Prediger's κ takes chance as 1/q, with q counted per row: overall and per code the codes compared in the report, per pair and per cell the codes that pair compared, per document the codes compared in it."
		m[MethodCompared] = "Compared counts segment comparisons: each coding once for every other coder reading its document."
	case UnitUnitized:
		m[MethodCoefficient] = "Rows and cells are Krippendorff's unitizing α (1995) of a code; the overall figure adds the codes' disagreements up."
		m[MethodContinuum] = "The 1995 α_u of a code keeps each document's continuum separate: documents are not joined end to end, so no unit or gap runs from one document into the next. The 2016 coefficients (uα, |uα, cuα, (k)uα) lay the documents end to end."
		m[MethodCompared] = "Compared counts characters: the length of the documents every coder compared read."
	}
	return m
}
