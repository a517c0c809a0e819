// Writes every failure as a Kubernetes Status object (KUBECTL-WIRE §3). Unknown exceptions become a
// 500 InternalError; storage errors that leak this far are mapped to their Status equivalents.
import { StatusError, internalError, isStatusError } from '../machinery/errors.js';
import { StorageError } from '../storage/interface.js';
import type { Response } from './response.js';
import { writeJson } from './response.js';

export function toStatusError(e: unknown): StatusError {
  if (isStatusError(e)) return e;
  if (e instanceof StorageError && e.code === 'Compacted') {
    return new StatusError({ status: 'Failure', code: 410, reason: 'Expired', message: e.message });
  }
  // A write that raced a delete or another write past its retries: the client's answer is 404 / 409.
  if (e instanceof StorageError && e.code === 'KeyNotFound') return new StatusError({ status: 'Failure', code: 404, reason: 'NotFound', message: 'the object has been deleted' });
  if (e instanceof StorageError && e.code === 'RevisionMismatch') {
    return new StatusError({ status: 'Failure', code: 409, reason: 'Conflict', message: 'Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again' });
  }
  const msg = e instanceof Error ? e.message : String(e);
  return internalError(msg);
}

export function writeError(res: Response, e: unknown): void {
  const err = toStatusError(e);
  if (err.code >= 500 && !(isStatusError(e))) console.error('skiff apiserver: internal error:', e);
  const headers: Record<string, string> = {};
  if (err.code === 429) headers['retry-after'] = '1';
  writeJson(res, err.code, err.status, headers);
}
