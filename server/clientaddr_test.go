package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/concordqda/concord/coding"
	"golang.org/x/crypto/bcrypt"
)

func TestClientAddr(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8")}
	tests := []struct {
		name    string
		trusted []netip.Prefix
		remote  string
		xff     []string
		want    string
	}{
		{"no proxy trusted: the header is ignored", nil, "192.0.2.7:1234", []string{"203.0.113.9"}, "192.0.2.7"},
		{"an untrusted peer's header is ignored", proxies, "192.0.2.7:1234", []string{"203.0.113.9"}, "192.0.2.7"},
		{"a trusted proxy names the client", proxies, "127.0.0.1:5555", []string{"203.0.113.9"}, "203.0.113.9"},
		{"a forged first hop does not count", proxies, "127.0.0.1:5555", []string{"198.51.100.1, 203.0.113.9"}, "203.0.113.9"},
		{"a chain of trusted proxies", proxies, "127.0.0.1:5555", []string{"203.0.113.9, 10.1.2.3"}, "203.0.113.9"},
		{"several header lines", proxies, "127.0.0.1:5555", []string{"198.51.100.1", "203.0.113.9"}, "203.0.113.9"},
		{"a trusted proxy without the header", proxies, "127.0.0.1:5555", nil, "127.0.0.1"},
		{"an unreadable hop stops the walk", proxies, "127.0.0.1:5555", []string{"203.0.113.9, garbage"}, "127.0.0.1"},
		{"IPv6 client", proxies, "127.0.0.1:5555", []string{"2001:db8::1"}, "2001:db8::1"},
		{"IPv4-mapped proxy address", proxies, "[::ffff:127.0.0.1]:5555", []string{"203.0.113.9"}, "203.0.113.9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Server{opts: Options{TrustedProxies: tt.trusted}}
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := s.clientAddr(r); got != tt.want {
				t.Errorf("clientAddr = %q, want %q", got, tt.want)
			}
		})
	}
}

// Behind a trusted reverse proxy one client's failed sign-ins throttle
// that client, not everyone who comes through the proxy.
func TestSignInThrottlingBehindAProxy(t *testing.T) {
	t.Parallel()
	s, st := newTestServer(t, Options{BcryptCost: bcrypt.MinCost, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	s.limits.maxAddr = 4
	hash, err := HashPassword("bens-password", bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateUser(&coding.User{Login: "ben", Name: "Ben", PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	const proxy = "127.0.0.1:40000"
	for i := 0; i < s.limits.maxAddr; i++ {
		signIn(s, proxy, fmt.Sprintf("guess%02d", i), "guess-guess", "X-Forwarded-For", "203.0.113.9")
	}
	if w := signIn(s, proxy, "ben", "bens-password", "X-Forwarded-For", "203.0.113.9"); w.Code != http.StatusTooManyRequests {
		t.Fatalf("the guesser behind the proxy: %d %s, want 429", w.Code, w.Body)
	}
	if w := signIn(s, proxy, "ben", "bens-password", "X-Forwarded-For", "198.51.100.4"); w.Code != http.StatusOK {
		t.Fatalf("another client behind the same proxy: %d %s, want 200", w.Code, w.Body)
	}
}
