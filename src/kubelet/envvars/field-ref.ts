// Downward API field values (fieldRef), as upstream kubelet podFieldSelectorRuntimeValue and
// fieldpath.ExtractFieldPathAsString: status/spec fields the kubelet knows, metadata from the pod,
// `metadata.labels['k']` subscripts, and whole label/annotation maps formatted as sorted `k="v"` lines
// (the downwardAPI volume's labels file).
import type { ObjectFieldSelector, Pod } from 'kubernetes-types/core/v1.js';
import { EnvVarError } from './errors.js';

export interface FieldRefContext {
  podIP?: string;
  podIPs?: string[];
  hostIP?: string;
  hostIPs?: string[];
}

/** The env/volume value of a fieldRef. Throws EnvVarError('InvalidFieldPath') for unsupported paths. */
export function podFieldSelectorRuntimeValue(fs: ObjectFieldSelector, pod: Pod, ctx: FieldRefContext = {}): string {
  const podIPs = ctx.podIPs?.length ? ctx.podIPs : ctx.podIP ? [ctx.podIP] : [];
  const hostIPs = ctx.hostIPs?.length ? ctx.hostIPs : ctx.hostIP ? [ctx.hostIP] : [];
  switch (fs.fieldPath) {
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return hostIPs[0] ?? '';
    case 'status.hostIPs':
      return hostIPs.join(',');
    case 'status.podIP':
      return podIPs[0] ?? '';
    case 'status.podIPs':
      return podIPs.join(',');
  }
  return extractFieldPathAsString(pod, fs.fieldPath);
}

/** Metadata fields only (what downwardAPI volumes support), as upstream ExtractFieldPathAsString. */
export function extractFieldPathAsString(pod: Pod, fieldPath: string): string {
  const md = pod.metadata ?? {};
  const sub = splitMaybeSubscriptedPath(fieldPath);
  if (sub) {
    if (sub.path === 'metadata.annotations') return md.annotations?.[sub.subscript] ?? '';
    if (sub.path === 'metadata.labels') return md.labels?.[sub.subscript] ?? '';
    throw new EnvVarError('InvalidFieldPath', `fieldPath "${fieldPath}" does not support subscript`);
  }
  switch (fieldPath) {
    case 'metadata.annotations':
      return formatMap(md.annotations);
    case 'metadata.labels':
      return formatMap(md.labels);
    case 'metadata.name':
      return md.name ?? '';
    case 'metadata.namespace':
      return md.namespace ?? '';
    case 'metadata.uid':
      return md.uid ?? '';
  }
  throw new EnvVarError('InvalidFieldPath', `unsupported fieldPath: ${fieldPath}`);
}

/** `metadata.labels['app']` → { path: 'metadata.labels', subscript: 'app' }. */
function splitMaybeSubscriptedPath(fieldPath: string): { path: string; subscript: string } | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const s = fieldPath.slice(0, -2);
  const i = s.indexOf("['");
  if (i <= 0) return undefined;
  return { path: s.slice(0, i), subscript: s.slice(i + 2) };
}

/** Sorted `key="value"` lines joined by \n, values quoted like Go's %q. */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${goQuote(m![k])}`)
    .join('\n');
}

const GO_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };

function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (GO_ESCAPES[ch]) out += GO_ESCAPES[ch];
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}
