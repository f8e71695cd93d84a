module gob.local/client

go 1.26
