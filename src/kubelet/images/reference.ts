// Image references parsed and normalized as upstream does (github.com/distribution/reference,
// ParseNormalizedNamed + TagNameOnly): `busybox` is docker.io/library/busybox:latest, a first path
// component is a registry host only when it has a '.' or ':' or is `localhost`, and a digest wins
// over a tag when both are given (the tag is kept for display, as containerd does).
import { ImageError } from './errors.js';

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
const NAME_TOTAL_LENGTH_MAX = 255;

// The grammar of reference/regexp.go, anchored piece by piece.
const alphaNumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphaNumeric}(?:${separator}${alphaNumeric})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainName = `(?:${domainComponent}(?:\\.${domainComponent})*|${ipv6})`;
const domain = `${domainName}(?::[0-9]+)?`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE_RE = new RegExp(`^((?:${domain}/)?${pathComponent}(?:/${pathComponent})*)(?::(${tag}))?(?:@(${digest}))?$`);
const ANCHORED_HEX64 = /^[a-f0-9]{64}$/;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

export interface ImageReference {
  /** Registry host, e.g. docker.io, localhost:5000. */
  domain: string;
  /** Repository path inside the registry, e.g. library/busybox. */
  path: string;
  tag?: string;
  digest?: string;
}

const invalid = (ref: string, why = 'invalid reference format') =>
  new ImageError('ERR_INVALID_REFERENCE', `${why}: "${ref}"`);

/** Splits `name` into domain and remainder like splitDockerDomain. */
function splitDomain(name: string): [string, string] {
  const i = name.indexOf('/');
  let dom: string;
  let rest: string;
  if (i === -1 || (!/[.:]/.test(name.slice(0, i)) && name.slice(0, i) !== 'localhost' && name.slice(0, i).toLowerCase() === name.slice(0, i))) {
    dom = DEFAULT_DOMAIN;
    rest = name;
  } else {
    dom = name.slice(0, i);
    rest = name.slice(i + 1);
  }
  if (dom === LEGACY_DEFAULT_DOMAIN) dom = DEFAULT_DOMAIN;
  if (dom === DEFAULT_DOMAIN && !rest.includes('/')) rest = OFFICIAL_REPO_PREFIX + rest;
  return [dom, rest];
}

/** Parses and normalizes; a reference with neither tag nor digest gets `:latest`. */
export function parseReference(ref: string): ImageReference {
  if (ref === '') throw invalid(ref, 'invalid reference format: repository name must have at least one component');
  if (ANCHORED_HEX64.test(ref)) throw invalid(ref, 'invalid repository name, cannot specify 64-byte hexadecimal strings');
  // Uppercase in the repository path is the most common mistake; name it as upstream does.
  const lowerMatch = REFERENCE_RE.exec(ref.toLowerCase());
  const m = REFERENCE_RE.exec(ref);
  if (!m) {
    if (lowerMatch) throw invalid(ref, 'invalid reference format: repository name must be lowercase');
    throw invalid(ref);
  }
  const [, name, t, d] = m;
  if (name.length > NAME_TOTAL_LENGTH_MAX) throw invalid(ref, `invalid reference format: repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`);
  const [dom, path] = splitDomain(name);
  if (path.toLowerCase() !== path) throw invalid(ref, 'invalid reference format: repository name must be lowercase');
  if (d !== undefined) {
    if (!d.startsWith('sha256:')) throw invalid(ref, 'unsupported digest algorithm');
    if (!SHA256_DIGEST.test(d)) throw invalid(ref, 'invalid checksum digest format');
  }
  const out: ImageReference = { domain: dom, path };
  if (t !== undefined) out.tag = t;
  if (d !== undefined) out.digest = d;
  if (t === undefined && d === undefined) out.tag = 'latest';
  return out;
}

/** domain/path, e.g. docker.io/library/busybox. */
export const repositoryName = (r: ImageReference) => `${r.domain}/${r.path}`;

/** The full normalized string: docker.io/library/busybox:latest, host/x@sha256:…, or repo:tag@sha256:…. */
export function formatReference(r: ImageReference): string {
  let s = repositoryName(r);
  if (r.tag !== undefined) s += `:${r.tag}`;
  if (r.digest !== undefined) s += `@${r.digest}`;
  return s;
}

/** Normalized string of a user-typed reference. */
export const normalizeReference = (ref: string) => formatReference(parseReference(ref));

/** Whether `s` is an image id or digest (`sha256:<hex>` or bare 64 hex) rather than a name. */
export const isDigestLike = (s: string) => SHA256_DIGEST.test(s) || ANCHORED_HEX64.test(s);
