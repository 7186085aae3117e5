module muxsim

go 1.26

require go.uber.org/goleak v1.3.0

require (
	github.com/zeebo/errs v1.4.0
	google.golang.org/protobuf v1.36.12
)
