module example.com/acme/tools

go 1.26

require example.com/acme/libs v0.0.0

replace example.com/acme/libs => ../libs
