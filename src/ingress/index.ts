// Skiff's built-in Ingress controller (networking.k8s.io/v1): IngressClass `skiff`, controller
// `skiff.dev/ingress`, serving HTTP and HTTPS on the node and proxying to pod IPs directly.
export { startIngressController, type IngressOptions, type RunningIngress } from './controller.js';
export { INGRESS_CONTROLLER_NAME, DEFAULT_CLASS_NAME, DEFAULT_CLASS_ANNOTATION, LEGACY_CLASS_ANNOTATION, isHandledIngress, ingressClassFor } from './class.js';
export { buildRouteTable, route, type Backend, type RouteTable } from './route-table.js';
export { resolveEndpoints, RoundRobin, type Endpoint } from './endpoints.js';
export { CertificateStore, selfSignedDefault } from './tls.js';
