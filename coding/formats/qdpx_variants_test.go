package formats

import (
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/concordqda/concord/coding"
)

const variantQDE = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Variant" origin="%ORIGIN%" creatingUserGUID="{AAAAAAAA-0000-4000-8000-000000000001}">
 <Users><User guid="{AAAAAAAA-0000-4000-8000-000000000001}" name="Zoë Ünal"/><User guid="aaaaaaaa-0000-4000-8000-000000000002" name="Sam"/></Users>
 <CodeBook><Codes>
  <Code guid="{BBBBBBBB-0000-4000-8000-000000000001}" name="Topics" isCodable="false" color="#F0A">
   <Code guid="BBBBBBBB-0000-4000-8000-000000000002" name="Economy / jobs" isCodable="true"><Description>Money</Description></Code>
   <Code guid="BBBBBBBB-0000-4000-8000-000000000003" name="Health" isCodable="true"/>
   <Code guid="BBBBBBBB-0000-4000-8000-000000000004" name="health" isCodable="true"/>
  </Code>
  <Code guid="BBBBBBBB-0000-4000-8000-000000000005" name="Used category" isCodable="false"/>
 </Codes></CodeBook>
 <Variables><Variable guid="DDDDDDDD-0000-4000-8000-000000000001" name="age" typeOfVariable="Integer"/></Variables>
 <Cases><Case guid="DDDDDDDD-0000-4000-8000-000000000002" name="Participant 7"><VariableValue><VariableRef targetGUID="DDDDDDDD-0000-4000-8000-000000000001"/><IntegerValue>42</IntegerValue></VariableValue><SourceRef targetGUID="{CCCCCCCC-0000-4000-8000-000000000001}"/></Case></Cases>
 <Sources>
  <TextSource guid="{CCCCCCCC-0000-4000-8000-000000000001}" name="Interview A" plainTextPath="internal://{CCCCCCCC-0000-4000-8000-000000000001}.txt" creatingUser="AAAAAAAA-0000-4000-8000-000000000002">
   <PlainTextSelection guid="EEEEEEEE-0000-4000-8000-000000000001" startPosition="%S1%" endPosition="%E1%">
    <Description>a comment</Description>
    <Coding guid="FFFFFFFF-0000-4000-8000-000000000001" creatingUser="AAAAAAAA-0000-4000-8000-000000000001"><CodeRef targetGUID="BBBBBBBB-0000-4000-8000-000000000002"/></Coding>
    <Coding guid="FFFFFFFF-0000-4000-8000-000000000002"><CodeRef targetGUID="{bbbbbbbb-0000-4000-8000-000000000003}"/><NoteRef targetGUID="99999999-0000-4000-8000-000000000001"/></Coding>
   </PlainTextSelection>
   <PlainTextSelection guid="EEEEEEEE-0000-4000-8000-000000000002" startPosition="%S2%" endPosition="%E2%">
    <Coding guid="FFFFFFFF-0000-4000-8000-000000000003" creatingUser="AAAAAAAA-0000-4000-8000-000000000009"><CodeRef targetGUID="BBBBBBBB-0000-4000-8000-000000000005"/></Coding>
   </PlainTextSelection>
   <PlainTextSelection guid="EEEEEEEE-0000-4000-8000-000000000003" startPosition="0" endPosition="99999">
    <Coding guid="FFFFFFFF-0000-4000-8000-000000000004"><CodeRef targetGUID="BBBBBBBB-0000-4000-8000-000000000004"/></Coding>
   </PlainTextSelection>
   <NoteRef targetGUID="99999999-0000-4000-8000-000000000002"/>
  </TextSource>
  <TextSource guid="CCCCCCCC-0000-4000-8000-000000000002" name="Inline">
   <PlainTextContent>Inline text, coded.</PlainTextContent>
   <PlainTextSelection guid="EEEEEEEE-0000-4000-8000-000000000004" startPosition="0" endPosition="6">
    <Coding guid="FFFFFFFF-0000-4000-8000-000000000005"><CodeRef targetGUID="BBBBBBBB-0000-4000-8000-000000000003"/></Coding>
   </PlainTextSelection>
  </TextSource>
  <PictureSource guid="CCCCCCCC-0000-4000-8000-000000000003" path="internal://x.jpg"/>
 </Sources>
 <Notes>
  <Note guid="99999999-0000-4000-8000-000000000001"><PlainTextContent>note on a coding</PlainTextContent></Note>
  <Note guid="99999999-0000-4000-8000-000000000002" name="Source note" creatingUser="AAAAAAAA-0000-4000-8000-000000000002"><PlainTextContent>about interview A</PlainTextContent></Note>
  <Note guid="99999999-0000-4000-8000-000000000003" name="Loose"><PlainTextContent>nobody refers to me</PlainTextContent></Note>
 </Notes>
