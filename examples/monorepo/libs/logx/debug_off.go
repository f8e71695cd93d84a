//go:build !gobdebug

package logx

// Debug is true in binaries built with -tags gobdebug: they log at debug
// level with source positions.
const Debug = false
