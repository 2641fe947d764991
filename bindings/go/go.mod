module example.invalid/zego-token/bindings/go

go 1.22
