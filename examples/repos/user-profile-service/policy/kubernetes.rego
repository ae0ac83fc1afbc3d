package main

import rego.v1

deny contains msg if {
	input.kind == "Deployment"
	some c in input.spec.template.spec.containers
	not c.resources.requests.cpu
	msg := sprintf("container %s must request cpu", [c.name])
}

deny contains msg if {
	input.kind == "Deployment"
	input.spec.template.metadata.annotations["linkerd.io/inject"] != "enabled"
	msg := "workloads in identity must join the Linkerd mesh"
}
