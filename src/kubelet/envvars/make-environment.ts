// A container's environment, as upstream kubelet_pods.go makeEnvironmentVariables: envFrom first
// (ConfigMaps and Secrets, with prefix; keys that are not valid variable names are skipped, as upstream
// does after an InvalidEnvironmentVariableNames event), then `env` in order, overriding envFrom; a
// plain value has `$(VAR)` references expanded against everything defined before it. Service link
// variables are not produced here (enableServiceLinks is the caller's: pass them as `extraEnv`).
// Order is deterministic: first definition position, last value wins.
import type { ConfigMap, Container, Pod, Secret } from 'kubernetes-types/core/v1.js';
import type { ObjectSource } from '../pod/object-source.js';
import { EnvVarError } from './errors.js';
import { expand, mappingFuncFor } from './expansion.js';
import { podFieldSelectorRuntimeValue } from './field-ref.js';
import { containerResourceRuntimeValue, type NodeAllocatable } from './resource-field-ref.js';

export interface EnvContext {
  source: ObjectSource;
  podIP: string;
  podIPs: string[];
  hostIP: string;
  hostIPs?: string[];
  nodeName: string;
  nodeAllocatable?: NodeAllocatable;
  /** Service environment variables (lowest precedence, only used for `$(VAR)` lookups and appended last). */
  extraEnv?: Record<string, string>;
  /** Called with keys skipped because they are not valid env var names (the kubelet emits a Warning event). */
  onInvalidKeys?(kind: 'configMap' | 'secret', name: string, keys: string[]): void;
}

export interface EnvVarValue {
  name: string;
  value: string;
}

const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Upstream validation.IsEnvVarName: the C-identifier-ish regexp, and not `.`, `..` or `..*`. */
export function isEnvVarName(name: string): boolean {
  return ENV_VAR_NAME.test(name) && name !== '.' && !name.startsWith('..');
}

export async function makeEnvironment(pod: Pod, container: Container, ctx: EnvContext): Promise<EnvVarValue[]> {
  const ns = pod.metadata?.namespace ?? 'default';
  const configMaps = new Map<string, ConfigMap | undefined>();
  const secrets = new Map<string, Secret | undefined>();
  const getConfigMap = async (name: string) => {
    if (!configMaps.has(name)) configMaps.set(name, await ctx.source.getConfigMap(ns, name));
    return configMaps.get(name);
  };
  const getSecret = async (name: string) => {
    if (!secrets.has(name)) secrets.set(name, await ctx.source.getSecret(ns, name));
    return secrets.get(name);
  };
  const env = new Map<string, string>();

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    let data: Record<string, string>;
    let kind: 'configMap' | 'secret';
    let name: string;
    if (from.configMapRef) {
      kind = 'configMap';
      name = from.configMapRef.name ?? '';
      const cm = await getConfigMap(name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new EnvVarError('ConfigMapNotFound', `configmap "${name}" not found`);
      }
      data = cm.data ?? {};
    } else if (from.secretRef) {
      kind = 'secret';
      name = from.secretRef.name ?? '';
      const s = await getSecret(name);
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new EnvVarError('SecretNotFound', `secret "${name}" not found`);
      }
      data = secretStrings(s);
    } else continue;
    const invalid: string[] = [];
    for (const key of Object.keys(data).sort()) {
      const k = prefix + key;
      if (!isEnvVarName(k)) invalid.push(k);
      else env.set(k, data[key]);
    }
    if (invalid.length) ctx.onInvalidKeys?.(kind, name, invalid.sort());
  }

  const mapping = mappingFuncFor(env, ctx.extraEnv ?? {});
  for (const ev of container.env ?? []) {
    let value = ev.value ?? '';
    const from = ev.valueFrom;
    if (value !== '') value = expand(value, mapping);
    else if (from?.fieldRef) {
      value = podFieldSelectorRuntimeValue(from.fieldRef, pod, ctx);
    } else if (from?.resourceFieldRef) {
      value = containerResourceRuntimeValue(from.resourceFieldRef, pod, container, ctx.nodeAllocatable);
    } else if (from?.configMapKeyRef) {
      const { name = '', key, optional } = from.configMapKeyRef;
      const cm = await getConfigMap(name);
      if (!cm) {
        if (optional) continue;
        throw new EnvVarError('ConfigMapNotFound', `configmap "${name}" not found`);
      }
      const v = cm.data?.[key];
      if (v === undefined) {
        if (optional) continue;
        throw new EnvVarError('ConfigMapKeyNotFound', `couldn't find key ${key} in ConfigMap ${ns}/${name}`);
      }
      value = v;
    } else if (from?.secretKeyRef) {
      const { name = '', key, optional } = from.secretKeyRef;
      const s = await getSecret(name);
      if (!s) {
        if (optional) continue;
        throw new EnvVarError('SecretNotFound', `secret "${name}" not found`);
      }
      const v = secretStrings(s)[key];
      if (v === undefined) {
        if (optional) continue;
        throw new EnvVarError('SecretKeyNotFound', `couldn't find key ${key} in Secret ${ns}/${name}`);
      }
      value = v;
    }
    env.set(ev.name, value);
  }

  const out = [...env].map(([name, value]) => ({ name, value }));
  for (const [name, value] of Object.entries(ctx.extraEnv ?? {})) {
    if (!env.has(name)) out.push({ name, value });
  }
  return out;
}

/** Secret `data` is base64 on the wire; `stringData` (write-only, but seen in hand-made objects) wins. */
export function secretStrings(s: Secret): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  return { ...out, ...(s.stringData ?? {}) };
}
