// Content negotiation: what representation the client's Accept header asks for (plain JSON, a
// server-side Table, PartialObjectMetadata(List), aggregated discovery v2/v2beta1) and which body
// formats we decode. Protobuf is not decoded yet (415); JSON is always an acceptable answer.

export type OutputMode =
  | { kind: 'json' }
  | { kind: 'table'; version: 'v1' | 'v1beta1' }
  | { kind: 'partial'; version: 'v1' | 'v1beta1'; list: boolean };

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(accept: string | undefined): MediaRange[] {
  if (!accept) return [];
  return accept.split(',').map((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    const p: Record<string, string> = {};
    for (const kv of params) {
      const i = kv.indexOf('=');
      if (i > 0) p[kv.slice(0, i).trim()] = kv.slice(i + 1).trim().replace(/^"|"$/g, '');
    }
    return { type: (type ?? '').toLowerCase(), params: p };
  });
}

const JSONISH = new Set(['application/json', 'application/*', '*/*', 'application/yaml', 'application/vnd.kubernetes.protobuf']);

/** Picks the first Accept entry we can serve for a resource GET/LIST/WATCH. */
export function negotiateOutput(accept: string | undefined): OutputMode {
  const ranges = parseAccept(accept);
  for (const r of ranges) {
    if (!JSONISH.has(r.type)) continue;
    const as = r.params['as'];
    if (!as) return { kind: 'json' };
    if (r.params['g'] !== 'meta.k8s.io') continue;
    const v = r.params['v'];
    if (v !== 'v1' && v !== 'v1beta1') continue;
    if (as === 'Table') return { kind: 'table', version: v };
    if (as === 'PartialObjectMetadata') return { kind: 'partial', version: v, list: false };
    if (as === 'PartialObjectMetadataList') return { kind: 'partial', version: v, list: true };
  }
  return { kind: 'json' };
}

export type DiscoveryMode = 'legacy' | 'v2' | 'v2beta1';

/** Aggregated discovery when asked for APIGroupDiscoveryList (v2 preferred in Accept order). */
export function negotiateDiscovery(accept: string | undefined): DiscoveryMode {
  for (const r of parseAccept(accept)) {
    if (r.params['as'] === 'APIGroupDiscoveryList' && r.params['g'] === 'apidiscovery.k8s.io') {
      if (r.params['v'] === 'v2') return 'v2';
      if (r.params['v'] === 'v2beta1') return 'v2beta1';
      continue;
    }
    if (JSONISH.has(r.type) && !r.params['as']) return 'legacy';
  }
  return 'legacy';
}

export function discoveryContentType(mode: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${mode};as=APIGroupDiscoveryList`;
}

export type BodyFormat = 'json' | 'yaml' | 'json-patch' | 'merge-patch' | 'strategic-merge-patch' | 'apply-patch' | 'protobuf' | 'unknown';

export function bodyFormat(contentType: string | undefined): BodyFormat {
  const t = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  switch (t) {
    case '':
    case 'application/json':
      return 'json';
    case 'application/yaml':
    case 'application/x-yaml':
    case 'text/yaml':
      return 'yaml';
    case 'application/json-patch+json':
      return 'json-patch';
    case 'application/merge-patch+json':
      return 'merge-patch';
    case 'application/strategic-merge-patch+json':
      return 'strategic-merge-patch';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return t.endsWith('yaml') ? 'apply-patch' : 'unknown';
    case 'application/vnd.kubernetes.protobuf':
      return 'protobuf';
    default:
      return 'unknown';
  }
}
