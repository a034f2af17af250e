// Package greet formats greetings; it changes far less often than main.go.
package greet

import "fmt"

// Line returns the greeting for name.
func Line(name string) string {
	return fmt.Sprintf("hello, %s", name)
}
