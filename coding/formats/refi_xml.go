package formats

import "encoding/xml"

// The REFI-QDA project and codebook documents as other tools write them.
// Tags name local elements only, so any urn:QDA-XML:project:* (or
// codebook) namespace matches; the root's namespace is checked apart.
type (
	// qdeProjectHead is a project without its sources, which hold nearly
	// all of a large file: the import reads them one at a time (qdeText,
	// qdePDF; see readProject).
	qdeProjectHead struct {
		XMLName          xml.Name
		Name             string        `xml:"name,attr"`
		Origin           string        `xml:"origin,attr"`
		CreatingUser     string        `xml:"creatingUserGUID,attr"`
		CreationDateTime string        `xml:"creationDateTime,attr"`
		Users            []qdeUser     `xml:"Users>User"`
		Codes            []qdeCode     `xml:"CodeBook>Codes>Code"`
		Variables        []qdeVariable `xml:"Variables>Variable"`
		Cases            []qdeCase     `xml:"Cases>Case"`
		Notes            []qdeText     `xml:"Notes>Note"`
		Sets             []qdeSet      `xml:"Sets>Set"`
		Description      string        `xml:"Description"`
		NoteRefs         []qdeRef      `xml:"NoteRef"`
	}
	qdeUser struct {
		GUID string `xml:"guid,attr"`
		Name string `xml:"name,attr"`
		ID   string `xml:"id,attr"`
	}
	qdeCode struct {
		GUID        string    `xml:"guid,attr"`
		Name        string    `xml:"name,attr"`
		IsCodable   string    `xml:"isCodable,attr"`
		Color       string    `xml:"color,attr"`
		Description string    `xml:"Description"`
		NoteRefs    []qdeRef  `xml:"NoteRef"`
		Codes       []qdeCode `xml:"Code"`
	}
	qdeVariable struct {
		GUID string `xml:"guid,attr"`
		Name string `xml:"name,attr"`
	}
	qdeVariableValue struct {
		Ref      qdeRef  `xml:"VariableRef"`
		Text     *string `xml:"TextValue"`
		Boolean  *string `xml:"BooleanValue"`
		Integer  *string `xml:"IntegerValue"`
		Float    *string `xml:"FloatValue"`
		Date     *string `xml:"DateValue"`
		DateTime *string `xml:"DateTimeValue"`
	}
	qdeCase struct {
		GUID        string             `xml:"guid,attr"`
		Name        string             `xml:"name,attr"`
		Values      []qdeVariableValue `xml:"VariableValue"`
		SourceRefs  []qdeRef           `xml:"SourceRef"`
		Description string             `xml:"Description"`
	}
	// qdeText is a TextSource, a Note or a PDF's Representation (they
	// share TextSourceType).
	qdeText struct {
		GUID             string             `xml:"guid,attr"`
		Name             string             `xml:"name,attr"`
		PlainTextPath    string             `xml:"plainTextPath,attr"`
		RichTextPath     string             `xml:"richTextPath,attr"`
		CreatingUser     string             `xml:"creatingUser,attr"`
		CreationDateTime string             `xml:"creationDateTime,attr"`
		ModifiedDateTime string             `xml:"modifiedDateTime,attr"`
		Description      string             `xml:"Description"`
		Content          *string            `xml:"PlainTextContent"`
		Selections       []qdeSelection     `xml:"PlainTextSelection"`
		Codings          []qdeCoding        `xml:"Coding"`
		NoteRefs         []qdeRef           `xml:"NoteRef"`
		Values           []qdeVariableValue `xml:"VariableValue"`
	}
	qdePDF struct {
		GUID           string             `xml:"guid,attr"`
		Name           string             `xml:"name,attr"`
		CreatingUser   string             `xml:"creatingUser,attr"`
		Representation *qdeText           `xml:"Representation"`
		PDFSelections  []qdeAny           `xml:"PDFSelection"`
		NoteRefs       []qdeRef           `xml:"NoteRef"`
		Values         []qdeVariableValue `xml:"VariableValue"`
	}
	qdeSelection struct {
		GUID             string      `xml:"guid,attr"`
		Start            string      `xml:"startPosition,attr"`
		End              string      `xml:"endPosition,attr"`
		CreatingUser     string      `xml:"creatingUser,attr"`
		CreationDateTime string      `xml:"creationDateTime,attr"`
		Description      string      `xml:"Description"`
		Codings          []qdeCoding `xml:"Coding"`
		NoteRefs         []qdeRef    `xml:"NoteRef"`
	}
	qdeCoding struct {
		GUID             string   `xml:"guid,attr"`
		CreatingUser     string   `xml:"creatingUser,attr"`
		CreationDateTime string   `xml:"creationDateTime,attr"`
		CodeRef          qdeRef   `xml:"CodeRef"`
		NoteRefs         []qdeRef `xml:"NoteRef"`
	}
	qdeSet struct {
		GUID    string   `xml:"guid,attr"`
		Name    string   `xml:"name,attr"`
		Sources []qdeRef `xml:"MemberSource"`
	}
	qdeRef struct {
		Target string `xml:"targetGUID,attr"`
	}
	qdeAny struct {
		GUID string `xml:"guid,attr"`
	}

	qdcCodebook struct {
		XMLName xml.Name
		Origin  string    `xml:"origin,attr"`
		Codes   []qdeCode `xml:"Codes>Code"`
	}
)
