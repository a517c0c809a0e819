// Routes a resource request (verb + optional subresource) to its handler. Unknown subresources and
// verbs the type does not serve answer 404 / 405 as upstream does.
import { methodNotAllowed } from '../../machinery/errors.js';
import { notFound404 as pageNotFound } from '../not-found.js';
import type { HandlerContext } from './context.js';
import { handleDelete, handleDeleteCollection } from './delete.js';
import { handlePatch } from './patch.js';
import { handleBinding, handleEviction } from './pod-subresources.js';
import { handlePodLog, handlePodStream } from './pod-proxy.js';
import { handleGet, handleList, handleWatch } from './read.js';
import { handleGetScale, handleWriteScale } from './scale.js';
import { handleCreate, handleUpdate } from './write.js';

export async function dispatch(ctx: HandlerContext): Promise<void> {
  const { verb, subresource } = ctx.info;
  const rt = ctx.rt;
  const notAllowed = () => methodNotAllowed(`the server does not allow this method on the requested resource`);
  if (subresource) {
    const declared = rt.subresources.some((s) => s.name === subresource) || (subresource === 'finalize' && rt.plural === 'namespaces' && rt.group === '');
    if (!declared) throw pageNotFound();
    switch (subresource) {
      case 'status':
      case 'finalize':
        if (verb === 'get') return handleGet(ctx);
        if (verb === 'update') return handleUpdate(ctx);
        if (verb === 'patch' && subresource === 'status') return handlePatch(ctx);
        throw notAllowed();
      case 'scale':
        if (verb === 'get') return handleGetScale(ctx);
        if (verb === 'update' || verb === 'patch') return handleWriteScale(ctx);
        throw notAllowed();
      case 'binding':
        if (verb === 'create' && rt.plural === 'pods') return handleBinding(ctx);
        throw notAllowed();
      case 'eviction':
        if (verb === 'create' && rt.plural === 'pods') return handleEviction(ctx);
        throw notAllowed();
      case 'log':
        if (verb === 'get' && rt.plural === 'pods' && rt.group === '') return handlePodLog(ctx, ctx.kubeletClient);
        throw notAllowed();
      case 'exec':
      case 'attach':
      case 'portforward':
        // GET (WebSocket) and POST (SPDY) both upgrade, as upstream's connect verbs.
        if ((verb === 'get' || verb === 'create') && rt.plural === 'pods' && rt.group === '') return handlePodStream(ctx, subresource, ctx.kubeletClient);
        throw notAllowed();
      default:
        // proxy, token …: served by later issues.
        throw pageNotFound();
    }
  }
  const has = (v: string) => (rt.verbs as string[]).includes(v);
  switch (verb) {
    case 'get':
      if (!has('get')) throw notAllowed();
      return handleGet(ctx);
    case 'list':
      if (!has('list')) throw notAllowed();
      return handleList(ctx);
    case 'watch':
      // /watch/... paths carry the verb for any method (as upstream's RequestInfo); only GET serves them.
      if (!has('watch') || (ctx.req.method !== 'GET' && ctx.req.method !== 'HEAD')) throw notAllowed();
      return handleWatch(ctx);
    case 'create':
      if (ctx.info.name) throw notAllowed();
      if (!has('create')) throw notAllowed();
      return handleCreate(ctx);
    case 'update':
      if (!has('update')) throw notAllowed();
      return handleUpdate(ctx);
    case 'patch':
      if (!has('patch')) throw notAllowed();
      return handlePatch(ctx);
    case 'delete':
      if (!has('delete')) throw notAllowed();
      return handleDelete(ctx);
    case 'deletecollection':
      if (!has('deletecollection')) throw notAllowed();
      return handleDeleteCollection(ctx);
    default:
      throw notAllowed();
  }
}
