// Registry mirrors, credentials and TLS from a k3s-shaped registries.yaml
// (https://docs.k3s.io/installation/private-registry):
//   mirrors: { <registry host or "*">: { endpoint: [urls], rewrite: { <regex>: <replacement> } } }
//   configs: { <host>: { auth: {username, password, auth, identitytoken}, tls: {ca_file, cert_file,
//              key_file, insecure_skip_verify} } }
// A pull tries the mirror endpoints in order and then the registry's own endpoint
// (registry-1.docker.io for docker.io), as k3s' containerd does, unless the default endpoint is
// disabled (k3s --disable-default-registry-endpoint; tests use it so no pull ever leaves the host).
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ImageError } from './errors.js';
import { DEFAULT_DOMAIN } from './reference.js';

export interface RegistryMirror {
  endpoint?: string[];
  /** Repository rewrites for this mirror's endpoints: regex → replacement ($1 …). */
  rewrite?: Record<string, string>;
}

export interface RegistryAuthConfig {
  username?: string;
  password?: string;
  auth?: string;
  identitytoken?: string;
}

export interface RegistryTlsConfig {
  ca_file?: string;
  cert_file?: string;
  key_file?: string;
  insecure_skip_verify?: boolean;
}

export interface RegistryHostConfig {
  auth?: RegistryAuthConfig;
  tls?: RegistryTlsConfig;
}

export interface RegistriesConfig {
  mirrors: Record<string, RegistryMirror>;
  configs: Record<string, RegistryHostConfig>;
  /** Skip the registry's own endpoint after the mirrors (k3s --disable-default-registry-endpoint). */
  disableDefaultEndpoint?: boolean;
}

/** One place to send requests for a registry, in the order they are tried. */
export interface RegistryEndpoint {
  /** Base URL ending in /v2, e.g. http://127.0.0.1:5000/v2. */
  base: string;
  /** host[:port] of the endpoint, the key its `configs` entry is looked up by. */
  host: string;
  isDefault: boolean;
  rewrites: Array<{ re: RegExp; replacement: string }>;
  auth?: RegistryAuthConfig;
  tls?: RegistryTlsConfig;
}

export const emptyRegistriesConfig = (): RegistriesConfig => ({ mirrors: {}, configs: {} });

const bad = (source: string, why: string) => new ImageError('ERR_BAD_CONFIG', `${source}: ${why}`);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseRegistriesConfig(text: string, source = 'registries.yaml'): RegistriesConfig {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw bad(source, `not YAML: ${(e as Error).message}`);
  }
  const out = emptyRegistriesConfig();
  if (doc === null || doc === undefined) return out;
  if (!isObject(doc)) throw bad(source, 'top level must be a mapping');
  const mirrors = doc.mirrors ?? {};
  if (!isObject(mirrors)) throw bad(source, 'mirrors must be a mapping');
  for (const [host, m] of Object.entries(mirrors)) {
    if (!isObject(m)) throw bad(source, `mirrors.${host} must be a mapping`);
    const mirror: RegistryMirror = {};
    if (m.endpoint !== undefined) {
      if (!Array.isArray(m.endpoint) || !m.endpoint.every((e) => typeof e === 'string')) throw bad(source, `mirrors.${host}.endpoint must be a list of URLs`);
      mirror.endpoint = m.endpoint as string[];
      for (const e of mirror.endpoint) normalizeEndpoint(e, source);
    }
    if (m.rewrite !== undefined) {
      if (!isObject(m.rewrite)) throw bad(source, `mirrors.${host}.rewrite must be a mapping`);
      mirror.rewrite = {};
      for (const [re, rep] of Object.entries(m.rewrite)) {
        if (typeof rep !== 'string') throw bad(source, `mirrors.${host}.rewrite.${re} must be a string`);
        try {
          new RegExp(re);
        } catch {
          throw bad(source, `mirrors.${host}.rewrite: invalid regex ${JSON.stringify(re)}`);
        }
        mirror.rewrite[re] = rep;
      }
    }
    out.mirrors[host] = mirror;
  }
  const configs = doc.configs ?? {};
  if (!isObject(configs)) throw bad(source, 'configs must be a mapping');
  for (const [host, c] of Object.entries(configs)) {
    if (!isObject(c)) throw bad(source, `configs.${host} must be a mapping`);
    const entry: RegistryHostConfig = {};
    if (c.auth !== undefined) {
      if (!isObject(c.auth)) throw bad(source, `configs.${host}.auth must be a mapping`);
      entry.auth = pickStrings(c.auth, ['username', 'password', 'auth', 'identitytoken'], `configs.${host}.auth`, source);
    }
    if (c.tls !== undefined) {
      if (!isObject(c.tls)) throw bad(source, `configs.${host}.tls must be a mapping`);
      const tls: RegistryTlsConfig = pickStrings(c.tls, ['ca_file', 'cert_file', 'key_file'], `configs.${host}.tls`, source);
      if (c.tls.insecure_skip_verify !== undefined) {
        if (typeof c.tls.insecure_skip_verify !== 'boolean') throw bad(source, `configs.${host}.tls.insecure_skip_verify must be a boolean`);
        tls.insecure_skip_verify = c.tls.insecure_skip_verify;
      }
      entry.tls = tls;
    }
    out.configs[host] = entry;
  }
  return out;
}

