// Command cacheorder prints a greeting made by the greet package.
package main

import (
	"fmt"

	"example.com/cacheorder/greet"
)

func main() {
	fmt.Println(greet.Line("cache"))
}
