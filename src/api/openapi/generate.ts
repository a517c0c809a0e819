// Generates OpenAPI (swagger 2.0 style) definitions for every built-in type from the kubernetes-types
// package's .d.ts files, using the TypeScript compiler API (syntax only, no type checker: the files are
// plain interfaces, arrays, index signatures, literals and a handful of aliases). Names follow upstream
// (`io.k8s.api.core.v1.Pod`, `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`, …) so that kubectl
// explain and validation see the same shapes as against a real cluster. Patch/list annotations are not
// added here but at load time (patch-annotations.ts), so the generated JSON only depends on the types.
// `typescript` is a devDependency: it is required lazily so production code never loads it.
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, posix } from 'node:path';
import type * as TS from 'typescript';
import type { Definitions, Schema } from './types.js';
import { DEFINITIONS_REF_PREFIX } from './types.js';

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** Module path inside kubernetes-types (e.g. 'apps/v1', 'meta/v1', 'runtime') → definition prefix. */
export function definitionPrefix(module: string): string {
  if (module === 'meta/v1') return 'io.k8s.apimachinery.pkg.apis.meta.v1';
  if (module === 'runtime') return 'io.k8s.apimachinery.pkg.runtime';
  if (module === 'api/resource') return 'io.k8s.apimachinery.pkg.api.resource';
  if (module === 'version') return 'io.k8s.apimachinery.pkg.version';
  if (module.startsWith('apiextensions/')) {
    return `io.k8s.apiextensions-apiserver.pkg.apis.${module.replace('/', '.')}`;
  }
  return `io.k8s.api.${module.replace('/', '.')}`;
}

/** Fields upstream declares as int64 (the rest of the integers are int32; only `format` differs). */
const INT64_FIELDS = new Set([
  'generation', 'observedGeneration', 'deletionGracePeriodSeconds', 'terminationGracePeriodSeconds',
  'activeDeadlineSeconds', 'runAsUser', 'runAsGroup', 'fsGroup', 'supplementalGroups', 'revision',
  'expirationSeconds', 'startingDeadlineSeconds', 'sizeBytes', 'maxLength', 'maxItems', 'maxProperties',
  'minLength', 'minItems', 'minProperties',
]);
/** Fields that are float64 upstream (JSONSchemaProps bounds). */
const DOUBLE_FIELDS = new Set(['maximum', 'minimum', 'multipleOf']);
/** Empty interfaces that stand for arbitrary JSON: decoded without field checks upstream. */
const FREE_FORM: Record<string, Schema> = {
  'io.k8s.apimachinery.pkg.runtime.RawExtension': { type: 'object' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': { type: 'object' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Patch': { type: 'object' },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON': {},
};

function listDts(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.d.ts')) out.push(p);
    }
  };
  walk(root);
  return out;
}

function defaultTypesRoot(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('kubernetes-types/package.json'));
}

