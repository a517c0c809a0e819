// What every REST handler receives: the parsed request, the resolved resource type and its store,
// the authenticated user, and helpers shared by handlers (write options from the query: dryRun,
// fieldManager, fieldValidation; warnings collected into `Warning:` headers).
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import type { ResourceType } from '../../api/resource-type.js';
import type { UserInfo } from '../auth/types.js';
import type { RequestInfo } from '../request-info.js';
import type { Response } from '../response.js';
import type { GenericStore } from '../generic-store.js';
import type { OutputMode } from '../negotiation.js';
import { badRequest } from '../../machinery/errors.js';

export interface HandlerContext {
  req: IncomingMessage | Http2ServerRequest;
  res: Response;
  query: URLSearchParams;
  info: RequestInfo;
  user: UserInfo;
  rt: ResourceType;
  store: GenericStore;
  /** Stores of every type, for handlers that touch another type (e.g. eviction deleting pods). */
  storeFor(group: string, version: string, plural: string): GenericStore | undefined;
  output: OutputMode;
  /** Resolves when the client goes away (watch streams end then). */
  closed: Promise<void>;
  warnings: string[];
  /** Repeated keys found in the JSON body (reported by field validation like unknown fields). */
  duplicateFields?: string[];
  now(): Date;
  bookmarkIntervalMs?: number;
  /** The API server's client certificate for kubelets (pods/log, exec, attach, portforward). */
  kubeletClient?: { cert: string; key: string };
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidation(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`);
}

export function isDryRun(values: string[] | undefined): boolean {
  if (!values || values.length === 0) return false;
  for (const v of values) {
    if (v !== 'All') throw badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  }
  return true;
}

export function dryRunFromQuery(q: URLSearchParams): boolean {
  return isDryRun(q.getAll('dryRun'));
}

/** Warning header values as upstream: `299 - "message"`. */
export function warningHeaders(ctx: HandlerContext): Record<string, string> {
  if (ctx.warnings.length === 0) return {};
  return { warning: ctx.warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') };
}
