// One probe run, as upstream's prober (pkg/kubelet/prober/prober.go + pkg/probe/*): picks the
// handler (exec, httpGet, tcpSocket, grpc), resolves ports and hosts from the container spec and
// the pod IP, and turns every outcome into success or failure with upstream's output text, because
// that text lands verbatim in `Unhealthy` events ("Readiness probe failed: HTTP probe failed with
// statuscode: 503"). A probe never throws: a configuration error (unknown named port) is a failure
// marked `errored`, which upstream reports as "probe errored" instead of "probe failed".
import type { Container, Probe } from 'kubernetes-types/core/v1.js';
import { httpProbe } from './http-probe.js';
import { tcpProbe } from './tcp-probe.js';
import { grpcProbe } from './grpc-probe.js';

export interface ExecResult {
  exitCode: number;
  output: string;
}

export interface ProbeTarget {
  podIP: string;
  container: Container;
  /**
   * Runs argv inside the container (CRI ExecSync). On timeout it should reject with an error whose
   * `code` is 'ETIMEDOUT' (or just not settle: runProbe applies its own deadline too).
   */
  exec(argv: string[], timeoutMs: number): Promise<ExecResult>;
}

export interface ProbeResult {
  result: 'success' | 'failure';
  output: string;
  /** Upstream probe.Warning: counted as success, reported as a `ProbeWarning` event (non-local redirect). */
  warning?: boolean;
  /** Upstream's "probe errored" (bad configuration or runtime error) rather than "probe failed". */
  errored?: boolean;
}

export const DEFAULT_TIMEOUT_SECONDS = 1;
/** Extra time the exec call gets beyond the probe timeout before runProbe gives up on it itself. */
const EXEC_GRACE_MS = 1000;

export const timeoutMsOf = (p: Probe): number => Math.max(1, p.timeoutSeconds || DEFAULT_TIMEOUT_SECONDS) * 1000;

/** IntOrString port → number, as upstream's extractPort (a named port, or a number written as a string). */
export function extractPort(port: number | string, container: Container): number {
  let n: number;
  if (typeof port === 'number') n = port;
  else {
    const named = container.ports?.find((p) => p.name === port);
    if (named) n = named.containerPort;
    else if (/^-?\d+$/.test(port)) n = Number(port);
    else throw new Error(`port ${port} not found`);
  }
  if (n > 0 && n < 65536) return n;
  throw new Error(`invalid port number: ${n}`);
}

/** `$(VAR)` in exec commands expands from the container's literal env (upstream ExpandContainerCommandOnlyStatic). */
export function expandStatic(argv: string[], container: Container): string[] {
  const env = new Map<string, string>();
  for (const e of container.env ?? []) if (e.value !== undefined) env.set(e.name, e.value);
  return argv.map((a) => a.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name?: string) => (m === '$$' ? '$' : env.has(name!) ? env.get(name!)! : m)));
}

async function execProbe(argv: string[], target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  const timedOut = (): ProbeResult => ({ result: 'failure', output: `command ${JSON.stringify(argv.join(' '))} timed out` });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs + EXEC_GRACE_MS);
    timer.unref();
  });
  try {
    const r = await Promise.race([target.exec(argv, timeoutMs), deadline]);
    if (r === 'timeout') return timedOut();
    return { result: r.exitCode === 0 ? 'success' : 'failure', output: r.output };
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ETIMEDOUT') return timedOut();
    return { result: 'failure', output: e instanceof Error ? e.message : String(e), errored: true };
  } finally {
    clearTimeout(timer);
  }
}

export async function runProbe(probe: Probe, target: ProbeTarget): Promise<ProbeResult> {
  const timeoutMs = timeoutMsOf(probe);
  try {
    if (probe.exec) return await execProbe(expandStatic(probe.exec.command ?? [], target.container), target, timeoutMs);
    if (probe.httpGet) {
      const g = probe.httpGet;
      return await httpProbe({
        scheme: (g.scheme ?? 'HTTP').toUpperCase() === 'HTTPS' ? 'https' : 'http',
        host: g.host || target.podIP,
        port: extractPort(g.port, target.container),
        path: g.path ?? '',
        headers: g.httpHeaders ?? [],
        timeoutMs,
      });
    }
    if (probe.tcpSocket) return await tcpProbe(probe.tcpSocket.host || target.podIP, extractPort(probe.tcpSocket.port, target.container), timeoutMs);
    if (probe.grpc) return await grpcProbe(target.podIP, probe.grpc.port, probe.grpc.service ?? '', timeoutMs);
    return { result: 'failure', output: 'missing probe handler', errored: true };
  } catch (e) {
    return { result: 'failure', output: e instanceof Error ? e.message : String(e), errored: true };
  }
}
