// Server certificates for the HTTPS listener, chosen per connection by SNI. Each handled Ingress's
// spec.tls entry maps its hosts (exact, or `*.foo.com` wildcards covering one label) to a Secret in
// the Ingress's namespace holding `tls.crt` / `tls.key`; a tls entry without hosts covers the hosts of
// that Ingress's rules. On a conflict the older Ingress wins (the caller passes them oldest first).
// Clients without SNI, hosts without a matching entry, and missing or unparsable Secrets get the
// controller's self-signed default certificate, as with ingress-nginx's "Fake Certificate".
import tls from 'node:tls';
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { Ingress } from 'kubernetes-types/networking/v1.js';
import { createCa, createLeaf, type KeyPairPem } from '../apiserver/pki/index.js';
import { normalizeHost } from './route-table.js';

/** Generates the default certificate: a throwaway CA and a leaf for `ingress.local`. */
export async function selfSignedDefault(): Promise<KeyPairPem> {
  const ca = await createCa('Skiff Ingress Controller Fake CA', 3650);
  return createLeaf(ca, { commonName: 'Skiff Ingress Controller Fake Certificate', hosts: ['ingress.local'], usage: 'server', validDays: 3650 });
}

export class CertificateStore {
  /** host (or `*.suffix`) → context, rebuilt by update(). */
  private byHost = new Map<string, tls.SecureContext>();
  /** Parsed Secrets by `ns/name@resourceVersion`, so a rebuild does not re-parse unchanged keys. */
  private cache = new Map<string, tls.SecureContext>();
  readonly defaultContext: tls.SecureContext;

  constructor(readonly defaultCert: KeyPairPem, private readonly log: (msg: string) => void = () => {}) {
    this.defaultContext = tls.createSecureContext(defaultCert);
  }

  /** Recomputes the host → certificate map from handled Ingresses (oldest first) and a Secret lookup. */
  update(ingresses: readonly Ingress[], getSecret: (key: string) => Secret | undefined): void {
    const byHost = new Map<string, tls.SecureContext>();
    const used = new Map<string, tls.SecureContext>();
    for (const ing of ingresses) {
      const ns = ing.metadata?.namespace ?? 'default';
      for (const t of ing.spec?.tls ?? []) {
        if (!t.secretName) continue;
        const key = `${ns}/${t.secretName}`;
        const ctx = this.contextFor(key, getSecret(key), used);
        if (!ctx) continue;
        const hosts = t.hosts?.length ? t.hosts : (ing.spec?.rules ?? []).flatMap((r) => (r.host ? [r.host] : []));
        for (const h of hosts) {
          const host = h.toLowerCase();
          if (!byHost.has(host)) byHost.set(host, ctx);
        }
      }
    }
    this.byHost = byHost;
    this.cache = used;
  }

  private contextFor(key: string, secret: Secret | undefined, used: Map<string, tls.SecureContext>): tls.SecureContext | undefined {
    if (!secret) {
      this.log(`ingress: TLS secret ${key} not found; default certificate used`);
      return undefined;
    }
    const cacheKey = `${key}@${secret.metadata?.resourceVersion ?? ''}`;
    let ctx = used.get(cacheKey) ?? this.cache.get(cacheKey);
    if (!ctx) {
      const cert = secret.data?.['tls.crt'];
      const keyPem = secret.data?.['tls.key'];
      if (!cert || !keyPem) {
        this.log(`ingress: secret ${key} has no tls.crt/tls.key; default certificate used`);
        return undefined;
      }
      try {
        ctx = tls.createSecureContext({ cert: Buffer.from(cert, 'base64'), key: Buffer.from(keyPem, 'base64') });
      } catch (e) {
        this.log(`ingress: secret ${key}: ${(e as Error).message}; default certificate used`);
        return undefined;
      }
    }
    used.set(cacheKey, ctx);
    return ctx;
  }

  /** The context for an SNI server name: exact host, then the one-label wildcard, then the default. */
  select(servername: string | undefined): tls.SecureContext {
    if (!servername) return this.defaultContext;
    const h = normalizeHost(servername);
    const exact = this.byHost.get(h);
    if (exact) return exact;
    const dot = h.indexOf('.');
    return (dot > 0 && this.byHost.get('*' + h.slice(dot))) || this.defaultContext;
  }
}
