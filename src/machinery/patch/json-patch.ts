// JSON patch (RFC 6902, `application/json-patch+json`): add, remove, replace, move, copy and test on
// JSON pointers (RFC 6901: `~1` is `/`, `~0` is `~`, `-` appends to an array). Used by `kubectl patch
// --type=json` and `kubectl rollout undo`. The input document is never mutated: operations apply to a
// copy, so a failing operation leaves nothing half-applied. Messages follow evanphx/json-patch, which
// upstream's API server uses.
import { deepCopy, isPlainObject } from '../object.js';
import { PatchError, jsonEqual } from './patch-error.js';

type Container = Record<string, unknown> | unknown[];

/** Splits a JSON pointer into unescaped reference tokens; '' is the whole document. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError('InvalidPatch', `JSON pointer must be empty or start with a "/": ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(token: string, length: number, allowEnd: boolean): number | undefined {
  if (allowEnd && token === '-') return length;
  if (!/^\d+$/.test(token)) return undefined;
  const i = Number(token);
  return i <= (allowEnd ? length : length - 1) ? i : undefined;
}

/** The container holding the last token of `tokens`, or undefined when a step is missing. */
function parentOf(doc: unknown, tokens: string[]): Container | undefined {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const i = arrayIndex(t, cur.length, false);
      if (i === undefined) return undefined;
      cur = cur[i];
    } else if (isPlainObject(cur) && Object.prototype.hasOwnProperty.call(cur, t)) {
      cur = cur[t];
    } else {
      return undefined;
    }
  }
  return Array.isArray(cur) || isPlainObject(cur) ? cur : undefined;
}

function get(doc: unknown, tokens: string[]): { found: boolean; value?: unknown } {
  if (tokens.length === 0) return { found: true, value: doc };
  const parent = parentOf(doc, tokens);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    const i = arrayIndex(last, parent.length, false);
    return i === undefined ? { found: false } : { found: true, value: parent[i] };
  }
  if (parent && Object.prototype.hasOwnProperty.call(parent, last)) return { found: true, value: parent[last] };
  return { found: false };
}

interface Op {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
  hasValue: boolean;
}

function decodeOps(ops: unknown): Op[] {
  if (!Array.isArray(ops)) throw new PatchError('InvalidPatch', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  return ops.map((o) => {
    if (!isPlainObject(o)) throw new PatchError('InvalidPatch', 'json: cannot unmarshal non-object into Go value of type jsonpatch.Operation');
    const op = typeof o.op === 'string' ? o.op : '';
    if (typeof o.path !== 'string') throw new PatchError('InvalidPatch', `${op || 'unknown'} operation is missing a string "path"`);
    if (o.from !== undefined && typeof o.from !== 'string') throw new PatchError('InvalidPatch', `${op} operation has a non-string "from"`);
    const hasValue = Object.prototype.hasOwnProperty.call(o, 'value');
    return { op, path: o.path, from: o.from as string | undefined, value: o.value, hasValue };
  });
}

/** Returns the new document; `doc` is replaced wholesale when the pointer is ''. */
function add(doc: unknown, path: string, value: unknown): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const parent = parentOf(doc, tokens);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    const i = arrayIndex(last, parent.length, true);
    if (i === undefined) throw new PatchError('PathNotFound', `add operation does not apply: doc is missing path: "${path}": missing value`);
    parent.splice(i, 0, value);
  } else if (parent) {
    parent[last] = value;
  } else {
    throw new PatchError('PathNotFound', `add operation does not apply: doc is missing path: "${path}": missing value`);
  }
  return doc;
}

function remove(doc: unknown, path: string, opName = 'remove'): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) throw new PatchError('PathNotFound', `${opName} operation does not apply: cannot remove the whole document`);
  const parent = parentOf(doc, tokens);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    const i = arrayIndex(last, parent.length, false);
    if (i === undefined) throw new PatchError('PathNotFound', `${opName} operation does not apply: doc is missing path: "${path}": missing value`);
    parent.splice(i, 1);
  } else if (parent && Object.prototype.hasOwnProperty.call(parent, last)) {
    delete parent[last];
  } else {
    throw new PatchError('PathNotFound', `${opName} operation does not apply: doc is missing path: "${path}": missing value`);
  }
  return doc;
}

function requireValue(op: Op): unknown {
  if (!op.hasValue) throw new PatchError('InvalidPatch', `${op.op} operation does not apply: missing value`);
  return deepCopy(op.value);
}

/**
 * Applies RFC 6902 operations to a copy of `doc` and returns it. Throws PatchError: InvalidPatch (400)
 * for a malformed patch, PathNotFound / TestFailed (422) when an operation does not apply.
 */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  let out = deepCopy(doc);
  for (const op of decodeOps(ops)) {
    switch (op.op) {
      case 'add':
        out = add(out, op.path, requireValue(op));
        break;
      case 'remove':
        out = remove(out, op.path);
        break;
      case 'replace': {
        const value = requireValue(op);
        const tokens = parsePointer(op.path);
        if (tokens.length === 0) {
          out = value;
          break;
        }
        if (!get(out, tokens).found) throw new PatchError('PathNotFound', `replace operation does not apply: doc is missing key: ${op.path}: missing value`);
        out = remove(out, op.path, 'replace');
        out = add(out, op.path, value);
        break;
      }
      case 'move': {
        if (op.from === undefined) throw new PatchError('InvalidPatch', 'move operation does not apply: missing from');
        const src = get(out, parsePointer(op.from));
        if (!src.found) throw new PatchError('PathNotFound', `move operation does not apply: doc is missing from path: ${op.from}: missing value`);
        if (op.path !== op.from && op.path.startsWith(`${op.from}/`)) {
          throw new PatchError('InvalidPatch', `move operation does not apply: from ${op.from} is a prefix of path ${op.path}`);
        }
        out = remove(out, op.from, 'move');
        out = add(out, op.path, src.value);
        break;
      }
      case 'copy': {
        if (op.from === undefined) throw new PatchError('InvalidPatch', 'copy operation does not apply: missing from');
        const src = get(out, parsePointer(op.from));
        if (!src.found) throw new PatchError('PathNotFound', `copy operation does not apply: doc is missing from path: ${op.from}: missing value`);
        out = add(out, op.path, deepCopy(src.value));
        break;
      }
      case 'test': {
        const cur = get(out, parsePointer(op.path));
        const want = op.hasValue ? op.value : null;
        // A missing location only "equals" an explicit null, as evanphx/json-patch does.
        const ok = cur.found ? jsonEqual(cur.value, want) : want === null;
        if (!ok) throw new PatchError('TestFailed', `testing value ${op.path} failed: test failed`);
        break;
      }
      default:
        throw new PatchError('InvalidPatch', `Unexpected kind: ${op.op}`);
    }
  }
  return out;
}
