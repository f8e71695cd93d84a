module example.com/acme/services

go 1.26

require example.com/acme/libs v0.0.0

require github.com/google/uuid v1.6.0 // indirect

replace example.com/acme/libs => ../libs
