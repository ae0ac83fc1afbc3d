module example.com/search-service

go 1.23

require github.com/opensearch-project/opensearch-go/v4 v4.3.0
