package coding

import "testing"

func TestMemoKind(t *testing.T) {
	for _, c := range []struct {
		memo Memo
		want string
	}{
		{Memo{}, MemoProject},
		{Memo{DocumentID: "d"}, MemoDocument},
		{Memo{DocumentID: "d", Start: 0, End: 4}, MemoSpan},
		{Memo{DocumentID: "d", Start: 3, End: 4}, MemoSpan},
		{Memo{CodeID: "c"}, MemoCode},
		// A document memo that names a code too is about the document.
		{Memo{DocumentID: "d", CodeID: "c"}, MemoDocument},
	} {
		if got := c.memo.Kind(); got != c.want {
			t.Errorf("Kind(%+v) = %q, want %q", c.memo, got, c.want)
		}
	}
}
