// Non-resource endpoints: /version (reports 1.31 so the kubectl dispatcher picks kubectl 1.31, see
// KUBECTL-WIRE §0), health checks, discovery documents and OpenAPI v2/v3.
import type { Registry } from '../api/registry.js';
import { notFound404 } from './not-found.js';
import { aggregatedDiscovery, apiGroupDoc, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import { discoveryContentType, negotiateDiscovery } from './negotiation.js';
import { writeBody, writeJson, writeText, type Response } from './response.js';
import type { OpenAPIService } from '../api/openapi/index.js';

export const VERSION_INFO = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.0',
  gitCommit: '9e7b2ab1ffd6bc4e3e4d2b38c1b8c1e1c1e0d5f1',
  gitTreeState: 'clean',
  buildDate: '2024-08-13T07:28:49Z',
  goVersion: 'go1.22.5',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const HEALTH = new Set(['/healthz', '/livez', '/readyz']);

export interface NonResourceDeps {
  registry: Registry;
  serverAddress(): string;
  openapi(): OpenAPIService;
}

/** Returns true when the path was a non-resource endpoint and has been answered. */
export async function serveNonResource(deps: NonResourceDeps, path: string, accept: string | undefined, res: Response): Promise<boolean> {
  const p = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (p === '/version') {
    writeJson(res, 200, VERSION_INFO);
    return true;
  }
  if (HEALTH.has(p) || [...HEALTH].some((h) => p.startsWith(h + '/'))) {
    writeText(res, 200, 'ok');
    return true;
  }
  if (p === '/api' || p === '/apis') {
    const mode = negotiateDiscovery(accept);
    if (mode !== 'legacy') {
      writeBody(res, 200, discoveryContentType(mode), JSON.stringify(aggregatedDiscovery(deps.registry, p === '/api', mode)), { vary: 'Accept' });
    } else {
      writeJson(res, 200, p === '/api' ? apiVersions(deps.serverAddress()) : apiGroupList(deps.registry), { vary: 'Accept' });
    }
    return true;
  }
  const segs = p.split('/').filter(Boolean);
  if (segs[0] === 'api' && segs.length === 2) {
    const doc = apiResourceList(deps.registry, '', segs[1]!);
    if (!doc) throw notFound404();
    writeJson(res, 200, doc);
    return true;
  }
  if (segs[0] === 'apis' && segs.length === 2) {
    const doc = apiGroupDoc(deps.registry, segs[1]!);
    if (!doc) throw notFound404();
    writeJson(res, 200, doc);
    return true;
  }
  if (segs[0] === 'apis' && segs.length === 3) {
    const doc = apiResourceList(deps.registry, segs[1]!, segs[2]!);
    if (!doc) throw notFound404();
    writeJson(res, 200, doc);
    return true;
  }
  if (segs[0] === 'openapi') {
    const svc = deps.openapi();
    if (p === '/openapi/v2') {
      // kubectl ≤ 1.28 asks for the gnostic protobuf form (explain fails on JSON there).
      if (accept?.includes('com.github.proto-openapi.spec.v2')) {
        writeBody(res, 200, 'application/octet-stream', svc.v2Protobuf());
        return true;
      }
      writeBody(res, 200, 'application/json', svc.v2());
      return true;
    }
    if (p === '/openapi/v3') {
      writeJson(res, 200, svc.v3Index());
      return true;
    }
    if (segs[1] === 'v3' && segs.length > 2) {
      const doc = svc.v3(segs.slice(2).join('/'));
      if (!doc) throw notFound404();
      writeBody(res, 200, 'application/json', doc.json, { etag: `"${doc.hash}"`, 'cache-control': 'public, immutable' });
      return true;
    }
    throw notFound404();
  }
  return false;
}
