// What configMap, secret, downwardAPI and projected volumes contain, as upstream MakePayload /
// CollectData: every key (or only `items`, key → path with per-item mode), defaultMode 0644, a missing
// optional object gives an empty volume, a missing item key fails unless optional.
import type { ConfigMap, DownwardAPIVolumeFile, KeyToPath, Pod, ProjectedVolumeSource, Secret } from 'kubernetes-types/core/v1.js';
import type { ObjectSource } from '../pod/object-source.js';
import { extractFieldPathAsString } from '../envvars/field-ref.js';
import { containerResourceRuntimeValue, type NodeAllocatable } from '../envvars/resource-field-ref.js';
import type { Payload } from './atomic-writer.js';
import { VolumeError } from './errors.js';

export const DEFAULT_MODE = 0o644;

export interface PayloadContext {
  pod: Pod;
  volume: string;
  source: ObjectSource;
  nodeAllocatable?: NodeAllocatable;
}

function keyedPayload(
  ctx: PayloadContext,
  what: 'configmap' | 'secret',
  data: Map<string, Buffer>,
  items: KeyToPath[] | undefined,
  defaultMode: number,
  optional: boolean,
): Payload {
  const out: Payload = new Map();
  if (!items?.length) {
    for (const [k, v] of data) out.set(k, { data: v, mode: defaultMode });
    return out;
  }
  for (const item of items) {
    const v = data.get(item.key);
    if (v === undefined) {
      if (optional) continue;
      throw new VolumeError('KeyNotFound', ctx.volume, `${what} references non-existent ${what === 'secret' ? 'secret' : 'config'} key: ${item.key}`);
    }
    out.set(item.path, { data: v, mode: item.mode ?? defaultMode });
  }
  return out;
}

function configMapData(cm: ConfigMap | undefined): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(cm?.data ?? {})) m.set(k, Buffer.from(v));
  for (const [k, v] of Object.entries(cm?.binaryData ?? {})) m.set(k, Buffer.from(v, 'base64'));
  return m;
}

function secretData(s: Secret | undefined): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(s?.data ?? {})) m.set(k, Buffer.from(v, 'base64'));
  for (const [k, v] of Object.entries(s?.stringData ?? {})) m.set(k, Buffer.from(v));
  return m;
}

const ns = (ctx: PayloadContext) => ctx.pod.metadata?.namespace ?? 'default';

export async function configMapPayload(
  ctx: PayloadContext,
  src: { name?: string; items?: KeyToPath[]; optional?: boolean },
  defaultMode: number,
): Promise<Payload> {
  const name = src.name ?? '';
  const cm = await ctx.source.getConfigMap(ns(ctx), name);
  if (!cm && !src.optional) throw new VolumeError('ConfigMapNotFound', ctx.volume, `configmap "${name}" not found`);
  return keyedPayload(ctx, 'configmap', configMapData(cm), src.items, defaultMode, src.optional ?? false);
}

export async function secretPayload(
  ctx: PayloadContext,
  src: { name?: string; items?: KeyToPath[]; optional?: boolean },
  defaultMode: number,
): Promise<Payload> {
  const name = src.name ?? '';
  const s = await ctx.source.getSecret(ns(ctx), name);
  if (!s && !src.optional) throw new VolumeError('SecretNotFound', ctx.volume, `secret "${name}" not found`);
  return keyedPayload(ctx, 'secret', secretData(s), src.items, defaultMode, src.optional ?? false);
}

export function downwardAPIPayload(ctx: PayloadContext, items: DownwardAPIVolumeFile[] | undefined, defaultMode: number): Payload {
  const out: Payload = new Map();
  const containers = [...(ctx.pod.spec?.initContainers ?? []), ...(ctx.pod.spec?.containers ?? [])];
  for (const item of items ?? []) {
    let value = '';
    try {
      if (item.fieldRef) value = extractFieldPathAsString(ctx.pod, item.fieldRef.fieldPath);
      else if (item.resourceFieldRef) {
        const c = containers.find((x) => x.name === item.resourceFieldRef!.containerName) ?? containers[0];
        if (!c) throw new Error(`container ${item.resourceFieldRef.containerName} not found`);
        value = containerResourceRuntimeValue(item.resourceFieldRef, ctx.pod, c, ctx.nodeAllocatable);
      }
    } catch (err) {
      throw new VolumeError('FieldRef', ctx.volume, (err as Error).message, { cause: err });
    }
    out.set(item.path, { data: Buffer.from(value), mode: item.mode ?? defaultMode });
  }
  return out;
}

/**
 * Projected volumes merge their sources' payloads in order. serviceAccountToken sources are skipped:
 * Skiff has no TokenRequest API yet, so nothing is written for them (the security issue adds it).
 */
export async function projectedPayload(ctx: PayloadContext, src: ProjectedVolumeSource): Promise<Payload> {
  const mode = src.defaultMode ?? DEFAULT_MODE;
  const out: Payload = new Map();
  for (const s of src.sources ?? []) {
    let part: Payload | undefined;
    if (s.configMap) part = await configMapPayload(ctx, s.configMap, mode);
    else if (s.secret) part = await secretPayload(ctx, s.secret, mode);
    else if (s.downwardAPI) part = downwardAPIPayload(ctx, s.downwardAPI.items, mode);
    for (const [k, v] of part ?? []) out.set(k, v);
  }
  return out;
}
