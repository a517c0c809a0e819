// Renders the OpenAPI documents kubectl downloads: one swagger 2.0 document for everything
// (/openapi/v2) and one OpenAPI 3.0 document per group-version (/openapi/v3/apis/<g>/<v>), plus the
// small discovery documents (api, apis, apis/<group>, version) upstream also lists in the v3 index.
// Each document carries only the schemas its paths reference, transitively.
import type { Definitions, Schema } from './types.js';
import { COMPONENTS_REF_PREFIX, DEFINITIONS_REF_PREFIX, refName } from './types.js';
import type { Operation, Param, PathItem } from './operations.js';
import { PATCH } from './operations.js';

const JSON_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];
const CODE_TEXT: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted' };
const INFO = (version: string): { title: string; version: string } => ({ title: 'Kubernetes', version });

/** Every definition reachable from `roots`, in name order. */
export function closure(roots: Iterable<string>, defs: Definitions): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  const visit = (s: unknown): void => {
    if (Array.isArray(s)) s.forEach(visit);
    else if (s && typeof s === 'object') {
      for (const [k, v] of Object.entries(s)) {
        if (k === '$ref' && typeof v === 'string') stack.push(refName(v));
        else if (typeof v === 'object') visit(v);
      }
    }
  };
  while (stack.length) {
    const name = stack.pop() as string;
    if (seen.has(name) || !defs[name]) continue;
    seen.add(name);
    visit(defs[name]);
  }
  return [...seen].sort();
}

/**
 * Types upstream describes with `oneOf` in v3 (kube-openapi's OpenAPIV3OneOfTypes) instead of v2's
 * `type: string`; kubectl explain then prints them by name (`<IntOrString>`, `map[string]Quantity`).
 */
const V3_ONE_OF: Record<string, Schema> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { oneOf: [{ type: 'string' }, { type: 'number' }] },
};

/** Rewrites refs for OpenAPI 3, wrapping a `$ref` that has siblings in `allOf` (as upstream does). */
function toV3(s: Schema): Schema {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$ref') continue;
    if (k === 'properties' && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v as Record<string, Schema>).map(([pk, pv]) => [pk, toV3(pv)]));
    } else if ((k === 'items' || k === 'additionalProperties') && v && typeof v === 'object') {
      out[k] = toV3(v as Schema);
    } else out[k] = v;
  }
  if (s.$ref) {
    const ref = COMPONENTS_REF_PREFIX + refName(s.$ref);
    if (Object.keys(out).length === 0) return { $ref: ref };
    return { allOf: [{ $ref: ref }], ...out } as Schema;
  }
  return out as Schema;
}

function v3Param(p: Param): Record<string, unknown> {
  const o: Record<string, unknown> = { name: p.name, in: p.in, description: p.description };
  if (p.required) o.required = true;
  o.schema = { type: p.type, uniqueItems: true };
  return o;
}

function v2Param(p: Param): Record<string, unknown> {
  const o: Record<string, unknown> = { name: p.name, in: p.in, description: p.description };
  if (p.required) o.required = true;
  o.type = p.type;
  o.uniqueItems = true;
  return o;
}

function v3Operation(op: Operation): Record<string, unknown> {
  const ref = (name: string): Schema => (name ? { $ref: COMPONENTS_REF_PREFIX + name } : { type: 'string' });
  const o: Record<string, unknown> = { description: op.description, operationId: op.operationId };
  if (op.params.length) o.parameters = op.params.map(v3Param);
  if (op.body) {
    const types = op.body === PATCH ? PATCH_TYPES : ['*/*'];
    o.requestBody = { content: Object.fromEntries(types.map((t) => [t, { schema: ref(op.body as string) }])), required: op.method !== 'delete' };
  }
  const responses: Record<string, unknown> = {};
  for (const [code, def] of Object.entries(op.responses)) {
    const types = def ? JSON_TYPES : ['*/*'];
    responses[code] = { description: CODE_TEXT[code] ?? 'OK', content: Object.fromEntries(types.map((t) => [t, { schema: ref(def) }])) };
  }
  responses['401'] = { description: 'Unauthorized' };
  o.responses = responses;
  o.tags = [op.tag];
  o['x-kubernetes-action'] = op.action;
  if (op.gvk) o['x-kubernetes-group-version-kind'] = op.gvk;
  return o;
}

function v2Operation(op: Operation): Record<string, unknown> {
  const ref = (name: string): Schema => (name ? { $ref: DEFINITIONS_REF_PREFIX + name } : { type: 'string' });
  const o: Record<string, unknown> = { description: op.description };
  o.consumes = op.body === PATCH ? PATCH_TYPES : ['*/*'];
  o.produces = Object.values(op.responses).some((d) => d) ? JSON_TYPES : ['*/*'];
  o.schemes = ['https'];
  o.tags = [op.tag];
  o.operationId = op.operationId;
  const params = op.params.map(v2Param);
  if (op.body) params.unshift({ name: 'body', in: 'body', required: op.method !== 'delete', schema: ref(op.body) });
  if (params.length) o.parameters = params;
  const responses: Record<string, unknown> = {};
  for (const [code, def] of Object.entries(op.responses)) responses[code] = { description: CODE_TEXT[code] ?? 'OK', schema: ref(def) };
  responses['401'] = { description: 'Unauthorized' };
  o.responses = responses;
  o['x-kubernetes-action'] = op.action;
  if (op.gvk) o['x-kubernetes-group-version-kind'] = op.gvk;
  return o;
}

function rootsOf(items: PathItem[]): Set<string> {
  const roots = new Set<string>();
  for (const it of items) {
    for (const op of it.ops) {
      if (op.body) roots.add(op.body);
      for (const d of Object.values(op.responses)) if (d) roots.add(d);
    }
  }
  return roots;
}

/** An OpenAPI 3.0 document for the given paths. */
export function buildV3(items: PathItem[], defs: Definitions, version: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const it of [...items].sort((a, b) => a.path.localeCompare(b.path))) {
    const p: Record<string, unknown> = {};
    for (const op of it.ops) p[op.method] = v3Operation(op);
    if (it.params.length) p.parameters = it.params.map(v3Param);
    paths[it.path] = p;
  }
  const schemas: Record<string, Schema> = {};
  for (const name of closure(rootsOf(items), defs)) schemas[name] = V3_ONE_OF[name] ? { ...V3_ONE_OF[name], description: defs[name].description } : toV3(defs[name]);
  return {
    openapi: '3.0.0',
    info: INFO(version),
    paths,
    components: {
      schemas,
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
    security: [{ BearerToken: [] }],
  };
}

/** The swagger 2.0 document for the given paths. */
export function buildV2(items: PathItem[], defs: Definitions, version: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const it of [...items].sort((a, b) => a.path.localeCompare(b.path))) {
    const p: Record<string, unknown> = {};
    for (const op of it.ops) p[op.method] = v2Operation(op);
    if (it.params.length) p.parameters = it.params.map(v2Param);
    paths[it.path] = p;
  }
  const definitions: Record<string, Schema> = {};
  for (const name of closure(rootsOf(items), defs)) definitions[name] = defs[name];
  return {
    swagger: '2.0',
    info: INFO(version),
    paths,
    definitions,
    securityDefinitions: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    security: [{ BearerToken: [] }],
  };
}
