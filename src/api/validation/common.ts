// Small helpers shared by the per-kind validators: upstream's generic field checks
// (ValidateNonnegativeField, ValidateImmutableField, DNS-label/subdomain field checks), semantic
// equality of JSON objects (for "may not change" rules), and renderers that print bad values the way
// upstream's Go `%#v` does, so error lines read exactly like upstream's.
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { semanticEqual } from '../../machinery/equality.js';
import { GoValue, invalid, type FieldError } from '../../machinery/field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain } from './names.js';

export const IS_NEGATIVE_MSG = 'must be greater than or equal to 0';
export const IS_NOT_POSITIVE_MSG = 'must be greater than zero';

export function validateNonnegative(value: number | undefined, field: string): FieldError[] {
  return value !== undefined && value !== null && value < 0 ? [invalid(field, value, IS_NEGATIVE_MSG)] : [];
}

export function validateDNS1123Label(value: string, field: string): FieldError[] {
  return isDNS1123Label(value).map((m) => invalid(field, value, m));
}

export function validateDNS1123Subdomain(value: string, field: string): FieldError[] {
  return isDNS1123Subdomain(value).map((m) => invalid(field, value, m));
}

/** Upstream ValidateImmutableField: `field is immutable` with the new value. */
export { semanticEqual } from '../../machinery/equality.js';

export function validateImmutable(newVal: unknown, oldVal: unknown, field: string, shown: unknown = newVal): FieldError[] {
  return semanticEqual(newVal, oldVal) ? [] : [invalid(field, shown, 'field is immutable')];
}

/** Go `%#v` of a map[string]string: `map[string]string{"a":"1", "b":"2"}` (keys sorted), nil → `(nil)`. */
export function goStringMap(m: Record<string, string> | undefined | null): GoValue {
  if (m === undefined || m === null) return new GoValue('map[string]string(nil)');
  const body = Object.keys(m)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`)
    .join(', ');
  return new GoValue(`map[string]string{${body}}`);
}

function goStringSlice(s: string[] | undefined): string {
  return s ? `[]string{${s.map((x) => JSON.stringify(x)).join(', ')}}` : '[]string(nil)';
}

/** Go `%#v` of a dereferenced *metav1.LabelSelector, as upstream prints it in immutability errors. */
export function goLabelSelector(ls: LabelSelector | undefined | null): GoValue {
  if (!ls) return new GoValue('(*v1.LabelSelector)(nil)');
  const ml = goStringMap(ls.matchLabels).text;
  const exprs = ls.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${ls.matchExpressions
        .map((e) => `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key)}, Operator:${JSON.stringify(e.operator)}, Values:${goStringSlice(e.values)}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return new GoValue(`v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${exprs}}`);
}

/** An IntOrString printed through its String() method (unquoted), as upstream does. */
export const goIntOrString = (v: number | string | undefined): GoValue => new GoValue(String(v ?? 0));

/** Go `%#v` of a []string (e.g. clusterIPs in "may not change once set"). */
export const goStrings = (s: string[] | undefined): GoValue => new GoValue(goStringSlice(s));

/** Value of an IntOrString for "is it zero" checks; percents count by their number. */
export function intOrPercentValue(v: number | string | undefined): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  return m ? Number(m[1]) : 0;
}

export const entries = <T>(m: Record<string, T> | undefined | null): Array<[string, T]> => Object.entries(m ?? {});
