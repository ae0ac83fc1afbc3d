package main

import rego.v1

deny contains msg if {
	input.kind == "Deployment"
	input.spec.template.metadata.labels["sidecar.istio.io/inject"] != "true"
	msg := sprintf("%s must run in the Istio mesh", [input.metadata.name])
}

deny contains msg if {
	input.kind == "PeerAuthentication"
	input.spec.mtls.mode != "STRICT"
	msg := "PeerAuthentication must be STRICT"
}
