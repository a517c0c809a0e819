// Creates (first start) or reuses (later starts) the cluster's certificates under <data-dir>/tls/:
// the CA, the API server's serving certificate and the admin client certificate. Reuse is the normal
// case; a leaf is reissued only when it is missing, was not signed by the current CA, expires within
// 30 days, or (serving certificate) lacks a host name the server now answers on, e.g. after
// `--bind-address` changed. The CA is never replaced while its files exist, so kubeconfigs handed out
// earlier keep working.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { certFacts, createCa, createLeaf, type KeyPairPem, type LeafSpec } from './certs.js';
import { readIfExists, writeFileAtomic } from './files.js';

export interface Pki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
}

export interface PkiOptions {
  /** Extra names/addresses for the serving certificate (e.g. the bind address). */
  hosts: string[];
}

const CA_DAYS = 3650;
const LEAF_DAYS = 365;
const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;

/** Upstream's admin identity: a member of system:masters (cluster-admin once RBAC exists). */
export const ADMIN_USER = 'system:admin';
export const ADMIN_GROUPS = ['system:masters'];

/**
 * Names the serving certificate always carries: loopback, this host, the in-cluster Service names of
 * the API server and the first address of the default service CIDR (10.43.0.0/16, k3s's choice), which
 * the `kubernetes` Service will use.
 */
export function defaultServingHosts(): string[] {
  return [
    'localhost',
    '127.0.0.1',
    '::1',
    hostname(),
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
    '10.43.0.1',
  ];
}

/** Paths of the PEM files inside <data-dir>/tls/. */
export function pkiPaths(dataDir: string) {
  const dir = join(dataDir, 'tls');
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    adminCert: join(dir, 'admin.crt'),
    adminKey: join(dir, 'admin.key'),
  };
}

function load(certPath: string, keyPath: string): KeyPairPem | undefined {
  const cert = readIfExists(certPath);
  const key = readIfExists(keyPath);
  return cert && key ? { cert, key } : undefined;
}

function save(pair: KeyPairPem, certPath: string, keyPath: string): void {
  writeFileAtomic(keyPath, pair.key, 0o600);
  writeFileAtomic(certPath, pair.cert, 0o644);
}

async function needsReissue(pair: KeyPairPem | undefined, ca: KeyPairPem, hosts: string[]): Promise<boolean> {
  if (!pair) return true;
  try {
    const facts = await certFacts(pair.cert, ca.cert);
    if (!facts.issuerMatches) return true;
    if (facts.notAfter.getTime() - Date.now() < RENEW_BEFORE_MS) return true;
    const have = new Set(facts.hosts);
    return hosts.some((h) => !have.has(h));
  } catch {
    return true; // unreadable → replace
  }
}

async function ensureLeaf(ca: KeyPairPem, certPath: string, keyPath: string, spec: LeafSpec): Promise<KeyPairPem> {
  const existing = load(certPath, keyPath);
  if (!(await needsReissue(existing, ca, spec.hosts ?? []))) return existing!;
  const pair = await createLeaf(ca, spec);
  save(pair, certPath, keyPath);
  return pair;
}

export async function ensurePki(dataDir: string, opts: PkiOptions): Promise<Pki> {
  const p = pkiPaths(dataDir);
  let ca = load(p.caCert, p.caKey);
  if (!ca) {
    ca = await createCa('skiff-ca', CA_DAYS);
    save(ca, p.caCert, p.caKey);
  }
  // Wildcard bind addresses are not names a client can use; they mean "every interface", which the
  // caller expands into concrete addresses.
  const hosts = [...new Set([...defaultServingHosts(), ...opts.hosts.filter((h) => h !== '0.0.0.0' && h !== '::' && h !== '')])];
  const server = await ensureLeaf(ca, p.serverCert, p.serverKey, {
    commonName: 'kube-apiserver',
    hosts,
    usage: 'server',
    validDays: LEAF_DAYS,
  });
  const admin = await ensureLeaf(ca, p.adminCert, p.adminKey, {
    commonName: ADMIN_USER,
    organizations: ADMIN_GROUPS,
    usage: 'client',
    validDays: LEAF_DAYS,
  });
  return {
    caCert: ca.cert,
    caKey: ca.key,
    serverCert: server.cert,
    serverKey: server.key,
    adminCert: admin.cert,
    adminKey: admin.key,
  };
}
