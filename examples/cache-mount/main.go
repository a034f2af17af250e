// Command hello greets whoever is named on its command line.
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	name := "world"
	if len(os.Args) > 1 {
		name = strings.Join(os.Args[1:], " ")
	}
	fmt.Printf("hello, %s, from a static Go binary\n", name)
}
