// The OpenAPI documents served at /openapi/v2 and /openapi/v3, built from the registry once and cached
// (kubectl fetches them on every apply/explain). Rebuilt only when the set of registered types changes
// (e.g. a CRD is added). v3 documents are addressed by a content hash (sha512, upper-case hex like
// upstream) so that kubectl's disk cache invalidates when a document changes.
import { createHash } from 'node:crypto';
import type { Registry } from '../registry.js';
import type { ResourceType } from '../resource-type.js';
import type { Definitions, Schema } from './types.js';
import { definitionNameFor, definitions } from './definitions.js';
import { buildV2, buildV3 } from './documents.js';
import { encodeV2 } from './proto-v2.js';
import type { PathItem } from './operations.js';
import { discoveryPath, groupCamel, groupTag, gvOperationPrefix, pathsFor } from './operations.js';

export interface OpenAPIService {
  /** The swagger 2.0 document (JSON). */
  v2(): string;
  /**
   * The same document as gnostic protobuf, for `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`
   * (kubectl ≤ 1.28 explain fails on JSON there). Serve as `application/octet-stream` (PROTOBUF_V2_CONTENT_TYPE).
   */
  v2Protobuf(): Buffer;
  /** `{"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=…"},…}}` */
  v3Index(): unknown;
  /** The OpenAPI 3.0 document of 'api/v1', 'apis/apps/v1', 'api', 'apis', 'apis/apps', 'version'. */
  v3(gvPath: string): { json: string; hash: string } | undefined;
}

export interface OpenAPIOptions {
  /** info.version of the documents (the server's gitVersion). */
  version?: string;
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

interface Built {
  signature: string;
  v3: Map<string, { json: string; hash: string }>;
  index: unknown;
  v2?: string;
  v2pb?: Buffer;
  items: PathItem[];
  defs: Definitions;
}

function signatureOf(registry: Registry): string {
  return registry
    .all()
    .map((rt) => `${rt.group}/${rt.version}/${rt.plural}/${rt.kind}/${rt.namespaced}/${rt.verbs.join(',')}/${rt.subresources.map((s) => s.name).join(',')}`)
    .join('\n');
}

function hashOf(json: string): string {
  return createHash('sha512').update(json).digest('hex').toUpperCase();
}

/** Upstream's naming for types without a built-in schema (CRDs): reversed group, version, kind. */
function syntheticName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

/** Definition names of a type's kind and list kind, adding permissive schemas where Skiff has none. */
function namesFor(rt: ResourceType, defs: Definitions): { kind: string; list: string; sub(name: string): string | undefined } {
  const gvk = (kind: string) => [{ group: rt.group, version: rt.version, kind }];
  let kind = definitionNameFor(rt.group, rt.version, rt.kind);
  if (!kind) {
    kind = syntheticName(rt.group, rt.version, rt.kind);
    defs[kind] = {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { $ref: `#/definitions/${META}ObjectMeta` },
      },
      'x-kubernetes-preserve-unknown-fields': true,
      'x-kubernetes-group-version-kind': gvk(rt.kind),
    } satisfies Schema;
  }
  let list = definitionNameFor(rt.group, rt.version, rt.listKind);
  if (!list) {
    list = syntheticName(rt.group, rt.version, rt.listKind);
    defs[list] = {
      type: 'object',
      required: ['items'],
      properties: {
        apiVersion: { type: 'string' },
        items: { type: 'array', items: { $ref: `#/definitions/${kind}` } },
        kind: { type: 'string' },
        metadata: { $ref: `#/definitions/${META}ListMeta` },
      },
      'x-kubernetes-group-version-kind': gvk(rt.listKind),
    };
  }
  const kindName = kind;
  return {
    kind: kindName,
    list,
    sub(name: string) {
      const s = rt.subresources.find((x) => x.name === name);
      if (!s) return undefined;
      if (s.kind.group === rt.group && s.kind.version === rt.version && s.kind.kind === rt.kind) return kindName;
      return definitionNameFor(s.kind.group, s.kind.version, s.kind.kind);
    },
  };
}

function build(registry: Registry, version: string, signature: string): Built {
  const defs: Definitions = { ...definitions() };
  const docs = new Map<string, PathItem[]>();
  const items: PathItem[] = [];
  const add = (key: string, ps: PathItem[]): void => {
    docs.set(key, [...(docs.get(key) ?? []), ...ps]);
    items.push(...ps);
  };
  add('api', [discoveryPath('/api/', 'getCoreAPIVersions', 'core', `${META}APIVersions`)]);
  add('apis', [discoveryPath('/apis/', 'getAPIVersions', 'apis', `${META}APIGroupList`)]);
  add('version', [discoveryPath('/version/', 'getCodeVersion', 'version', 'io.k8s.apimachinery.pkg.version.Info')]);
  for (const [group, versions] of registry.groups()) {
    if (group) {
      const camel = groupCamel(group);
      add(`apis/${group}`, [discoveryPath(`/apis/${group}/`, `get${camel}APIGroup`, camel[0].toLowerCase() + camel.slice(1), `${META}APIGroup`)]);
    }
    for (const v of versions) {
      const base = group ? `apis/${group}/${v}` : `api/${v}`;
      const ps: PathItem[] = [discoveryPath(`/${base}/`, `get${gvOperationPrefix(group, v)}APIResources`, groupTag(group, v), `${META}APIResourceList`)];
      for (const rt of registry.inGroupVersion(group, v)) ps.push(...pathsFor(rt, namesFor(rt, defs)));
      add(base, ps);
    }
  }
  const v3 = new Map<string, { json: string; hash: string }>();
  const indexPaths: Record<string, { serverRelativeURL: string }> = {};
  for (const key of [...docs.keys()].sort()) {
    const json = JSON.stringify(buildV3(docs.get(key) ?? [], defs, version));
    const hash = hashOf(json);
    v3.set(key, { json, hash });
    indexPaths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { signature, v3, index: { paths: indexPaths }, items, defs };
}

export function createOpenAPIService(registry: Registry, opts: OpenAPIOptions = {}): OpenAPIService {
  const version = opts.version ?? 'v1.31.0';
  let built: Built | undefined;
  const current = (): Built => {
    const signature = signatureOf(registry);
    if (!built || built.signature !== signature) built = build(registry, version, signature);
    return built;
  };
  return {
    v2() {
      const b = current();
      b.v2 ??= JSON.stringify(buildV2(b.items, b.defs, version));
      return b.v2;
    },
    v2Protobuf() {
      const b = current();
      b.v2pb ??= encodeV2(JSON.parse(this.v2()) as Parameters<typeof encodeV2>[0]);
      return b.v2pb;
    },
    v3Index() {
      return current().index;
    },
    v3(gvPath: string) {
      return current().v3.get(gvPath.replace(/^\/+|\/+$/g, '').replace(/^openapi\/v3\//, ''));
    },
  };
}
