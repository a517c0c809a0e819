// Client of the OCI Distribution / Docker Registry HTTP API v2: resolves a reference to an image
// manifest through the mirror endpoints (containerd's resolver order: each endpoint in turn; a 404
// moves on, other failures are remembered and the first one is reported when no endpoint has the
// image), picks linux/amd64 from manifest lists and OCI indexes, answers auth challenges, and opens
// blob streams (with Range for resumed downloads). It never writes to disk: blob-store.ts does.
import { createHash } from 'node:crypto';
import type { PullAuth } from './types.js';
import { ImageError } from './errors.js';
import { request, readBody, type HttpResponse } from './http.js';
import { parseChallenge, toCredentials, basicHeader, TokenCache, type Credentials } from './auth.js';
import { MANIFEST_ACCEPT, isIndexType, isManifestType, type Descriptor, type ImageIndex, type ImageManifest } from './media-types.js';
import { formatReference, type ImageReference } from './reference.js';
import { endpointsFor, emptyRegistriesConfig, rewriteRepository, type RegistriesConfig, type RegistryEndpoint } from './registries-config.js';

/** An endpoint and repository that answered for an image, with the credentials that worked. */
export interface RegistrySession {
  endpoint: RegistryEndpoint;
  repository: string;
  credentials?: Credentials;
  /** Authorization header value that the last challenge produced; reused for the blobs. */
  authorization?: string;
}

export interface ResolvedImage {
  session: RegistrySession;
  /** Digest of what the reference points at (an index for multi-platform images): the repoDigest. */
  digest: string;
  manifestDigest: string;
  manifest: ImageManifest;
  manifestMediaType: string;
  manifestBytes: Buffer;
  index?: { mediaType: string; bytes: Buffer };
}

export interface Platform {
  os: string;
  architecture: string;
}

export const sha256Digest = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

const DOCKER_HUB_KEYS = ['docker.io', 'index.docker.io', 'registry-1.docker.io'];

/** `https://index.docker.io/v1/` → index.docker.io, as dockerconfigjson keys are written. */
const authKeyHost = (k: string) => k.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');

function findAuth(auths: Record<string, PullAuth> | undefined, hosts: string[]): PullAuth | undefined {
  if (!auths) return undefined;
  for (const [k, v] of Object.entries(auths)) {
    const h = authKeyHost(k);
    if (hosts.includes(h) || (DOCKER_HUB_KEYS.includes(h) && hosts.some((x) => DOCKER_HUB_KEYS.includes(x)))) return v;
  }
  return undefined;
}

export class RegistryClient {
  readonly registries: RegistriesConfig;
  readonly tokens = new TokenCache();
  private readonly platform: Platform;

  constructor(opts: { registries?: RegistriesConfig; platform?: Platform } = {}) {
    this.registries = opts.registries ?? emptyRegistriesConfig();
    this.platform = opts.platform ?? { os: 'linux', architecture: 'amd64' };
  }

  /** Finds the image's manifest (for this platform) on the first endpoint that has it. */
  async resolve(ref: ImageReference, opts: { auths?: Record<string, PullAuth>; signal?: AbortSignal } = {}): Promise<ResolvedImage> {
    const name = formatReference(ref);
    let firstErr: ImageError | undefined;
    for (const endpoint of endpointsFor(this.registries, ref.domain)) {
      const credentials = toCredentials(endpoint.isDefault ? findAuth(opts.auths, [endpoint.host, ref.domain]) ?? endpoint.auth : endpoint.auth ?? findAuth(opts.auths, [endpoint.host, ref.domain]));
      const session: RegistrySession = { endpoint, repository: rewriteRepository(endpoint, ref.path), ...(credentials && { credentials }) };
      let res: HttpResponse;
      try {
        res = await this.manifestRequest(session, ref.digest ?? ref.tag ?? 'latest', opts.signal);
      } catch (e) {
        if (e instanceof ImageError && (e.code === 'ERR_ABORTED' || e.code === 'ERR_UNAUTHORIZED')) {
          if (e.code === 'ERR_ABORTED') throw e;
          firstErr ??= e;
          continue;
        }
        firstErr ??= new ImageError('ERR_REGISTRY_UNAVAILABLE', `failed to do request: ${endpoint.base}: ${(e as Error).message}`, { cause: e });
        continue;
      }
      if (res.status === 404) {
        res.body.resume();
        continue;
      }
      if (res.status === 401 || res.status === 403) {
        res.body.resume();
        firstErr ??= new ImageError('ERR_UNAUTHORIZED', `pull access denied, repository does not exist or may require authorization: ${res.status} from ${endpoint.base}`);
        continue;
      }
      if (res.status !== 200) {
        res.body.resume();
        firstErr ??= new ImageError(res.status >= 500 ? 'ERR_REGISTRY_UNAVAILABLE' : 'ERR_UNEXPECTED_STATUS', `unexpected status from GET request to ${res.url}: ${res.status}`);
        continue;
      }
      const bytes = await readBody(res);
      const digest = sha256Digest(bytes);
      if (ref.digest && ref.digest !== digest) throw new ImageError('ERR_DIGEST_MISMATCH', `manifest of ${name}: digest mismatch: got ${digest}`);
      return this.toResolved(session, name, digest, contentType(res, bytes), bytes, opts.signal);
    }
    throw firstErr ?? new ImageError('ERR_IMAGE_NOT_FOUND', `failed to resolve reference "${name}": ${name}: not found`);
  }

