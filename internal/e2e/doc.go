// Package e2e holds Solidarity's end-to-end tests: whole app nodes started through
// app.Open on each database dialect and driven over real HTTP, and in headless chromium
// through testkit's browser helper (keyboard use, axe-core accessibility checks, pages
// without JavaScript, small screens and zoom). It has no code outside its tests.
package e2e
