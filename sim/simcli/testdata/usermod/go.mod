module example.com/usermod

go 1.26

require github.com/muxsim/muxsim v0.0.0

replace github.com/muxsim/muxsim => ../../../..
