// API errors as Kubernetes `Status` objects (k8s.io/apimachinery/pkg/api/errors). Every failure a
// client can see is a StatusError carrying the exact Status upstream would send: reason, code,
// details (name, group, kind = resource plural, causes) and upstream's message wording.
import type { Status, StatusCause } from 'kubernetes-types/meta/v1.js';
import { type FieldError, errorBody, fieldErrorString } from './field-errors.js';

export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Forbidden'
  | 'Unauthorized'
  | 'BadRequest'
  | 'MethodNotAllowed'
  | 'Gone'
  | 'Expired'
  | 'UnsupportedMediaType'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'TooManyRequests'
  | 'InternalError'
  | 'Timeout'
  | 'ServiceUnavailable';

/** Identifies the resource an error is about: group + resource plural (+ the Kind for Invalid). */
export interface ResourceRef {
  group: string;
  resource: string;
  kind?: string;
}

export class StatusError extends Error {
  readonly status: Status & { code: number };
  constructor(status: Status & { code: number }) {
    super(status.message ?? status.reason ?? 'unknown error');
    this.name = 'StatusError';
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', ...status };
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string | undefined {
    return this.status.reason;
  }
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}

/** `deployments.apps` or `configmaps` — upstream's GroupResource.String(). */
export function qualifiedResource(r: ResourceRef): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

function make(code: number, reason: StatusReason, message: string, details?: Status['details']): StatusError {
  return new StatusError({ status: 'Failure', code, reason, message, ...(details ? { details } : {}) });
}

export const notFound = (r: ResourceRef, name: string) =>
  make(404, 'NotFound', `${qualifiedResource(r)} "${name}" not found`, { name, group: r.group, kind: r.resource });

export const alreadyExists = (r: ResourceRef, name: string) =>
  make(409, 'AlreadyExists', `${qualifiedResource(r)} "${name}" already exists`, { name, group: r.group, kind: r.resource });

export const conflict = (r: ResourceRef, name: string, why: string) =>
  make(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(r)} "${name}": ${why}`, {
    name,
    group: r.group,
    kind: r.resource,
  });

export const OBJECT_MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

/** 422 Invalid: `Deployment.apps "web" is invalid: [a: …, b: …]` with one cause per field error. */
export function invalid(kind: string, group: string, name: string, errs: FieldError[]): StatusError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const joined = errs.length === 1 ? fieldErrorString(errs[0]!) : `[${errs.map(fieldErrorString).join(', ')}]`;
  const causes: StatusCause[] = errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
  return make(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${joined}`, { name, group, kind, causes });
}

export const badRequest = (message: string) => make(400, 'BadRequest', message);
export const unauthorized = (message = 'Unauthorized') => make(401, 'Unauthorized', message);
export const forbidden = (message: string) => make(403, 'Forbidden', message);
export const methodNotAllowed = (message: string) => make(405, 'MethodNotAllowed', message);
export const notAcceptable = (message: string) => make(406, 'NotAcceptable', message);
export const gone = (message: string) => make(410, 'Gone', message);
/** Watch/list from a compacted revision: `too old resource version: 1 (100)`. */
export const expired = (message: string) => make(410, 'Expired', message);
export const requestEntityTooLarge = (message: string) => make(413, 'RequestEntityTooLarge', message);
export const unsupportedMediaType = (message: string) => make(415, 'UnsupportedMediaType', message);
export const tooManyRequests = (message: string) => make(429, 'TooManyRequests', message);
export const internalError = (message: string) =>
  make(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
export const timeout = (message: string) => make(504, 'Timeout', message);
export const serviceUnavailable = (message: string) => make(503, 'ServiceUnavailable', message);
