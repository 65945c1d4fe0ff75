// Package kubernetes holds kopi's Kubernetes manifests (a kustomize base
// for the CronJob running `kopi once`, another for the Deployment running
// `kopi run`, and one overlay per office) and the test that decodes every
// manifest strictly into the k8s.io/api types, renders each overlay and
// checks the invariants an office relies on. It has no code of its own.
package kubernetes
