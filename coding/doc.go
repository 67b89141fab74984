// Package coding holds Concord's domain: projects, documents, the codebook,
// codings and the events that record every change, together with the pure
// logic that works on them (validation, codebook tree operations, search,
// aggregation). The agreement statistics are in coding/agreement and the
// file formats in coding/formats; both build on this package.
//
// It imports only the standard library so that every other package can
// depend on it and it can be tested without a database or a network.
//
// Offsets are Unicode code points into a document's stored text, half-open
// [Start, End). Anything that speaks another unit (the browser's UTF-16,
// NVivo's positions) converts at its own edge.
package coding
