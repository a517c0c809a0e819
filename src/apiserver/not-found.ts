// The generic 404 upstream answers for unknown paths and resources.
import { StatusError } from '../machinery/errors.js';

export function notFound404(): StatusError {
  return new StatusError({ status: 'Failure', code: 404, reason: 'NotFound', message: 'the server could not find the requested resource', details: {} });
}
