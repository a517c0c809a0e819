// Build step: generates the OpenAPI definitions of every built-in type from kubernetes-types and writes
// them to dist/src/api/openapi/definitions.json, where api/openapi/definitions.ts loads them at run
// time (falling back to generating in-process when the file is missing, e.g. after a bare `tsc`).
// Usage: node dist/scripts/gen-openapi.js [outFile]
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDefinitions } from '../src/api/openapi/generate.js';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? resolve(here, '../src/api/openapi/definitions.json'));
const started = Date.now();
const defs = generateDefinitions();
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(defs));
console.log(`gen-openapi: ${Object.keys(defs).length} definitions → ${out} (${Date.now() - started} ms)`);
