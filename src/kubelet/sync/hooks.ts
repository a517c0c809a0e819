// Container lifecycle hooks (upstream kuberuntime lifecycle/handlers.go): postStart runs right after
// the container starts, preStop before it is stopped; each is an exec in the container, an HTTP GET
// against the pod, or a sleep. A failed postStart kills the container (FailedPostStartHook); a failed
// preStop is reported (FailedPreStopHook) and the stop goes on.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Container, LifecycleHandler, Pod } from 'kubernetes-types/core/v1.js';
import type { RuntimeService } from '../runtime/types.js';
import { formatPod } from '../context.js';

async function execHook(runtime: RuntimeService, id: string, argv: string[], timeoutMs: number): Promise<{ code: number; output: string }> {
  const s = await runtime.exec(id, argv, { tty: false, stdin: false, timeoutMs });
  const chunks: Buffer[] = [];
  s.stdout.on('data', (c: Buffer) => chunks.push(c));
  s.stderr?.on('data', (c: Buffer) => chunks.push(c));
  const code = await s.exit;
  return { code, output: Buffer.concat(chunks).toString('utf8') };
}

function resolvePort(c: Container, port: number | string | undefined): number {
  if (typeof port === 'number') return port;
  const named = c.ports?.find((p) => p.name === port);
  if (named) return named.containerPort;
  const n = Number(port);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`couldn't find port: ${String(port)} in container ${c.name}`);
  return n;
}

function httpHook(h: NonNullable<LifecycleHandler['httpGet']>, c: Container, podIP: string, timeoutMs: number): Promise<void> {
  const port = resolvePort(c, h.port);
  const host = h.host || podIP;
  const scheme = (h.scheme ?? 'HTTP').toLowerCase();
  const headers: Record<string, string> = { 'user-agent': 'kube-lifecycle/1.31' };
  for (const x of h.httpHeaders ?? []) headers[x.name.toLowerCase()] = x.value;
  const doRequest = scheme === 'https' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = doRequest({ host, port, path: h.path || '/', method: 'GET', headers, timeout: timeoutMs, rejectUnauthorized: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      if (code >= 200 && code < 400) resolve();
      else reject(new Error(`HTTP lifecycle hook (${h.path ?? '/'}) for Container "${c.name}" failed - error: HTTP ${code}`));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Runs one hook; resolves '' on success or the failure message. */
export async function runHook(runtime: RuntimeService, pod: Pod, c: Container, containerId: string, h: LifecycleHandler, podIP: string, timeoutMs: number): Promise<string> {
  try {
    if (h.exec?.command?.length) {
      const { code, output } = await execHook(runtime, containerId, h.exec.command, timeoutMs);
      // As upstream: the command as Go prints a []string, the CRI's exit error, the output quoted.
      const cmd = h.exec.command.join(' ');
      if (code !== 0) return `Exec lifecycle hook ([${cmd}]) for Container "${c.name}" in Pod "${formatPod(pod)}" failed - error: command '${cmd}' exited with ${code}: ${output}, message: ${JSON.stringify(output)}`;
    } else if (h.httpGet) {
      await httpHook(h.httpGet, c, podIP, timeoutMs);
    } else if (h.sleep) {
      await new Promise((r) => setTimeout(r, Math.min(h.sleep!.seconds * 1000, timeoutMs)));
    }
    return '';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
