// The routing decision of the ingress controller as pure data: buildRouteTable merges the rules of
// every handled Ingress into per-host path lists, and route() answers "which backend serves this
// host and path" the way ingress-nginx does. Hosts: an exact host beats a wildcard (`*.foo.com`
// matches exactly one extra label: `a.foo.com`, not `foo.com` nor `a.b.foo.com`), which beats the
// rules without a host; the request goes to the first group that matches and never falls through to
// a less specific one. Paths (upstream docs, "Examples" table): Exact compares the whole path;
// Prefix compares path elements split by `/` (`/foo` matches `/foo`, `/foo/`, `/foo/bar`, not
// `/foobar`; a trailing slash on either side is ignored); ImplementationSpecific is treated as
// Prefix. The longest matching path wins, Exact before Prefix on equal length, then the older
// Ingress (creationTimestamp, then namespace/name — ingress-nginx's conflict rule). When a host
// matches but no path does, that host's Ingress defaultBackend serves; otherwise the oldest
// spec.defaultBackend; otherwise nothing (404).
import type { HTTPIngressPath, Ingress, IngressBackend } from 'kubernetes-types/networking/v1.js';
import type { TypedLocalObjectReference } from 'kubernetes-types/core/v1.js';

export type Backend =
  | { kind: 'service'; namespace: string; service: string; port: { number?: number; name?: string }; ingress: string }
  | { kind: 'resource'; namespace: string; resource: TypedLocalObjectReference; ingress: string };

interface PathRule {
  type: 'Exact' | 'Prefix';
  /** Exact: the path as written. Prefix: without trailing slashes ('' for `/`). */
  path: string;
  backend: Backend;
}

interface HostRules {
  /** In precedence order: the first that matches wins. */
  paths: PathRule[];
  defaultBackend?: Backend;
}

export interface RouteTable {
  exact: Map<string, HostRules>;
  /** `*.foo.com` rules keyed by `foo.com`. */
  wildcard: Map<string, HostRules>;
  /** Rules without a host. */
  any?: HostRules;
  defaultBackend?: Backend;
}

const ingressKey = (ing: Ingress) => `${ing.metadata?.namespace ?? ''}/${ing.metadata?.name ?? ''}`;

function toBackend(b: IngressBackend, ing: Ingress): Backend | undefined {
  const namespace = ing.metadata?.namespace ?? 'default';
  const ingress = ingressKey(ing);
  if (b.service) {
    const port = b.service.port?.number !== undefined ? { number: b.service.port.number } : { name: b.service.port?.name };
    return { kind: 'service', namespace, service: b.service.name, port, ingress };
  }
  if (b.resource) return { kind: 'resource', namespace, resource: b.resource, ingress };
  return undefined;
}

/** Oldest first; ties by namespace/name, so the order (and thus conflict resolution) is stable. */
export function olderFirst(a: Ingress, b: Ingress): number {
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return ingressKey(a) < ingressKey(b) ? -1 : ingressKey(a) > ingressKey(b) ? 1 : 0;
}

function toPathRule(p: HTTPIngressPath, ing: Ingress): PathRule | undefined {
  const backend = toBackend(p.backend, ing);
  if (!backend) return undefined;
  const raw = p.path || '/';
  if (p.pathType === 'Exact') return { type: 'Exact', path: raw, backend };
  return { type: 'Prefix', path: raw.replace(/\/+$/, ''), backend };
}

/** Longer path first; Exact before Prefix on equal length; otherwise insertion (age) order. */
function precedence(a: PathRule, b: PathRule): number {
  if (a.path.length !== b.path.length) return b.path.length - a.path.length;
  if (a.type !== b.type) return a.type === 'Exact' ? -1 : 1;
  return 0;
}

export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end > 0 ? h.slice(0, end + 1) : h;
  }
  const colon = h.lastIndexOf(':');
  if (colon >= 0) h = h.slice(0, colon);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/** Merges the rules of the given (already class-filtered) Ingresses into a route table. */
export function buildRouteTable(ingresses: readonly Ingress[]): RouteTable {
  const table: RouteTable = { exact: new Map(), wildcard: new Map() };
  const groupFor = (host: string | undefined): HostRules => {
    const h = (host ?? '').toLowerCase();
    const [map, key] = !h ? [undefined, ''] : h.startsWith('*.') ? [table.wildcard, h.slice(2)] : [table.exact, h];
    if (!map) return (table.any ??= { paths: [] });
    let g = map.get(key);
    if (!g) map.set(key, (g = { paths: [] }));
    return g;
  };
  for (const ing of [...ingresses].sort(olderFirst)) {
    const def = ing.spec?.defaultBackend ? toBackend(ing.spec.defaultBackend, ing) : undefined;
    if (def) table.defaultBackend ??= def;
    for (const rule of ing.spec?.rules ?? []) {
      const g = groupFor(rule.host);
      if (def && rule.host) g.defaultBackend ??= def;
      for (const p of rule.http?.paths ?? []) {
        const pr = toPathRule(p, ing);
        if (pr) g.paths.push(pr);
      }
    }
  }
  const groups = [...table.exact.values(), ...table.wildcard.values(), ...(table.any ? [table.any] : [])];
  for (const g of groups) g.paths.sort(precedence); // Array.prototype.sort is stable: age order kept on ties
  return table;
}

function pathMatches(rule: PathRule, path: string): boolean {
  if (rule.type === 'Exact') return path === rule.path;
  // Element-wise prefix: `/foo` covers `/foo`, `/foo/` and `/foo/…` but not `/foobar`.
  return path === rule.path || path.startsWith(rule.path + '/');
}

/** The backend for a request's Host header (port allowed) and URL (query ignored), or undefined (404). */
export function route(table: RouteTable, host: string, url: string): Backend | undefined {
  const h = normalizeHost(host);
  let group = table.exact.get(h);
  if (!group) {
    const dot = h.indexOf('.');
    if (dot > 0) group = table.wildcard.get(h.slice(dot + 1));
  }
  group ??= table.any;
  const q = url.search(/[?#]/);
  const path = (q >= 0 ? url.slice(0, q) : url) || '/';
  if (group) {
    for (const r of group.paths) if (pathMatches(r, path)) return r.backend;
    if (group.defaultBackend) return group.defaultBackend;
  }
  return table.defaultBackend;
}