export function generateDefinitions(typesRoot: string = defaultTypesRoot()): Definitions {
  const require = createRequire(import.meta.url);
  const ts = require('typescript') as typeof TS;
  const defs: Definitions = {};
  defs[INT_OR_STRING] = {
    description:
      'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    type: 'string',
    format: 'int-or-string',
  };

  for (const file of listDts(typesRoot)) {
    const module = relative(typesRoot, file).split('\\').join('/').replace(/\.d\.ts$/, '');
    const prefix = definitionPrefix(module);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    // Local name → definition name, for imported and local declarations alike.
    const names = new Map<string, string>();
    for (const st of source.statements) {
      if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
        const target = posix.normalize(posix.join(posix.dirname(module), st.moduleSpecifier.text));
        const bindings = st.importClause?.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) {
          for (const el of bindings.elements) {
            names.set(el.name.text, `${definitionPrefix(target)}.${(el.propertyName ?? el.name).text}`);
          }
        }
      } else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
        names.set(st.name.text, `${prefix}.${st.name.text}`);
      }
    }

    const docOf = (node: TS.Node): string | undefined => {
      const parts: string[] = [];
      for (const d of ts.getJSDocCommentsAndTags(node)) {
        if (ts.isJSDoc(d) && d.comment !== undefined) {
          const text = ts.getTextOfJSDocComment(d.comment);
          if (text) parts.push(text);
        }
      }
      return parts.length ? parts.join('\n\n') : undefined;
    };

    const typeToSchema = (t: TS.TypeNode, field: string): Schema => {
      if (ts.isParenthesizedTypeNode(t)) return typeToSchema(t.type, field);
      switch (t.kind) {
        case ts.SyntaxKind.StringKeyword:
          return { type: 'string' };
        case ts.SyntaxKind.BooleanKeyword:
          return { type: 'boolean' };
        case ts.SyntaxKind.NumberKeyword:
          if (DOUBLE_FIELDS.has(field)) return { type: 'number', format: 'double' };
          return { type: 'integer', format: INT64_FIELDS.has(field) ? 'int64' : 'int32' };
      }
      if (ts.isLiteralTypeNode(t)) {
        if (ts.isStringLiteral(t.literal)) return { type: 'string' };
        if (ts.isNumericLiteral(t.literal)) return { type: 'integer' };
        return { type: 'boolean' };
      }
      if (ts.isArrayTypeNode(t)) return { type: 'array', items: typeToSchema(t.elementType, field) };
      if (ts.isUnionTypeNode(t)) {
        const kinds = new Set(t.types.map((u) => u.kind));
        if (kinds.has(ts.SyntaxKind.NumberKeyword) && kinds.has(ts.SyntaxKind.StringKeyword)) {
          return { $ref: DEFINITIONS_REF_PREFIX + INT_OR_STRING };
        }
        return {}; // e.g. JSONSchemaProps | boolean: any JSON
      }
      if (ts.isTypeLiteralNode(t)) {
        const index = t.members.find(ts.isIndexSignatureDeclaration);
        if (index) return { type: 'object', additionalProperties: typeToSchema(index.type, field) };
        return { type: 'object' };
      }
      if (ts.isTypeReferenceNode(t)) {
        const name = t.typeName.getText(source);
        if ((name === 'Array' || name === 'ReadonlyArray') && t.typeArguments?.length === 1) {
          return { type: 'array', items: typeToSchema(t.typeArguments[0], field) };
        }
        const def = names.get(name);
        if (!def) throw new Error(`${module}: unknown type ${name}`);
        return { $ref: DEFINITIONS_REF_PREFIX + def };
      }
      throw new Error(`${module}: unsupported type syntax ${ts.SyntaxKind[t.kind]} (${field})`);
    };

    for (const st of source.statements) {
      if (ts.isTypeAliasDeclaration(st)) {
        const name = `${prefix}.${st.name.text}`;
        const schema: Schema = { description: docOf(st) };
        if (st.type.kind === ts.SyntaxKind.StringKeyword) {
          schema.type = 'string';
          if (st.name.text === 'Time' || st.name.text === 'MicroTime') schema.format = 'date-time';
        }
        defs[name] = clean(schema);
      } else if (ts.isInterfaceDeclaration(st)) {
        const name = `${prefix}.${st.name.text}`;
        const schema: Schema = { description: docOf(st), type: 'object' };
        if (FREE_FORM[name]) {
          defs[name] = clean({ description: schema.description, ...FREE_FORM[name] });
          continue;
        }
        const properties: Record<string, Schema> = {};
        const required: string[] = [];
        let apiVersion: string | undefined;
        let kind: string | undefined;
        for (const m of st.members) {
          if (!ts.isPropertySignature(m) || !m.type) continue;
          const prop = ts.isStringLiteral(m.name) ? m.name.text : m.name.getText(source);
          if (ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal)) {
            if (prop === 'apiVersion') apiVersion = m.type.literal.text;
            if (prop === 'kind') kind = m.type.literal.text;
          }
          const ps = typeToSchema(m.type, prop);
          const description = docOf(m);
          properties[prop] = clean(ps.$ref ? { $ref: ps.$ref, description } : { description, ...ps });
          if (!m.questionToken) required.push(prop);
        }
        if (Object.keys(properties).length) schema.properties = properties;
        if (required.length) schema.required = required.sort();
        if (apiVersion && kind) {
          const slash = apiVersion.indexOf('/');
          const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
          const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
          schema['x-kubernetes-group-version-kind'] = [{ group, kind, version }];
        }
        defs[name] = clean(schema);
      }
    }
  }
  // Status is served by every group-version; upstream tags it with the core GVK.
  const status = defs['io.k8s.apimachinery.pkg.apis.meta.v1.Status'];
  if (status) status['x-kubernetes-group-version-kind'] = [{ group: '', kind: 'Status', version: 'v1' }];

  const sorted: Definitions = {};
  for (const k of Object.keys(defs).sort()) sorted[k] = defs[k];
  return sorted;
}

/** Drops undefined members so the JSON is stable and compact. */
function clean(s: Schema): Schema {
  for (const k of Object.keys(s) as (keyof Schema)[]) if (s[k] === undefined) delete s[k];
  return s;
}
