// What the garbage collector learns from discovery (upstream GetDeletableResources + the RESTMapper
// it builds from discovery): which resources to watch — every preferred group version's resource that
// supports list, watch and delete, events excepted (upstream's ignoredResources) — and, for owner
// references, which resource and scope a kind in an apiVersion maps to.
import type { KubeClient } from '../../client/http-client.js';
import type { ResourceId } from '../../client/informer-factory.js';

export interface WatchedResource extends ResourceId {
  kind: string;
  namespaced: boolean;
}

export interface Mapping {
  resource: ResourceId;
  namespaced: boolean;
}

interface APIResourceList {
  resources?: Array<{ name: string; kind?: string; namespaced?: boolean; verbs?: string[] }>;
}
interface APIGroupList {
  groups?: Array<{ name: string; versions?: Array<{ version: string }>; preferredVersion?: { version?: string } }>;
}

/** upstream garbagecollector ignoredResources: events never own anything and churn a lot. */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);

export class RestMapper {
  /** `group/version/Kind` and `group//Kind` (any served version) → mapping. */
  private readonly byKind = new Map<string, Mapping>();

  add(group: string, version: string, kind: string, resource: string, namespaced: boolean, preferred: boolean): void {
    const m: Mapping = { resource: { group, version, resource }, namespaced };
    this.byKind.set(`${group}/${version}/${kind}`, m);
    if (preferred || !this.byKind.has(`${group}//${kind}`)) this.byKind.set(`${group}//${kind}`, m);
  }

  /** The resource to GET an owner through: its own version when served, else the group's preferred one. */
  map(apiVersion: string, kind: string): Mapping | undefined {
    const i = apiVersion.indexOf('/');
    const group = i < 0 ? '' : apiVersion.slice(0, i);
    const version = i < 0 ? apiVersion : apiVersion.slice(i + 1);
    return this.byKind.get(`${group}/${version}/${kind}`) ?? this.byKind.get(`${group}//${kind}`);
  }
}

export interface GCDiscovery {
  watched: WatchedResource[];
  mapper: RestMapper;
}

export function parseResourceList(group: string, version: string, list: APIResourceList): WatchedResource[] {
  const out: WatchedResource[] = [];
  for (const r of list.resources ?? []) {
    if (r.name.includes('/') || !r.kind) continue;
    out.push({ group, version, resource: r.name, kind: r.kind, namespaced: !!r.namespaced });
  }
  return out;
}

export function isCollectable(r: WatchedResource, verbs: string[]): boolean {
  if (IGNORED.has(`${r.group}/${r.resource}`)) return false;
  return ['list', 'watch', 'delete'].every((v) => verbs.includes(v));
}

/** Reads /api/v1 and every served version of every group in /apis. A failing group is skipped (retried on the next rediscovery). */
export async function discover(client: Pick<KubeClient, 'request'>): Promise<GCDiscovery> {
  const mapper = new RestMapper();
  const watched: WatchedResource[] = [];
  const read = async (group: string, version: string, preferred: boolean) => {
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    let list: APIResourceList;
    try {
      list = await client.request<APIResourceList>('GET', path);
    } catch {
      return;
    }
    const verbsOf = new Map((list.resources ?? []).map((r) => [r.name, r.verbs ?? []]));
    for (const r of parseResourceList(group, version, list)) {
      mapper.add(group, version, r.kind, r.resource, r.namespaced, preferred);
      if (preferred && isCollectable(r, verbsOf.get(r.resource) ?? [])) watched.push(r);
    }
  };
  const groups = await client.request<APIGroupList>('GET', '/apis');
  await Promise.all([
    read('', 'v1', true),
    ...(groups.groups ?? []).flatMap((g) => {
      const preferred = g.preferredVersion?.version ?? g.versions?.[0]?.version;
      return (g.versions ?? []).map((v) => read(g.name, v.version, v.version === preferred));
    }),
  ]);
  watched.sort((a, b) => `${a.group}/${a.resource}`.localeCompare(`${b.group}/${b.resource}`));
  return { watched, mapper };
}