function pickStrings<K extends string>(o: Record<string, unknown>, keys: K[], where: string, source: string): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) {
    if (o[k] === undefined) continue;
    if (typeof o[k] !== 'string') throw bad(source, `${where}.${k} must be a string`);
    out[k] = o[k] as string;
  }
  return out;
}

/** Reads the file; a missing file means no mirrors and no credentials. */
export function loadRegistriesConfig(file: string): RegistriesConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyRegistriesConfig();
    throw bad(file, (e as Error).message);
  }
  return parseRegistriesConfig(text, file);
}

/** An endpoint URL without a scheme is https; its path gets /v2 appended unless it already ends so. */
function normalizeEndpoint(raw: string, source: string): { base: string; host: string } {
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw bad(source, `invalid endpoint URL ${JSON.stringify(raw)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw bad(source, `endpoint ${raw}: scheme must be http or https`);
  let path = u.pathname.replace(/\/+$/, '');
  if (!path.endsWith('/v2')) path += '/v2';
  return { base: `${u.protocol}//${u.host}${path}`, host: u.host };
}

const isLoopbackHost = (host: string) => /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(host);

/** The registry's own endpoint: registry-1.docker.io for docker.io; plain http for loopback hosts. */
export function defaultEndpointUrl(registryHost: string): string {
  if (registryHost === DEFAULT_DOMAIN) return 'https://registry-1.docker.io/v2';
  return `${isLoopbackHost(registryHost) ? 'http' : 'https'}://${registryHost}/v2`;
}

/** The endpoints a pull from `registryHost` tries, in order. */
export function endpointsFor(config: RegistriesConfig, registryHost: string): RegistryEndpoint[] {
  const mirror = config.mirrors[registryHost] ?? config.mirrors['*'];
  const lookup = (host: string): RegistryHostConfig => config.configs[host] ?? config.configs[registryHost] ?? config.configs['*'] ?? {};
  const out: RegistryEndpoint[] = [];
  const rewrites = Object.entries(mirror?.rewrite ?? {}).map(([re, replacement]) => ({ re: new RegExp(re), replacement }));
  for (const raw of mirror?.endpoint ?? []) {
    const { base, host } = normalizeEndpoint(raw, 'registries.yaml');
    if (out.some((e) => e.base === base)) continue;
    const c = lookup(host);
    out.push({ base, host, isDefault: false, rewrites, ...(c.auth && { auth: c.auth }), ...(c.tls && { tls: c.tls }) });
  }
  if (!config.disableDefaultEndpoint || out.length === 0) {
    const base = defaultEndpointUrl(registryHost);
    const host = new URL(base).host;
    if (!out.some((e) => e.base === base)) {
      const c = config.configs[host] ?? config.configs[registryHost] ?? {};
      out.push({ base, host, isDefault: true, rewrites: [], ...(c.auth && { auth: c.auth }), ...(c.tls && { tls: c.tls }) });
    }
  }
  return out;
}

/** The repository path to request from `endpoint` (mirror rewrites applied). */
export function rewriteRepository(endpoint: RegistryEndpoint, path: string): string {
  for (const { re, replacement } of endpoint.rewrites) {
    if (re.test(path)) return path.replace(re, replacement);
  }
  return path;
}
