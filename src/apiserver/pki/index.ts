// The PKI package's public surface: certificates for the API server and the admin kubeconfig.
export { ensurePki, defaultServingHosts, pkiPaths, ADMIN_USER, ADMIN_GROUPS, type Pki, type PkiOptions } from './ensure-pki.js';
export { createCa, createLeaf, certFacts, EKU, type KeyPairPem, type LeafSpec } from './certs.js';
export { renderKubeconfig, writeKubeconfig, serverUrl, type KubeconfigOptions } from './kubeconfig.js';
