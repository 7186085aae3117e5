module github.com/muxsim/muxsim/bench

go 1.26.0

replace github.com/muxsim/muxsim => ../

require (
	go.uber.org/goleak v1.3.0
	google.golang.org/grpc v1.85.0
	google.golang.org/protobuf v1.36.12
	github.com/muxsim/muxsim v0.0.0-00010101000000-000000000000
	storj.io/drpc v1.0.0
)

require (
	github.com/zeebo/errs v1.4.0 // indirect
	golang.org/x/net v0.60.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
	golang.org/x/text v0.42.0 // indirect
	google.golang.org/genproto/googleapis/rpc v0.0.0-20260817212433-ac3dfec99bb1 // indirect
)
