module example.com/cacheorder

go 1.19
