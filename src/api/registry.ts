// The registry of served resource types. Resource definitions (api/resources/*.ts) register here;
// the API server, discovery and OpenAPI read from here. Lookups accept what kubectl users type
// (plural, singular, short names) for resolution helpers; REST routing uses group/version/plural.
import type { ResourceType } from './resource-type.js';

export class Registry {
  private readonly types: ResourceType[] = [];
  private readonly byGVR = new Map<string, ResourceType>();
  private readonly byGVK = new Map<string, ResourceType>();

  register(rt: ResourceType): void {
    const gvr = `${rt.group}/${rt.version}/${rt.plural}`;
    if (this.byGVR.has(gvr)) throw new Error(`resource ${gvr} registered twice`);
    this.types.push(rt);
    this.byGVR.set(gvr, rt);
    this.byGVK.set(`${rt.group}/${rt.version}/${rt.kind}`, rt);
  }

  all(): readonly ResourceType[] {
    return this.types;
  }

  get(group: string, version: string, plural: string): ResourceType | undefined {
    return this.byGVR.get(`${group}/${version}/${plural}`);
  }

  byKind(group: string, version: string, kind: string): ResourceType | undefined {
    return this.byGVK.get(`${group}/${version}/${kind}`);
  }

  /** Group → versions in preference order (first = preferred), in registration order. */
  groups(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const rt of this.types) {
      const versions = out.get(rt.group) ?? [];
      if (!versions.includes(rt.version)) versions.push(rt.version);
      out.set(rt.group, versions);
    }
    return out;
  }

  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.types.filter((rt) => rt.group === group && rt.version === version);
  }
}
