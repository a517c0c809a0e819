// API discovery documents from the registry: aggregated discovery (apidiscovery.k8s.io v2 and
// v2beta1 APIGroupDiscoveryList, chosen by Accept) and the legacy /api, /apis, /apis/<g>,
// /api/v1 and /apis/<g>/<v> documents with subresources listed as `<resource>/<sub>` entries.
import type { Registry } from '../api/registry.js';
import type { ResourceType } from '../api/resource-type.js';

function sortedVerbs(v: readonly string[]): string[] {
  return [...v].sort();
}

function aggregatedResource(rt: ResourceType): Record<string, unknown> {
  const r: Record<string, unknown> = {
    resource: rt.plural,
    responseKind: { group: rt.group, version: rt.version, kind: rt.kind },
    scope: rt.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: rt.singular,
    verbs: sortedVerbs(rt.verbs),
  };
  if (rt.shortNames.length) r.shortNames = rt.shortNames;
  if (rt.categories.length) r.categories = rt.categories;
  if (rt.subresources.length) {
    r.subresources = rt.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.kind.group, version: s.kind.version, kind: s.kind.kind },
      verbs: sortedVerbs(s.verbs as string[]),
    }));
  }
  return r;
}

function groupItem(registry: Registry, group: string, versions: string[]): Record<string, unknown> {
  return {
    metadata: { name: group, creationTimestamp: null },
    versions: versions.map((v) => ({
      version: v,
      resources: registry.inGroupVersion(group, v).map(aggregatedResource),
      freshness: 'Current',
    })),
  };
}

/** Aggregated discovery for /api (core only) or /apis (every named group). */
export function aggregatedDiscovery(registry: Registry, core: boolean, version: 'v2' | 'v2beta1'): unknown {
  const items: unknown[] = [];
  for (const [group, versions] of registry.groups()) {
    if ((group === '') !== core) continue;
    items.push(groupItem(registry, group, versions));
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

export function apiVersions(serverAddress: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(group: string, versions: string[]): Record<string, unknown> {
  const vs = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupList(registry: Registry): unknown {
  const groups: unknown[] = [];
  for (const [group, versions] of registry.groups()) if (group !== '') groups.push(apiGroup(group, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiGroupDoc(registry: Registry, group: string): unknown | undefined {
  const versions = registry.groups().get(group);
  if (!versions || group === '') return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions) };
}

export function apiResourceList(registry: Registry, group: string, version: string): unknown | undefined {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0) return undefined;
  const resources: unknown[] = [];
  for (const rt of types) {
    const r: Record<string, unknown> = {
      name: rt.plural,
      singularName: rt.singular,
      namespaced: rt.namespaced,
      kind: rt.kind,
      verbs: sortedVerbs(rt.verbs),
    };
    if (rt.shortNames.length) r.shortNames = rt.shortNames;
    if (rt.categories.length) r.categories = rt.categories;
    resources.push(r);
    for (const s of rt.subresources) {
      const sr: Record<string, unknown> = { name: `${rt.plural}/${s.name}`, singularName: '', namespaced: rt.namespaced };
      if (s.kind.group !== rt.group || s.kind.version !== rt.version) {
        sr.group = s.kind.group;
        sr.version = s.kind.version;
      }
      sr.kind = s.kind.kind;
      sr.verbs = sortedVerbs(s.verbs as string[]);
      resources.push(sr);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}
