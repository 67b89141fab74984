package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// writeSelfSigned writes a certificate and key for 127.0.0.1.
func writeSelfSigned(t testing.TB, dir string) (cert, key string) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "concord test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(priv)
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return cert, key
}

// Over TLS, without the demo: the admin's one-time password is printed
// once, works, and the session cookie is Secure.
func TestTLSAndNoDemoAdmin(t *testing.T) {
	t.Parallel()
	cert, key := writeSelfSigned(t, t.TempDir())
	ts := startServer(t, "--no-demo", "--tls-cert", cert, "--tls-key", key)
	ts.URL = strings.Replace(ts.URL, "http://", "https://", 1)
	out := ts.Out.String()
	m := regexp.MustCompile(`admin with the one-time password (\S+)`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "https://") {
		t.Fatalf("start-up message:\n%s", out)
	}
	c := &apiClient{t: t, base: ts.URL, http: &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}}
	req, _ := http.NewRequest("POST", ts.URL+"/api/login", strings.NewReader(`{"login":"admin","password":"`+m[1]+`"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("admin sign-in over TLS: %d", resp.StatusCode)
	}
	ck := resp.Cookies()
	if len(ck) != 1 || !ck[0].Secure || !ck[0].HttpOnly || ck[0].SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %+v: want Secure, HttpOnly, SameSite=Lax", ck)
	}
	if ps, _ := ts.Store.Projects(); len(ps) != 0 {
		t.Fatalf("--no-demo loaded %d projects", len(ps))
	}
	// Plain HTTP to the TLS port is not served.
	if resp, err := http.Get(strings.Replace(ts.URL, "https://", "http://", 1) + "/api/health"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Fatal("plain HTTP answered on the TLS port")
		}
	}
}

// Behind a TLS-terminating proxy (--public-url https://…) the server
// listens on plain HTTP, but its session cookie is Secure, it asks for
// HTTPS (HSTS), names the public URL at start-up, and takes the public
// URL as an Origin.
func TestPublicHTTPSURLMakesCookiesSecure(t *testing.T) {
	t.Parallel()
	const public = "https://coding.example.org"
	ts := startServer(t, "--no-demo", "--public-url", public)
	out := ts.Out.String()
	m := regexp.MustCompile(`admin with the one-time password (\S+)`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "running at "+public) {
		t.Fatalf("start-up message:\n%s", out)
	}
	req, _ := http.NewRequest("POST", ts.URL+"/api/login", strings.NewReader(`{"login":"admin","password":"`+m[1]+`"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", public)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sign-in with the public URL as Origin: %d", resp.StatusCode)
	}
	ck := resp.Cookies()
	if len(ck) != 1 || !ck[0].Secure || !ck[0].HttpOnly || ck[0].SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %+v: want Secure, HttpOnly, SameSite=Lax", ck)
	}
	if h := resp.Header.Get("Strict-Transport-Security"); !strings.Contains(h, "max-age=") {
		t.Errorf("Strict-Transport-Security = %q", h)
	}
}
