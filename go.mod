module github.com/concordqda/concord

go 1.26.8
