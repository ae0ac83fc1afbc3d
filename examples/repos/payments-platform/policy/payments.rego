package main

import rego.v1

workload_kinds := {"Deployment", "Rollout"}

deny contains msg if {
	input.kind in workload_kinds
	some c in input.spec.template.spec.containers
	not c.resources.limits.memory
	msg := sprintf("container %s must set limits.memory", [c.name])
}

deny contains msg if {
	input.kind in workload_kinds
	not input.spec.template.metadata.labels["cost-center"]
	msg := sprintf("%s needs a cost-center label for OpenCost", [input.metadata.name])
}

deny contains msg if {
	input.kind in workload_kinds
	some c in input.spec.template.spec.containers
	not contains(c.image, "@sha256:")
	c.image != "payments-platform"
	msg := sprintf("container %s must reference an image digest", [c.name])
}
