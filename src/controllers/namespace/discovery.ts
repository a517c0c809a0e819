// Which namespaced resources a namespace can contain, from the API server's discovery documents
// (upstream's ServerPreferredNamespacedResources filtered to deletable ones): /api/v1, then the
// preferred version of every group in /apis. A group whose document fails is reported, not fatal —
// the deleter still empties what it could discover and records NamespaceDeletionDiscoveryFailure.
import type { KubeClient } from '../../client/http-client.js';

export interface NamespacedResource {
  group: string;
  version: string;
  resource: string;
  verbs: string[];
}

export interface DiscoveryResult {
  resources: NamespacedResource[];
  /** groupVersion (or `/apis`) → error message, for the condition's message. */
  failures: Map<string, string>;
}

interface APIResourceList {
  groupVersion?: string;
  resources?: Array<{ name: string; namespaced?: boolean; verbs?: string[] }>;
}
interface APIGroupList {
  groups?: Array<{ name: string; preferredVersion?: { groupVersion?: string; version?: string } }>;
}

export type DiscoveryClient = Pick<KubeClient, 'request'>;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The deletable namespaced resources of one group version (subresources like pods/status are skipped). */
export function deletableResources(group: string, version: string, list: APIResourceList): NamespacedResource[] {
  const out: NamespacedResource[] = [];
  for (const r of list.resources ?? []) {
    if (r.name.includes('/') || !r.namespaced) continue;
    const verbs = r.verbs ?? [];
    if (!verbs.includes('delete')) continue;
    out.push({ group, version, resource: r.name, verbs });
  }
  return out;
}

export async function discoverNamespacedResources(client: DiscoveryClient): Promise<DiscoveryResult> {
  const resources: NamespacedResource[] = [];
  const failures = new Map<string, string>();
  const fetchGV = async (group: string, version: string) => {
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    const gv = group ? `${group}/${version}` : version;
    try {
      resources.push(...deletableResources(group, version, await client.request<APIResourceList>('GET', path)));
    } catch (e) {
      failures.set(gv, message(e));
    }
  };
  await fetchGV('', 'v1');
  let groups: APIGroupList = {};
  try {
    groups = await client.request<APIGroupList>('GET', '/apis');
  } catch (e) {
    failures.set('/apis', message(e));
  }
  await Promise.all(
    (groups.groups ?? []).map((g) => {
      const v = g.preferredVersion?.version ?? g.preferredVersion?.groupVersion?.split('/')[1];
      return v ? fetchGV(g.name, v) : Promise.resolve();
    }),
  );
  // Deterministic order: core first, then groups by name (a stable condition message, stable logs).
  resources.sort((a, b) => (a.group === b.group ? a.resource.localeCompare(b.resource) : a.group === '' ? -1 : b.group === '' ? 1 : a.group.localeCompare(b.group)));
  return { resources, failures };
}
