// Loads the built-in OpenAPI definitions once per process: the JSON generated at build time
// (scripts/gen-openapi.ts → dist/src/api/openapi/definitions.json) when present, otherwise generated
// in-process from kubernetes-types (a checkout built with a bare `tsc`). Patch/list markers are applied
// on load, and a few definitions kubernetes-types lacks are added.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Definitions, GVKExtension, Schema } from './types.js';
import { applyPatchAnnotations } from './patch-annotations.js';
import { generateDefinitions } from './generate.js';

let cached: Definitions | undefined;
let byGVK: Map<string, string> | undefined;

export function definitions(): Definitions {
  if (cached) return cached;
  const file = fileURLToPath(new URL('./definitions.json', import.meta.url));
  const defs: Definitions = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Definitions)
    : generateDefinitions();
  addMissing(defs);
  applyPatchAnnotations(defs);
  cached = defs;
  return defs;
}

export function gvkKey(g: GVKExtension): string {
  return `${g.group}/${g.version}/${g.kind}`;
}

/** Definition name of a top-level kind, e.g. ('apps','v1','Deployment') → io.k8s.api.apps.v1.Deployment. */
export function definitionNameFor(group: string, version: string, kind: string): string | undefined {
  if (!byGVK) {
    byGVK = new Map();
    for (const [name, s] of Object.entries(definitions())) {
      for (const g of s['x-kubernetes-group-version-kind'] ?? []) byGVK.set(gvkKey(g), name);
    }
  }
  return byGVK.get(`${group}/${version}/${kind}`);
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

/** Upstream definitions that kubernetes-types does not carry but documents reference. */
function addMissing(defs: Definitions): void {
  const add = (name: string, s: Schema): void => {
    if (!defs[name]) defs[name] = s;
  };
  add(META + 'Patch', {
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    type: 'object',
  });
  add(META + 'WatchEvent', {
    description: 'Event represents a single event to a watched resource.',
    type: 'object',
    required: ['type', 'object'],
    properties: {
      object: { $ref: '#/definitions/io.k8s.apimachinery.pkg.runtime.RawExtension' },
      type: { type: 'string' },
    },
  });
}
