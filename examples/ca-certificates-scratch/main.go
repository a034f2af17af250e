// Command certs reports how many CA certificates the system pool holds,
// which is what a TLS client would trust.
package main

import (
	"crypto/x509"
	"fmt"
	"os"
)

func main() {
	pool, err := x509.SystemCertPool()
	if err != nil {
		fmt.Println("no system certificates:", err)
		os.Exit(1)
	}
	if len(pool.Subjects()) == 0 {
		fmt.Println("no CA certificates found: TLS connections would fail")
		os.Exit(1)
	}
	fmt.Println("CA certificates found: TLS connections can be verified")
}
