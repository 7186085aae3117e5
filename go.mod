module muxsim

go 1.26
