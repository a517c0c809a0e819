// The REST operations of registered resource types, described once in a flavour-neutral form and
// rendered into swagger 2.0 (/openapi/v2) and OpenAPI 3.0 (/openapi/v3) paths by documents.ts. Mirrors
// upstream's paths: namespaced and cluster-scoped collections and items, the all-namespaces list, and
// subresources (status, scale, …), each operation tagged with `x-kubernetes-action` and
// `x-kubernetes-group-version-kind` — kubectl looks for the fieldValidation parameter on the *patch*
// operation of a kind to decide it may send fieldValidation=Strict.
import type { GVKExtension } from './types.js';
import type { ResourceType } from '../resource-type.js';

export type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';
export type Action = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'connect';

export interface Param {
  name: string;
  in: 'query' | 'path';
  description: string;
  type: 'string' | 'integer' | 'boolean';
  required?: boolean;
}

export interface Operation {
  method: Method;
  action: Action;
  operationId: string;
  description: string;
  tag: string;
  /** Absent on discovery operations (APIResourceList, APIGroup, …). */
  gvk?: GVKExtension;
  params: Param[];
  /** Definition name of the request body (post/put/patch/delete). */
  body?: string;
  /** status code → definition name; '' = a plain string body. */
  responses: Record<string, string>;
}

export interface PathItem {
  path: string;
  params: Param[];
  ops: Operation[];
}

