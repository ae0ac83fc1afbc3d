module example.com/auth-gateway

go 1.23

require (
	github.com/coreos/go-oidc/v3 v3.11.0
	go.opentelemetry.io/otel v1.32.0
)
