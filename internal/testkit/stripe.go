package testkit

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// StripeKey is the secret key tests present to stripe-mock, which accepts any sk_test_ key.
const StripeKey = "sk_test_solidarity"

var stripeMock struct {
	once sync.Once
	url  string
	err  error
}

// StripeMock returns the address of a running stripe-mock (Stripe's own mock of its API):
// SOLIDARITY_TEST_STRIPE when set (CI starts one on 127.0.0.1:12111), otherwise one that
// this test binary starts from the stripe-mock command on PATH or in $GOPATH/bin, shared by
// every test of the binary and killed with it. A missing stripe-mock skips the test, or
// fails it when SOLIDARITY_TEST_REQUIRE lists stripe.
func StripeMock(t testing.TB) string {
	t.Helper()
	stripeMock.once.Do(func() { stripeMock.url, stripeMock.err = startStripeMock() })
	if stripeMock.err != nil {
		SkipOrFail(t, "stripe", stripeMock.err.Error())
	}
	return stripeMock.url
}

func startStripeMock() (string, error) {
	if u := os.Getenv("SOLIDARITY_TEST_STRIPE"); u != "" {
		if err := waitStripe(u, 5*time.Second); err != nil {
			return "", fmt.Errorf("SOLIDARITY_TEST_STRIPE=%s does not answer: %w", u, err)
		}
		return u, nil
	}
	bin, err := exec.LookPath("stripe-mock")
	if err != nil {
		gopath := os.Getenv("GOPATH")
		if gopath == "" {
			home, _ := os.UserHomeDir()
			gopath = filepath.Join(home, "go")
		}
		bin = filepath.Join(gopath, "bin", "stripe-mock")
		if _, err := os.Stat(bin); err != nil {
			return "", fmt.Errorf("no stripe-mock command (go install github.com/stripe/stripe-mock@v0.203.0)")
		}
	}
	httpPort, err := freePort()
	if err != nil {
		return "", err
	}
	httpsPort, err := freePort()
	if err != nil {
		return "", err
	}
	cmd := exec.Command(bin, "-http-port", fmt.Sprint(httpPort), "-https-port", fmt.Sprint(httpsPort))
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // dies with the test binary
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("start stripe-mock: %w", err)
	}
	u := fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	if err := waitStripe(u, 20*time.Second); err != nil {
		_ = cmd.Process.Kill()
		return "", fmt.Errorf("stripe-mock did not start: %w", err)
	}
	return u, nil
}

// waitStripe waits until stripe-mock at u answers an authenticated list call.
func waitStripe(u string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		req, _ := http.NewRequest(http.MethodGet, u+"/v1/customers", nil)
		req.Header.Set("Authorization", "Bearer "+StripeKey)
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", res.StatusCode)
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
