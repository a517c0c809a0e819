// The pod-template-hash (upstream pkg/controller/controller_utils.go ComputeHash): a stable 32-bit
// FNV-1a hash of the pod template, with the Deployment's collisionCount mixed in so a collision can be
// escaped by bumping the count, rendered as the decimal of the hash through the "safe" alphabet
// (k8s.io/apimachinery/pkg/util/rand SafeEncodeString: no vowels, no 0/1/3 — so a hash never spells
// a word). Upstream hashes Go's spew dump of the struct; we hash canonical JSON (sorted keys), which
// is just as stable for the same template, so names look like upstream's (`web-7d4b9c8f5`).
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted at every level: the same value always serializes the same way. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/** 32-bit FNV-1a over bytes (hash/fnv New32a). */
export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Maps each character to the safe alphabet by code point (rand.SafeEncodeString). */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += SAFE_ALPHABET[ch.codePointAt(0)! % SAFE_ALPHABET.length];
  return out;
}

/** ComputeHash(template, collisionCount): the value of the pod-template-hash label. */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJson(template ?? {})));
  if (collisionCount !== undefined && collisionCount !== null) {
    // Upstream writes the count as 4 little-endian bytes after the template.
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(b, h);
  }
  return safeEncodeString(String(h));
}
