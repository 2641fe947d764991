module example.com/zego-token-client

go 1.19
