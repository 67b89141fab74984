// decisionwords.js: what each review decision is called, in plain words
// that say what it does. "Accept A" where A coded nothing read as if
// something were accepted, and was recorded as "Rejected": each kind now
// says whether the consensus gets a coding and whose.

/**
 * CASE_WORDS gives, for each kind of decision (as the server names it),
 * the button's label and its tooltip for a case cs (whose a and b list
 * each coder's codings there); nameA and nameB are "A · Ana" and "B · Ben".
 */
export const CASE_WORDS = {
  accepted_a: (cs, nameA) => side(cs.a, "A", nameA, "a"),
  accepted_b: (cs, nameA, nameB) => side(cs.b, "B", nameB, "b"),
  accepted_both: () => ["Code what either coded", "The consensus codes all the text either coder coded here (o)"],
  rejected: () => ["Neither: leave it uncoded", "Neither coder is right: nothing goes into the consensus layer here (r)"],
  edited: () => ["Edit the span…", "Choose the code and exactly where it starts and ends (e)"],
};

function side(codings, letter, name, key) {
  return codings.length
    ? [`Code it as ${letter} did`, `Copy ${name}'s codings here into the consensus layer (${key})`]
    : [`Keep no coding here (${letter} coded nothing)`, `${name} coded nothing here: the consensus leaves it uncoded too (${key})`];
}

/**
 * decisionWords describes a recorded decision: uncoded says the case was
 * left without a consensus coding (a rejection, or siding with a coder who
 * coded nothing), so the words say so.
 */
export function decisionWords(kind, nameA, nameB, uncoded) {
  switch (kind) {
    case "rejected":
      return "Left uncoded: neither coder was right";
    case "accepted_a":
    case "accepted_b": {
      const name = kind === "accepted_a" ? nameA : nameB;
      return uncoded ? `No coding here: sided with ${name}, who coded nothing` : `as ${name} coded it`;
    }
    case "accepted_both":
      return "all that either coded";
    case "edited":
      return "a span the lead chose";
  }
  return kind;
}
