// Package agreement computes how well coders agree: a project's report in
// four units — characters (as NVivo and QualCoder count them), segments
// matched by overlap (as MAXQDA does), code presence per document, and
// Krippendorff's unitizing α — overall, per code, per document, per pair
// of coders and per code and pair, with bootstrap intervals; and the
// coefficients on their own (percent agreement, Cohen's, Fleiss' and
// others' κ, Krippendorff's α at any level of measurement, the 1995 and
// 2016 unitizing α families) for concord reliability.
//
// Everything is computed from span boundaries with sweep lines, so costs
// grow with the number of codings, never with the length of the texts.
// Every coefficient is checked against published values
// (testdata/agreement_vectors.json). Like package coding, it imports only
// the standard library.
package agreement
