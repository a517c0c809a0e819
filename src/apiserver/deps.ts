// Late-bound modules written in parallel by other parts of Skiff (field selectors, patches, apply,
// OpenAPI, the watch cache). Loading them lazily keeps the server usable while one is missing or
// broken; each loader documents its fallback. Types are declared here as the server uses them.
import type { SchemaNode } from '../machinery/schema-node.js';
import type { KubeObject } from '../machinery/object.js';
import type { Storage } from '../storage/interface.js';
import type { Registry } from '../api/registry.js';
import { badRequest } from '../machinery/errors.js';

async function load<T>(path: string): Promise<T | undefined> {
  try {
    return (await import(path)) as T;
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}

export interface FieldRequirement {
  field: string;
  operator: string;
  value: string;
}
export interface FieldSelectorLike {
  requirements: FieldRequirement[];
  matches(fields: Record<string, string | undefined>): boolean;
}

export interface FieldsModule {
  parseFieldSelector(s: string): FieldSelectorLike;
}
export interface PatchModules {
  applyJsonPatch(doc: unknown, ops: unknown): unknown;
  applyMergePatch(doc: unknown, patch: unknown): unknown;
  applyStrategicMergePatch(original: unknown, patch: unknown, schema: SchemaNode | undefined): unknown;
}
export interface ApplyArgs {
  live: KubeObject | undefined;
  applied: KubeObject;
  manager: string;
  force: boolean;
  schema: SchemaNode | undefined;
  apiVersion: string;
  subresource?: string;
  now: Date;
  groupResource: { group: string; resource: string };
}
export interface ApplyModule {
  applyServerSide(args: ApplyArgs): KubeObject | { object: KubeObject };
  recordUpdate(args: {
    old: KubeObject | undefined;
    updated: KubeObject;
    manager: string;
    schema: SchemaNode | undefined;
    apiVersion: string;
    subresource?: string;
    now: Date;
  }): KubeObject | { object: KubeObject } | unknown;
  managerFromUserAgent(ua: string | undefined): string;
}
export interface OpenAPIModule {
  schemaFor(group: string, version: string, kind: string): SchemaNode | undefined;
  findUnknownFields(obj: unknown, schema: SchemaNode | undefined): string[];
  createOpenAPIService(registry: Registry): {
    v2(): string;
    v2Protobuf?(): Buffer;
    v3Index(): unknown;
    v3(gvPath: string): { json: string; hash: string } | undefined;
  };
}
export interface CacherModule {
  createCacher(inner: Storage, opts?: unknown): Storage & { ready(): Promise<void> };
}

function fallbackFieldSelector(s: string): FieldSelectorLike {
  const requirements: FieldRequirement[] = [];
  for (const part of s.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([^!=]+?)\s*(==|!=|=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${s}'; can't understand '${part}'`);
    requirements.push({ field: m[1]!, operator: m[2] === '!=' ? '!=' : '=', value: m[3]! });
  }
  return {
    requirements,
    matches: (fields) => requirements.every((r) => ((fields[r.field] ?? '') === r.value) === (r.operator !== '!=')),
  };
}

let fieldsP: Promise<FieldsModule> | undefined;
export function fieldsModule(): Promise<FieldsModule> {
  fieldsP ??= load<FieldsModule>('../machinery/fields.js').then((m) => m ?? { parseFieldSelector: fallbackFieldSelector });
  return fieldsP;
}

let patchP: Promise<Partial<PatchModules>> | undefined;
export function patchModules(): Promise<Partial<PatchModules>> {
  patchP ??= Promise.all([
    load<Pick<PatchModules, 'applyJsonPatch'>>('../machinery/patch/json-patch.js'),
    load<Pick<PatchModules, 'applyMergePatch'>>('../machinery/patch/merge-patch.js'),
    load<Pick<PatchModules, 'applyStrategicMergePatch'>>('../machinery/patch/strategic-merge-patch.js'),
  ]).then(([a, b, c]) => ({ ...(a ?? {}), ...(b ?? {}), ...(c ?? {}) }));
  return patchP;
}

let applyP: Promise<ApplyModule | undefined> | undefined;
export function applyModule(): Promise<ApplyModule | undefined> {
  applyP ??= load<ApplyModule>('../machinery/apply/index.js');
  return applyP;
}

let openapiP: Promise<OpenAPIModule | undefined> | undefined;
export function openapiModule(): Promise<OpenAPIModule | undefined> {
  openapiP ??= load<OpenAPIModule>('../api/openapi/index.js');
  return openapiP;
}

export function cacherModule(): Promise<CacherModule | undefined> {
  return load<CacherModule>('../storage/cacher/index.js');
}
