// Registry authentication (distribution's token auth spec, docs/spec/auth/token.md): a 401 carries
// `WWW-Authenticate: Bearer realm="…",service="…",scope="…"`; the client asks the realm for a token
// (with Basic credentials when it has them, or an OAuth2 refresh-token POST for identity tokens) and
// retries with `Authorization: Bearer <token>`. Tokens are cached per realm/service/scope until they
// expire. A `Basic` challenge is answered with the credentials directly.
import type { PullAuth } from './types.js';
import type { RegistryAuthConfig, RegistryTlsConfig } from './registries-config.js';
import { request, readBody } from './http.js';
import { ImageError } from './errors.js';

export interface Challenge {
  scheme: 'bearer' | 'basic';
  params: Record<string, string>;
}

/** Parses the first Bearer or Basic challenge of a WWW-Authenticate header. */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(Bearer|Basic)\b\s*(.*)$/i.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  // key=value or key="quoted, value" pairs separated by commas.
  const re = /([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (let p; (p = re.exec(m[2])); ) params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
  return { scheme: m[1].toLowerCase() as Challenge['scheme'], params };
}

export interface Credentials {
  username?: string;
  password?: string;
  identityToken?: string;
}

/** Username/password from either explicit fields or a dockerconfigjson-style base64 `auth`. */
export function toCredentials(a: PullAuth | RegistryAuthConfig | undefined): Credentials | undefined {
  if (!a) return undefined;
  const identityToken = 'identityToken' in a ? a.identityToken : 'identitytoken' in a ? a.identitytoken : undefined;
  let { username, password } = a;
  if (!username && a.auth) {
    const decoded = Buffer.from(a.auth, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i > 0) {
      username = decoded.slice(0, i);
      password = decoded.slice(i + 1);
    }
  }
  if (!username && !identityToken) return undefined;
  return { ...(username !== undefined && { username }), ...(password !== undefined && { password }), ...(identityToken && { identityToken }) };
}

export const basicHeader = (c: Credentials) => `Basic ${Buffer.from(`${c.username ?? ''}:${c.password ?? ''}`).toString('base64')}`;

interface CachedToken {
  token: string;
  expiresAt: number;
}

export class TokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  /** How many tokens were fetched from a realm (tests assert caching with it). */
  fetches = 0;

  async token(ch: Challenge, scope: string, creds: Credentials | undefined, tls: RegistryTlsConfig | undefined, signal?: AbortSignal): Promise<string> {
    const realm = ch.params.realm;
    if (!realm) throw new ImageError('ERR_UNAUTHORIZED', 'registry sent a Bearer challenge without a realm');
    const service = ch.params.service ?? '';
    const key = `${realm}|${service}|${scope}|${creds?.username ?? ''}`;
    const hit = this.tokens.get(key);
    if (hit && hit.expiresAt > Date.now()) return hit.token;
    this.fetches++;
    let res;
    if (creds?.identityToken) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identityToken, service, scope, client_id: 'skiff' });
      res = await request({ url: realm, method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString(), tls, signal });
    } else {
      const u = new URL(realm);
      if (service) u.searchParams.set('service', service);
      for (const s of scope.split(' ').filter(Boolean)) u.searchParams.append('scope', s);
      res = await request({ url: u.toString(), headers: creds?.username ? { Authorization: basicHeader(creds) } : {}, tls, signal });
    }
    const body = await readBody(res, 1 << 20);
    if (res.status === 401 || res.status === 403) throw new ImageError('ERR_UNAUTHORIZED', `failed to fetch ${creds ? '' : 'anonymous '}token: ${res.status} from ${realm}`);
    if (res.status !== 200) throw new ImageError('ERR_UNEXPECTED_STATUS', `failed to fetch token: unexpected status ${res.status} from ${realm}`);
    let parsed: { token?: string; access_token?: string; expires_in?: number };
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new ImageError('ERR_UNEXPECTED_STATUS', `token response from ${realm} is not JSON`);
    }
    const token = parsed.token ?? parsed.access_token;
    if (!token) throw new ImageError('ERR_UNEXPECTED_STATUS', `token response from ${realm} has no token`);
    // The spec's default lifetime is 60 s; renew a little early so a long pull does not 401 midway.
    const ttl = Math.max(10, (parsed.expires_in ?? 60) - 5);
    this.tokens.set(key, { token, expiresAt: Date.now() + ttl * 1000 });
    return token;
  }
}
