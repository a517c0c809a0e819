// Field selectors as upstream k8s.io/apimachinery/pkg/fields: `?fieldSelector=spec.nodeName=n1,status.phase!=Running`.
// Only `=`, `==` and `!=` exist; terms are comma-separated and values may escape `\`, `,` and `=` with a
// backslash (fields.EscapeValue / UnescapeValue). A missing field compares as the empty string, as
// upstream's fields.Set.Get. Which field names a type supports is checked by the caller (per resource).
import { badRequest } from './errors.js';

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  /** Same as `op` (the name the API server's selection code reads). */
  operator: '=' | '!=';
  value: string;
}

const requirement = (field: string, op: '=' | '!=', value: string): FieldRequirement => ({ field, op, operator: op, value });

export class FieldSelector {
  readonly requirements: FieldRequirement[];

  constructor(requirements: Array<Omit<FieldRequirement, 'operator'> & { operator?: '=' | '!=' }> = []) {
    this.requirements = requirements.map((r) => requirement(r.field, r.op, r.value));
  }

  matches(fields: Record<string, string | undefined>): boolean {
    return this.requirements.every((r) => ((fields[r.field] ?? '') === r.value) === (r.op === '='));
  }

  empty(): boolean {
    return this.requirements.length === 0;
  }

  /**
   * Upstream RequiresExactMatch: the value when the selector pins `field` with `=` (e.g. the storage
   * layer can turn `metadata.name=x` into a single get); undefined otherwise.
   */
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.op === '=')?.value;
  }

  /** Canonical text with values re-escaped, e.g. `metadata.name=a\,b,status.phase!=Running`. */
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.op}${escapeFieldValue(r.value)}`).join(',');
  }

  /** Rewrites each requirement (upstream Transform: field label conversion per type/version). */
  transform(fn: (field: string, value: string) => [string, string]): FieldSelector {
    return new FieldSelector(
      this.requirements.map((r) => {
        const [field, value] = fn(r.field, r.value);
        return requirement(field, r.op, value);
      }),
    );
  }
}

/** Upstream fields.EscapeValue: `\` → `\\`, `,` → `\,`, `=` → `\=`. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** Upstream fields.UnescapeValue; errors carry upstream's text. */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new Error(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Upstream formats the rune with %v, i.e. as its code point number.
      throw new Error(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw new Error('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Splits on commas not preceded by a backslash escape; escapes stay in the terms. */
function splitTerms(s: string): string[] {
  if (s.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

// `==` is tried before `=` so that `a==b` does not leave `=b` as the value.
const TERM_OPERATORS = ['!=', '==', '='] as const;

function splitTerm(term: string): [string, string, string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

/**
 * Parses `?fieldSelector=` text; '' selects everything. Terms are sorted (as upstream) so that equal
 * selectors print the same. Throws a 400 BadRequest on syntax errors.
 */
export function parseFieldSelector(s: string): FieldSelector {
  const reqs: FieldRequirement[] = [];
  for (const part of splitTerms(s).sort()) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (!split) throw badRequest(`invalid selector: '${s}'; can't understand '${part}'`);
    const [field, op, raw] = split;
    let value: string;
    try {
      value = unescapeFieldValue(raw);
    } catch (e) {
      throw badRequest((e as Error).message);
    }
    reqs.push(requirement(field, op === '!=' ? '!=' : '=', value));
  }
  return new FieldSelector(reqs);
}