  private async toResolved(session: RegistrySession, name: string, digest: string, mediaType: string, bytes: Buffer, signal?: AbortSignal, depth = 0): Promise<ResolvedImage> {
    if (isManifestType(mediaType)) {
      const manifest = parseJson<ImageManifest>(bytes, name);
      if (!manifest.config?.digest || !Array.isArray(manifest.layers)) throw new ImageError('ERR_UNSUPPORTED_MEDIA_TYPE', `manifest of ${name} has no config or layers`);
      return { session, digest, manifestDigest: digest, manifest, manifestMediaType: mediaType, manifestBytes: bytes };
    }
    if (isIndexType(mediaType) && depth === 0) {
      const index = parseJson<ImageIndex>(bytes, name);
      const pick = this.pickPlatform(index.manifests ?? []);
      if (!pick) throw new ImageError('ERR_NO_MATCHING_PLATFORM', `no match for platform in manifest ${digest}: not found (want ${this.platform.os}/${this.platform.architecture})`);
      const res = await this.manifestRequest(session, pick.digest, signal);
      if (res.status !== 200) {
        res.body.resume();
        throw new ImageError(res.status === 404 ? 'ERR_IMAGE_NOT_FOUND' : 'ERR_UNEXPECTED_STATUS', `failed to fetch manifest ${pick.digest} of ${name}: status ${res.status}`);
      }
      const child = await readBody(res);
      const childDigest = sha256Digest(child);
      if (childDigest !== pick.digest) throw new ImageError('ERR_DIGEST_MISMATCH', `manifest ${pick.digest} of ${name}: digest mismatch: got ${childDigest}`);
      const r = await this.toResolved(session, name, childDigest, contentType(res, child, pick.mediaType), child, signal, depth + 1);
      return { ...r, digest, index: { mediaType, bytes } };
    }
    throw new ImageError('ERR_UNSUPPORTED_MEDIA_TYPE', `${name}: unsupported manifest media type ${JSON.stringify(mediaType)} (Docker schema 1 is not supported)`);
  }

  /** linux/amd64 first without a variant preference; the first match wins as in containerd's matcher. */
  private pickPlatform(manifests: Descriptor[]): Descriptor | undefined {
    return manifests.find((d) => d.platform?.os === this.platform.os && d.platform?.architecture === this.platform.architecture);
  }

  private manifestRequest(session: RegistrySession, refOrDigest: string, signal?: AbortSignal): Promise<HttpResponse> {
    return this.send(session, `${session.endpoint.base}/${session.repository}/manifests/${refOrDigest}`, { Accept: MANIFEST_ACCEPT }, signal);
  }

  /** GETs a blob; with `offset` > 0 asks for the rest only (206 expected, 200 means start over). */
  async openBlob(session: RegistrySession, digest: string, offset: number, signal?: AbortSignal): Promise<HttpResponse> {
    const res = await this.send(session, `${session.endpoint.base}/${session.repository}/blobs/${digest}`, offset > 0 ? { Range: `bytes=${offset}-` } : {}, signal);
    if (res.status === 200 || res.status === 206) return res;
    res.body.resume();
    if (res.status === 404) throw new ImageError('ERR_IMAGE_NOT_FOUND', `failed to fetch blob ${digest}: not found`);
    if (res.status === 401 || res.status === 403) throw new ImageError('ERR_UNAUTHORIZED', `failed to fetch blob ${digest}: ${res.status}`);
    throw new ImageError('ERR_UNEXPECTED_STATUS', `unexpected status from GET request to ${res.url}: ${res.status}`);
  }

  /** One request with the auth dance: on a 401 challenge, authenticate and retry once. */
  private async send(session: RegistrySession, url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<HttpResponse> {
    const tls = session.endpoint.tls;
    const withAuth = () => ({ ...headers, ...(session.authorization && { Authorization: session.authorization }) });
    const res = await request({ url, headers: withAuth(), tls, signal });
    if (res.status !== 401) return res;
    const ch = parseChallenge(res.headers['www-authenticate']);
    res.body.resume();
    if (!ch) return res;
    if (ch.scheme === 'bearer') {
      const scope = ch.params.scope ?? `repository:${session.repository}:pull`;
      session.authorization = `Bearer ${await this.tokens.token(ch, scope, session.credentials, tls, signal)}`;
    } else {
      if (!session.credentials?.username) return res;
      session.authorization = basicHeader(session.credentials);
    }
    return request({ url, headers: withAuth(), tls, signal });
  }
}

function contentType(res: HttpResponse, bytes: Buffer, fallback?: string): string {
  const ct = (res.headers['content-type'] ?? '').split(';')[0].trim();
  if (isManifestType(ct) || isIndexType(ct)) return ct;
  try {
    const j = JSON.parse(bytes.toString('utf8')) as { mediaType?: string; schemaVersion?: number; manifests?: unknown };
    if (j.mediaType) return j.mediaType;
    if (j.schemaVersion === 2) return Array.isArray(j.manifests) ? 'application/vnd.oci.image.index.v1+json' : 'application/vnd.oci.image.manifest.v1+json';
  } catch {
    /* reported below as an unsupported type */
  }
  return fallback ?? ct;
}

function parseJson<T>(b: Buffer, what: string): T {
  try {
    return JSON.parse(b.toString('utf8')) as T;
  } catch {
    throw new ImageError('ERR_UNSUPPORTED_MEDIA_TYPE', `manifest of ${what} is not JSON`);
  }
}
