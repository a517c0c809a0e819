// grpc probes (upstream pkg/probe/grpc): the standard gRPC Health Checking Protocol
// (grpc.health.v1.Health/Check) over cleartext HTTP/2, with no gRPC library — the request and
// response messages are one optional field each, so the protobuf is encoded by hand:
//   HealthCheckRequest  { string service = 1; }           → 0x0a <len> <utf8>
//   HealthCheckResponse { ServingStatus status = 1; }     → 0x08 <varint>
// Outputs are upstream's: "service unhealthy (responded with \"NOT_SERVING\")", "error: this server
// does not implement the grpc health protocol (grpc.health.v1.Health): …", and for a service that
// cannot be reached "timeout: failed to connect service \"host:port\" within 1s: …" (upstream dials
// with WithBlock, so a refused connection is only ever reported as that timeout).
import http2 from 'node:http2';
import type { ProbeResult } from './probe.js';
import { joinHostPort } from './tcp-probe.js';
import { PROBE_USER_AGENT } from './http-probe.js';

const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];
const CODES = ['OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists', 'PermissionDenied', 'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated'];

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** The length-prefixed gRPC message carrying HealthCheckRequest{service}. */
export function encodeHealthCheckRequest(service: string): Buffer {
  const s = Buffer.from(service, 'utf8');
  const msg = s.length ? Buffer.concat([Buffer.from([0x0a, ...varint(s.length)]), s]) : Buffer.alloc(0);
  const head = Buffer.alloc(5);
  head.writeUInt32BE(msg.length, 1);
  return Buffer.concat([head, msg]);
}

/** ServingStatus from a length-prefixed HealthCheckResponse (0 = UNKNOWN when the field is absent). */
export function decodeHealthCheckResponse(frame: Buffer): number {
  const msg = frame.subarray(5, 5 + (frame.length >= 5 ? frame.readUInt32BE(1) : 0));
  for (let i = 0; i < msg.length; ) {
    const tag = msg[i++]!;
    let v = 0;
    let shift = 0;
    if ((tag & 7) === 0) {
      for (;;) {
        const b = msg[i++] ?? 0;
        v += (b & 0x7f) * 2 ** shift;
        shift += 7;
        if (!(b & 0x80) || i >= msg.length) break;
      }
      if (tag >> 3 === 1) return v;
    } else if ((tag & 7) === 2) {
      let len = 0;
      for (;;) {
        const b = msg[i++] ?? 0;
        len += (b & 0x7f) * 2 ** shift;
        shift += 7;
        if (!(b & 0x80) || i >= msg.length) break;
      }
      i += len;
    } else break; // fixed-width fields do not occur in this message
  }
  return 0;
}

export function grpcProbe(host: string, port: number, service: string, timeoutMs: number): Promise<ProbeResult> {
  const addr = joinHostPort(host, port);
  const within = `${timeoutMs / 1000}s`;
  return new Promise((resolve) => {
    let settled = false;
    let connected = false;
    const session = http2.connect(`http://${addr}`);
    const finish = (r: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.destroy();
      resolve(r);
    };
    const timer = setTimeout(
      () => finish({ result: 'failure', output: connected ? `timeout: health rpc did not complete within ${within}` : `timeout: failed to connect service ${JSON.stringify(addr)} within ${within}: context deadline exceeded` }),
      timeoutMs,
    );
    timer.unref();
    const connectFailed = (): ProbeResult => ({ result: 'failure', output: `timeout: failed to connect service ${JSON.stringify(addr)} within ${within}: context deadline exceeded` });
    session.on('error', () => finish(connectFailed()));
    session.on('connect', () => (connected = true));
    const req = session.request({
      ':method': 'POST',
      ':path': '/grpc.health.v1.Health/Check',
      'content-type': 'application/grpc',
      te: 'trailers',
      'user-agent': PROBE_USER_AGENT,
      'grpc-timeout': `${timeoutMs}m`,
    });
    const chunks: Buffer[] = [];
    let grpcStatus: string | undefined;
    let grpcMessage = '';
    const takeStatus = (h: http2.IncomingHttpHeaders) => {
      if (h['grpc-status'] !== undefined) {
        grpcStatus = String(h['grpc-status']);
        grpcMessage = decodeURIComponent(String(h['grpc-message'] ?? ''));
      }
    };
    req.on('response', (h) => {
      const status = Number(h[':status']);
      if (status !== 200) return finish({ result: 'failure', output: `error: health rpc probe failed: rpc error: code = Unknown desc = unexpected HTTP status code received from server: ${status}` });
      takeStatus(h);
    });
    req.on('trailers', takeStatus);
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', (e) => finish(connected ? { result: 'failure', output: `error: health rpc probe failed: ${e.message}` } : connectFailed()));
    req.on('end', () => {
      const code = Number(grpcStatus ?? 2);
      if (code === 12) return finish({ result: 'failure', output: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${grpcMessage}` });
      if (code === 4) return finish({ result: 'failure', output: `timeout: health rpc did not complete within ${within}` });
      if (code !== 0) return finish({ result: 'failure', output: `error: health rpc probe failed: rpc error: code = ${CODES[code] ?? `Code(${code})`} desc = ${grpcMessage}` });
      const st = decodeHealthCheckResponse(Buffer.concat(chunks));
      if (st !== 1) return finish({ result: 'failure', output: `service unhealthy (responded with ${JSON.stringify(SERVING_STATUS[st] ?? String(st))})` });
      finish({ result: 'success', output: 'service healthy' });
    });
    req.end(encodeHealthCheckRequest(service));
  });
}
