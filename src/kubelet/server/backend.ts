// What the kubelet's streaming server needs from the rest of the kubelet: finding a pod's container
// on this node (for logs, exec, attach) or the pod's UID (for port-forward), and the runtime calls
// that do the work. The kubelet proper implements it over its pod manager and RuntimeService; tests
// plug in a fake that runs host processes.
import type { RuntimeService } from '../runtime/types.js';

export interface ResolvedContainer {
  containerId: string;
  /** The current CRI-format log file. */
  logPath: string;
  /** The log of the previous (exited) instance, for `--previous`; absent when there is none. */
  previousLogPath?: string;
  running: boolean;
}

export interface StreamingBackend {
  /** Throws StreamingError code 'NotFound' (pod or container unknown here) or 'BadRequest'. */
  resolveContainer(namespace: string, pod: string, container?: string): Promise<ResolvedContainer>;
  resolvePod(namespace: string, pod: string): Promise<{ podUid: string }>;
  runtime: Pick<RuntimeService, 'exec' | 'attach' | 'portForward'>;
}

export type StreamingErrorCode = 'NotFound' | 'BadRequest' | 'Forbidden' | 'Internal';

const HTTP_STATUS: Record<StreamingErrorCode, number> = { NotFound: 404, BadRequest: 400, Forbidden: 403, Internal: 500 };

/** A failure the server answers with an HTTP status and the message as text/plain, as the kubelet does. */
export class StreamingError extends Error {
  constructor(
    readonly code: StreamingErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StreamingError';
  }
  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
}
