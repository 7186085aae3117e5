module github.com/muxsim/muxsim

go 1.26

require go.uber.org/goleak v1.3.0

require (
	github.com/zeebo/errs v1.4.0
	golang.org/x/net v0.58.0
	golang.org/x/tools v0.49.0
	google.golang.org/protobuf v1.36.12
	pgregory.net/rapid v1.3.0
)

require (
	golang.org/x/mod v0.39.0 // indirect
	golang.org/x/sync v0.22.0 // indirect
)