const q = (name: string, type: Param['type'], description: string): Param => ({ name, in: 'query', type, description });
const P = {
  pretty: q('pretty', 'string', "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget)."),
  dryRun: q('dryRun', 'string', 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed'),
  fieldManager: q('fieldManager', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint. This field is required for apply requests (application/apply-patch) but optional for non-apply patch types (JsonPatch, MergePatch, StrategicMergePatch).'),
  fieldValidation: q('fieldValidation', 'string', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default. - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.'),
  force: q('force', 'boolean', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used.'),
  propagationPolicy: q('propagationPolicy', 'string', "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'."),
  orphanDependents: q('orphanDependents', 'boolean', 'Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned.'),
  allowWatchBookmarks: q('allowWatchBookmarks', 'boolean', 'allowWatchBookmarks requests watch events with type "BOOKMARK". Servers that do not implement bookmarks may ignore this flag.'),
  continue: q('continue', 'string', 'The continue option should be set when retrieving more results from the server. Since this value is server defined, clients may only use the continue value from a previous query result with identical query parameters (except for the value of continue).'),
  fieldSelector: q('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  labelSelector: q('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  limit: q('limit', 'integer', 'limit is a maximum number of responses to return for a list call. If more items exist, the server will set the `continue` field on the list metadata to a value that can be used with the same initial query to retrieve the next set of results.'),
  resourceVersion: q('resourceVersion', 'string', 'resourceVersion sets a constraint on what resource versions a request may be served from. Defaults to unset.'),
  resourceVersionMatch: q('resourceVersionMatch', 'string', 'resourceVersionMatch determines how resourceVersion is applied to list calls. Defaults to unset.'),
  sendInitialEvents: q('sendInitialEvents', 'boolean', '`sendInitialEvents=true` may be set together with `watch=true`. In that case, the watch stream will begin with synthetic events to produce the current state of objects in the collection.'),
  timeoutSeconds: q('timeoutSeconds', 'integer', 'Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.'),
  watch: q('watch', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.'),
};
const LIST_PARAMS = [P.allowWatchBookmarks, P.continue, P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds, P.watch];
const WRITE_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation];
const PATCH_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation, P.force];
const DELETE_PARAMS = [P.dryRun, P.gracePeriodSeconds, P.orphanDependents, P.propagationPolicy];
const pathParam = (name: string, what: string): Param => ({ name, in: 'path', type: 'string', required: true, description: what });

const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
const DELETE_OPTIONS = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';
export const PATCH = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
const CONNECT = new Set(['exec', 'attach', 'portforward', 'proxy']);

/** 'networking.k8s.io' → 'Networking', 'rbac.authorization.k8s.io' → 'RbacAuthorization', '' → 'Core'. */
function groupCamel(group: string): string {
  if (!group) return 'Core';
  return group.replace(/\.k8s\.io$/, '').split('.').map((p) => p[0].toUpperCase() + p.slice(1)).join('');
}
export function groupTag(group: string, version: string): string {
  const c = groupCamel(group);
  return `${c[0].toLowerCase()}${c.slice(1)}_${version}`;
}

/** Names needed to describe a resource type's operations. */
export interface TypeDefs {
  kind: string; // definition name of the kind
  list: string; // definition name of the list kind
  sub(name: string): string | undefined; // definition name of a subresource's kind
}

/** The discovery operation of a group-version, group or root (`/api/v1/`, `/apis/apps/`, `/version/`). */
export function discoveryPath(path: string, operationId: string, tag: string, response: string): PathItem {
  return {
    path,
    params: [],
    ops: [{ method: 'get', action: 'get', operationId, description: 'get available resources', tag, params: [], responses: { '200': response } }],
  };
}

export function gvOperationPrefix(group: string, version: string): string {
  return `${groupCamel(group)}${version[0].toUpperCase()}${version.slice(1)}`;
}
export { groupCamel };

export function pathsFor(rt: ResourceType, names: TypeDefs): PathItem[] {
  const base = rt.group ? `/apis/${rt.group}/${rt.version}` : `/api/${rt.version}`;
  const gv = gvOperationPrefix(rt.group, rt.version);
  const ns = rt.namespaced ? 'Namespaced' : '';
  const tag = groupTag(rt.group, rt.version);
  const gvk: GVKExtension = { group: rt.group, version: rt.version, kind: rt.kind };
  const verbs = new Set<string>(rt.verbs);
  const collection = rt.namespaced ? `${base}/namespaces/{namespace}/${rt.plural}` : `${base}/${rt.plural}`;
  const item = `${collection}/{name}`;
  const nsParams = rt.namespaced ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')] : [];
  const itemParams = [pathParam('name', `name of the ${rt.kind}`), ...nsParams, P.pretty];
  const op = (method: Method, action: Action, id: string, description: string, params: Param[], responses: Record<string, string>, body?: string, opGVK = gvk): Operation =>
    ({ method, action, operationId: id, description, tag, gvk: opGVK, params, responses, body });
  const out: PathItem[] = [];

  const colOps: Operation[] = [];
  if (verbs.has('list')) colOps.push(op('get', 'list', `list${gv}${ns}${rt.kind}`, `list or watch objects of kind ${rt.kind}`, LIST_PARAMS, { '200': names.list }));
  if (verbs.has('create')) colOps.push(op('post', 'post', `create${gv}${ns}${rt.kind}`, `create a ${rt.kind}`, WRITE_PARAMS, { '200': names.kind, '201': names.kind, '202': names.kind }, names.kind));
  if (verbs.has('deletecollection')) colOps.push(op('delete', 'deletecollection', `delete${gv}Collection${ns}${rt.kind}`, `delete collection of ${rt.kind}`, [...LIST_PARAMS, ...DELETE_PARAMS], { '200': STATUS }, DELETE_OPTIONS));
  if (colOps.length) out.push({ path: collection, params: [...nsParams, P.pretty], ops: colOps });

  const itemOps: Operation[] = [];
  if (verbs.has('get')) itemOps.push(op('get', 'get', `read${gv}${ns}${rt.kind}`, `read the specified ${rt.kind}`, [], { '200': names.kind }));
  if (verbs.has('update')) itemOps.push(op('put', 'put', `replace${gv}${ns}${rt.kind}`, `replace the specified ${rt.kind}`, WRITE_PARAMS, { '200': names.kind, '201': names.kind }, names.kind));
  if (verbs.has('delete')) itemOps.push(op('delete', 'delete', `delete${gv}${ns}${rt.kind}`, `delete a ${rt.kind}`, DELETE_PARAMS, { '200': STATUS, '202': STATUS }, DELETE_OPTIONS));
  if (verbs.has('patch')) itemOps.push(op('patch', 'patch', `patch${gv}${ns}${rt.kind}`, `partially update the specified ${rt.kind}`, PATCH_PARAMS, { '200': names.kind, '201': names.kind }, PATCH));
  if (itemOps.length) out.push({ path: item, params: itemParams, ops: itemOps });

  if (rt.namespaced && verbs.has('list')) {
    out.push({
      path: `${base}/${rt.plural}`,
      params: [P.pretty],
      ops: [op('get', 'list', `list${gv}${rt.kind}ForAllNamespaces`, `list or watch objects of kind ${rt.kind}`, LIST_PARAMS, { '200': names.list })],
    });
  }

  for (const sub of rt.subresources) {
    const subVerbs = new Set<string>(sub.verbs);
    const suffix = sub.name.split('/').map((s) => s[0].toUpperCase() + s.slice(1)).join('');
    const def = names.sub(sub.name);
    const subGVK: GVKExtension = { group: sub.kind.group, version: sub.kind.version, kind: sub.kind.kind };
    const ops: Operation[] = [];
    const id = (verb: string): string => `${verb}${gv}${ns}${rt.kind}${suffix}`;
    if (CONNECT.has(sub.name) || !def) {
      const plain = { '200': '' };
      if (subVerbs.has('get')) ops.push(op('get', CONNECT.has(sub.name) ? 'connect' : 'get', id(CONNECT.has(sub.name) ? 'connectGet' : 'read'), `${sub.name} of ${rt.kind}`, [], plain, undefined, subGVK));
      if (subVerbs.has('create')) ops.push(op('post', CONNECT.has(sub.name) ? 'connect' : 'post', id(CONNECT.has(sub.name) ? 'connectPost' : 'create'), `${sub.name} of ${rt.kind}`, [], plain, undefined, subGVK));
    } else {
      if (subVerbs.has('get')) ops.push(op('get', 'get', id('read'), `read ${sub.name} of the specified ${rt.kind}`, [], { '200': def }, undefined, subGVK));
      if (subVerbs.has('create')) ops.push(op('post', 'post', id('create'), `create ${sub.name} of a ${rt.kind}`, WRITE_PARAMS, { '200': def, '201': def, '202': def }, def, subGVK));
      if (subVerbs.has('update')) ops.push(op('put', 'put', id('replace'), `replace ${sub.name} of the specified ${rt.kind}`, WRITE_PARAMS, { '200': def, '201': def }, def, subGVK));
      if (subVerbs.has('patch')) ops.push(op('patch', 'patch', id('patch'), `partially update ${sub.name} of the specified ${rt.kind}`, PATCH_PARAMS, { '200': def, '201': def }, PATCH, subGVK));
    }
    if (ops.length) out.push({ path: `${item}/${sub.name}`, params: itemParams, ops });
  }
  return out;
}
