// Field errors as upstream's k8s.io/apimachinery/pkg/util/validation/field: a type, a field path
// (`spec.template.spec.containers[0].image`), the bad value and a detail. They become the `causes` of
// an Invalid (422) Status, and their text must match upstream's so kubectl prints the same lines.

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueNotFound'
  | 'InternalError';

export interface FieldError {
  type: FieldErrorType;
  field: string;
  value?: unknown;
  detail?: string;
}

/**
 * A bad value already rendered the way upstream prints it (Go `%#v` of a map or struct, e.g.
 * `map[string]string{"app":"x"}`, or a Stringer such as an IntOrString `25%`): printed as-is.
 */
export class GoValue {
  constructor(readonly text: string) {}
  toJSON(): string {
    return this.text;
  }
}

/** Upstream's `fmt.Sprintf("%#v")`-ish rendering of a bad value: strings quoted, numbers bare. */
export function formatValue(v: unknown): string {
  if (v instanceof GoValue) return v.text;
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/** The part after `field: ` — upstream's ErrorBody(), also the cause message. */
export function errorBody(e: FieldError): string {
  const withDetail = (s: string) => (e.detail ? `${s}: ${e.detail}` : s);
  switch (e.type) {
    case 'FieldValueRequired':
      return withDetail('Required value');
    case 'FieldValueInvalid':
      return withDetail(`Invalid value: ${formatValue(e.value)}`);
    case 'FieldValueNotSupported':
      return withDetail(`Unsupported value: ${formatValue(e.value)}`);
    case 'FieldValueDuplicate':
      return withDetail(`Duplicate value: ${formatValue(e.value)}`);
    case 'FieldValueForbidden':
      return withDetail('Forbidden');
    case 'FieldValueTooLong':
      return withDetail('Too long');
    case 'FieldValueTooMany':
      return withDetail(`Too many: ${formatValue(e.value)}`);
    case 'FieldValueNotFound':
      return withDetail(`Not found: ${formatValue(e.value)}`);
    case 'InternalError':
      return withDetail('Internal error');
  }
}

export function fieldErrorString(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

// Constructors, named as upstream's field.Required / field.Invalid / …
export const required = (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail });
export const invalid = (field: string, value: unknown, detail = ''): FieldError => ({ type: 'FieldValueInvalid', field, value, detail });
export const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
export const duplicate = (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, value });
export const notFound = (field: string, value: unknown): FieldError => ({ type: 'FieldValueNotFound', field, value });
export const notSupported = (field: string, value: unknown, supported: string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  value,
  detail: supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : '',
});
export const tooLong = (field: string, _value: unknown, max: number): FieldError => ({
  type: 'FieldValueTooLong',
  field,
  detail: `may not be more than ${max} bytes`,
});
export const tooMany = (field: string, actual: number, max: number): FieldError => ({
  type: 'FieldValueTooMany',
  field,
  value: actual,
  detail: `must have at most ${max} items`,
});
/** Upstream's ValidateImmutableField: `field is immutable`. */
export const immutable = (field: string, value: unknown): FieldError => invalid(field, value, 'field is immutable');

/** Joins path segments: path('spec', 'containers', 0, 'name') → `spec.containers[0].name`. */
export function path(...parts: Array<string | number>): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (p.startsWith('[')) out += p;
    else out += out ? `.${p}` : p;
  }
  return out;
}
/** Map-key child: key('metadata.labels', 'a/b') → `metadata.labels[a/b]`. */
export const key = (base: string, k: string): string => `${base}[${k}]`;
