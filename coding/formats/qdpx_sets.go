package formats

import "github.com/concordqda/concord/coding"

// writeDocumentSets writes the sets documents are in as REFI-QDA <Sets>,
// each with its documents as MemberSource, so that other tools keep the
// groups a team filters by.
func writeDocumentSets(x *xmlWriter, docs []coding.Document) {
	names := coding.SetNames(docs)
	if len(names) == 0 {
		return
	}
	x.raw("<Sets>\n")
	for _, name := range names {
		x.raw("<Set")
		x.attr("guid", derivedID("set/"+name))
		x.attr("name", name)
		x.raw(">")
		for i := range docs {
			if docs[i].InSet(name) {
				x.raw("<MemberSource")
				x.attr("targetGUID", guidOf("document", docs[i].ID))
				x.raw("/>")
			}
		}
		x.raw("</Set>\n")
	}
	x.raw("</Sets>\n")
}