</Project>`

// The raw text of Interview A: a BOM, CRLF line ends and emoji before the
// coded words, so that every unit and line-end conversion shows.
const variantText = "\ufeffLine one 😀\r\nThe economy 💸 matters.\r\nHealth too.\r\n"

func variantArchive(t testing.TB, origin, textEncoding, sources string) []byte {
	body := strings.TrimPrefix(variantText, "\ufeff")
	pos := func(quote string) (string, string) {
		i := strings.Index(body, quote)
		before := body[:i]
		var s, n int
		if strings.Contains(origin, "ATLAS.ti") {
			// ATLAS.ti counts a CRLF as one character.
			before = strings.ReplaceAll(before, "\r\n", "\n")
		}
		if strings.Contains(origin, "NVivo") {
			s, n = len(utf16.Encode([]rune(before))), len(utf16.Encode([]rune(quote)))
		} else {
			s, n = len([]rune(before)), len([]rune(quote))
		}
		return itoa(s), itoa(s + n)
	}
	s1, e1 := pos("economy 💸 matters.")
	s2, e2 := pos("Health")
	qde := strings.NewReplacer("%ORIGIN%", origin, "%S1%", s1, "%E1%", e1, "%S2%", s2, "%E2%", e2).Replace(variantQDE)
	text := variantText
	if textEncoding == "utf16" {
		u := utf16.Encode([]rune(variantText))
		b := make([]byte, 0, 2*len(u))
		for _, x := range u {
			b = append(b, byte(x), byte(x>>8))
		}
		text = string(b)
	}
	return makeZip(t, map[string]string{
		"export/project.qde": qde,
		"export/" + sources + "/{CCCCCCCC-0000-4000-8000-000000000001}.txt": text,
	})
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestQDPXVariants(t *testing.T) {
	for _, tt := range []struct{ name, origin, enc, sources string }{
		{"code points, UTF-8, sources", "QualCoder 3.5", "utf8", "sources"},
		{"ATLAS.ti: CRLF counts one", "ATLAS.ti 9", "utf8", "sources"},
		{"UTF-16 units, UTF-8, Sources", "NVivo for Windows 12.6", "utf8", "Sources"},
		{"NVivo, UTF-16 file", "NVivo 14", "utf16", "sources"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, err := readQDPXBytes("variant.qdpx", variantArchive(t, tt.origin, tt.enc, tt.sources))
			if err != nil {
				t.Fatal(err)
			}
			checkVariant(t, d)
		})
	}
}

func checkVariant(t *testing.T, d *coding.ProjectData) {
	t.Helper()
	if len(d.Documents) != 2 {
		t.Fatalf("%d documents, want 2", len(d.Documents))
	}
	doc := d.Documents[0]
	if doc.ID != "cccccccc-0000-4000-8000-000000000001" || doc.Text != "Line one 😀\nThe economy 💸 matters.\nHealth too.\n" {
		t.Errorf("document %s %q", doc.ID, doc.Text)
	}
	if doc.Attributes["age"] != "42" || doc.Attributes["case"] != "Participant 7" {
		t.Errorf("attributes %v, want age 42 from the case and the case's name", doc.Attributes)
	}
	cb := d.Codebook()
	if c, ok := cb.Find("Topics"); !ok || c.Codable || c.Colour != "#ff00aa" {
		t.Errorf("Topics = %+v, want a category coloured #ff00aa", c)
	}
	if c, ok := cb.FindNames([]string{"Topics", "Economy / jobs"}); !ok || c.Name != "Economy / jobs" {
		t.Errorf("code Topics › Economy / jobs = %+v, want its name kept with its slash", c)
	}
	if _, ok := cb.Find("Topics/health (2)"); !ok {
		t.Error("a second code with the same name under one parent was not renamed")
	}
	if c, _ := cb.Find("Used category"); c == nil || !c.Codable {
		t.Errorf("a category that codings use must stay codable: %+v", c)
	}
	if len(d.Codings) != 5 {
		t.Errorf("%d codings, want 5", len(d.Codings))
	}
	byText := map[string]int{}
	for _, c := range d.Codings {
		for _, doc := range d.Documents {
			if doc.ID == c.DocumentID {
				byText[coding.Slice(doc.Text, c.Start, c.End)]++
			}
		}
	}
	for text, n := range map[string]int{"economy 💸 matters.": 2, "Health": 1, "Inline": 1, "Line one 😀\nThe economy 💸 matters.\nHealth too.\n": 1} {
		if byText[text] != n {
			t.Errorf("%d codings of %q, want %d (all: %v)", byText[text], text, n, byText)
		}
	}
	for _, c := range d.Codings {
		switch c.ID {
		case "ffffffff-0000-4000-8000-000000000001":
			if c.CoderID != "aaaaaaaa-0000-4000-8000-000000000001" || c.Memo != "a comment" {
				t.Errorf("coding 1: coder %s memo %q", c.CoderID, c.Memo)
			}
		case "ffffffff-0000-4000-8000-000000000002":
			// No creatingUser: the source's creator codes it.
			if c.CoderID != "aaaaaaaa-0000-4000-8000-000000000002" || c.Memo != "a comment\n\nnote on a coding" {
				t.Errorf("coding 2: coder %s memo %q", c.CoderID, c.Memo)
			}
		}
	}
	var logins []string
	for _, u := range d.Users {
		logins = append(logins, u.Login)
	}
	if strings.Join(logins, ",") != "zoe-unal,sam,user-aaaaaaaa" {
		t.Errorf("logins %v", logins)
	}
	var memoTitles []string
	for _, m := range d.Memos {
		memoTitles = append(memoTitles, m.Title+"@"+m.DocumentID)
	}
	if strings.Join(memoTitles, "|") != "Source note@cccccccc-0000-4000-8000-000000000001|Loose@" {
		t.Errorf("memos %v", memoTitles)
	}
	warnings := strings.Join(d.Warnings, "\n")
	for _, w := range []string{"picture", "cut at the end", "Used category"} {
		if !strings.Contains(warnings, w) {
			t.Errorf("no warning about %s in:\n%s", w, warnings)
		}
	}
}

func TestQDPXRefusesBrokenFiles(t *testing.T) {
	good := variantArchive(t, "ATLAS.ti", "utf8", "sources")
	qde := string(unzip(t, good)["export/project.qde"])
	text := variantText
	tests := []struct {
		name    string
		entries map[string]string
		want    string
	}{
		{"no qde", map[string]string{"sources/a.txt": "x"}, "no project.qde"},
		{"two qde", map[string]string{"a.qde": qde, "b.qde": qde}, "several .qde"},
		{"path traversal", map[string]string{"project.qde": qde, "../../etc/passwd": "x"}, "unsafe name"},
		{"absolute path", map[string]string{"project.qde": qde, "/etc/passwd": "x"}, "unsafe name"},
		{"missing source", map[string]string{"project.qde": qde}, "is missing from the archive"},
		{"malformed XML", map[string]string{"project.qde": qde[:len(qde)/2]}, "project.qde"},
		{"codebook", map[string]string{"project.qde": `<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>`}, "is a codebook"},
		{"other XML", map[string]string{"project.qde": `<html/>`}, "not a REFI-QDA project"},
		{"bad position", map[string]string{"project.qde": strings.Replace(qde, `startPosition="0"`, `startPosition="zero"`, 1), "sources/{CCCCCCCC-0000-4000-8000-000000000001}.txt": text}, "not whole numbers"},
		{"duplicate code guid", map[string]string{"project.qde": strings.Replace(qde, "BBBBBBBB-0000-4000-8000-000000000004", "BBBBBBBB-0000-4000-8000-000000000003", 1), "sources/{CCCCCCCC-0000-4000-8000-000000000001}.txt": text}, "two codes have the guid"},
		{"latin-1 source", map[string]string{"project.qde": qde, "sources/{CCCCCCCC-0000-4000-8000-000000000001}.txt": "caf\xe9"}, "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readQDPXBytes("bad.qdpx", makeZip(t, tt.entries))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "bad.qdpx") {
				t.Fatalf("error %v, want one naming bad.qdpx and saying %q", err, tt.want)
			}
		})
	}
	if _, err := readQDPXBytes("bad.qdpx", []byte("not a zip")); err == nil || !strings.Contains(err.Error(), "not a readable zip") {
		t.Errorf("a file that is no zip: %v", err)
	}
}

func TestZipLimits(t *testing.T) {
	big := strings.Repeat("a", 1<<20)
	data := makeZip(t, map[string]string{"project.qde": big})
	_, err := ReadQDPX("bomb.qdpx", strings.NewReader(string(data)), int64(len(data)), ImportOptions{Zip: ZipLimits{MaxTotal: 1000}})
	if err == nil || !strings.Contains(err.Error(), "expands to more than") {
		t.Errorf("an entry expanding past the limit: %v", err)
	}
	many := map[string]string{}
	for i := 0; i < 20; i++ {
		many["f"+itoa(i)] = "x"
	}
	data = makeZip(t, many)
	_, err = ReadQDPX("many.qdpx", strings.NewReader(string(data)), int64(len(data)), ImportOptions{Zip: ZipLimits{MaxEntries: 10}})
	if err == nil || !strings.Contains(err.Error(), "lists 20 entries") {
		t.Errorf("an archive with too many entries: %v", err)
	}
}

func TestReadQDC(t *testing.T) {
	d := readSample(t, "codebook.qdc")
	var names []string
	for _, c := range d.Codes {
		names = append(names, c.Name)
	}
	if strings.Join(names, "|") != "xsd:element name|CodeBook|Variables" {
		t.Errorf("codes %v", names)
	}
	// A codebook exported and read back keeps the tree.
	in := fixtureProject()
	var buf strings.Builder
	if err := WriteQDC(&buf, in); err != nil {
		t.Fatal(err)
	}
	out, err := ReadQDC("x.qdc", []byte(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	in.Documents, in.Codings, in.Memos, in.Users = nil, nil, nil, nil
	in.Project = coding.Project{}
	out.Project = coding.Project{}
	compareProjects(t, in, out)
	for _, bad := range []string{"", "<x/>", `<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>`, `<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes></Codes></CodeBook>`} {
		if _, err := ReadQDC("bad.qdc", []byte(bad)); err == nil || !strings.HasPrefix(coding.ErrorMessage(err), "bad.qdc") {
			t.Errorf("ReadQDC(%q) = %v, want an error naming the file", bad, err)
		}
	}
}
