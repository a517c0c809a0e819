// Turns a request path + method into what is being asked for, like upstream's RequestInfoFactory
// (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go): verb, API group/version, namespace,
// resource, name, subresource. Non-resource paths (/version, /healthz, /openapi/…) keep only path+verb.

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  /** get | list | watch | create | update | patch | delete | deletecollection (lowercased method for non-resource). */
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** The path segments after the group version (for error messages). */
  parts: string[];
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
  const segments = path.replace(/^\/+|\/+$/g, '').split('/').filter((s) => s !== '');
  if (segments.length === 0) return info;
  const prefix = segments[0]!;
  if (prefix !== 'api' && prefix !== 'apis') return info;
  let rest = segments.slice(1);
  info.apiPrefix = prefix;
  if (prefix === 'apis') {
    // /apis and /apis/<group> are discovery, not resources.
    if (rest.length < 2) return info;
    info.apiGroup = rest[0]!;
    rest = rest.slice(1);
  }
  // /api and /api/v1 alone are discovery.
  if (rest.length < 2) {
    if (rest.length === 1) info.apiVersion = rest[0]!;
    return info;
  }
  info.apiVersion = rest[0]!;
  rest = rest.slice(1);
  info.isResourceRequest = true;

  switch (method) {
    case 'POST':
      info.verb = 'create';
      break;
    case 'GET':
    case 'HEAD':
      info.verb = 'get';
      break;
    case 'PUT':
      info.verb = 'update';
      break;
    case 'PATCH':
      info.verb = 'patch';
      break;
    case 'DELETE':
      info.verb = 'delete';
      break;
    default:
      info.verb = '';
  }
  // Legacy watch paths: /api/v1/watch/namespaces/ns/pods
  if (rest[0] === 'watch' || rest[0] === 'proxy') {
    if (info.verb === 'get' && rest[0] === 'watch') info.verb = 'watch';
    else info.verb = rest[0]!;
    rest = rest.slice(1);
  }
  info.parts = rest;

  if (rest[0] === 'namespaces') {
    if (rest.length > 1) {
      info.namespace = rest[1]!;
      // /namespaces/<ns> and /namespaces/<ns>/status|finalize address the namespace itself.
      if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) rest = rest.slice(2);
    }
  }
  info.resource = rest[0] ?? '';
  info.name = rest[1] ?? '';
  info.subresource = rest[2] ?? '';
  if (info.resource === 'namespaces' && info.name === '' && info.namespace === '' && rest.length === 1) {
    // list of namespaces
  }
  if (info.resource === 'namespaces' && rest.length >= 2 && info.namespace === rest[1]) {
    // the namespace object itself: it is cluster-scoped
    info.namespace = '';
  }
  if (rest.length > 3) info.subresource = rest.slice(2).join('/');

  if (info.name === '') {
    if (info.verb === 'get') info.verb = query.get('watch') === 'true' || query.get('watch') === '1' ? 'watch' : 'list';
    if (info.verb === 'delete') info.verb = 'deletecollection';
  } else if (info.verb === 'get' && (query.get('watch') === 'true' || query.get('watch') === '1')) {
    info.verb = 'watch';
  }
  return info;
}
