// Package core is everything Heyan knows about MIIT SMS verification (工信部短信核验):
// the knowledge base of the messages the site and the filing platforms show,
// detection of those messages in page text, who has to verify in each filing
// scenario, validators for what the user types, and the attempt tracker.
//
// The package is pure: it reads no clock, file, network or environment, and it
// compiles to WebAssembly for the browser extension. Time is always a
// parameter. It avoids encoding/json, fmt, regexp and reflection, which would
// add a third or more to the WebAssembly build. Its knowledge is data
// (core/data/*.txt), compiled by internal/gendata into Go values and the
// detector's tables (data_gen.go, detector_gen.go), so nothing is parsed
// when it starts.
package core

//go:generate go run ./internal/gendata
