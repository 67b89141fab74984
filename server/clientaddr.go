package server

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientAddr is the address a request came from, for sign-in throttling.
// Behind a reverse proxy every request comes from the proxy, and one
// stranger's failed guesses would lock everyone out; so when the direct
// peer is a trusted proxy, the address is the last one in
// X-Forwarded-For that is not itself a trusted proxy. Without trusted
// proxies the header is ignored: anyone can write it.
func (s *Server) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if len(s.opts.TrustedProxies) == 0 || !s.trusted(host) {
		return host
	}
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(hops[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			hop := strings.TrimSpace(parts[j])
			if _, err := netip.ParseAddr(hop); err != nil {
				return host // a hop we cannot read: stop at the proxy
			}
			if !s.trusted(hop) {
				return hop
			}
			host = hop
		}
	}
	return host
}

func (s *Server) trusted(addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range s.opts.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
