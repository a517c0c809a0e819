// The floor: the least an HTTPS JSON API can do per create — TLS with a verified client certificate,
// read and parse the body, answer 201 with it — without storing anything. Run as its own process
// (like Skiff) by `node dist/bench/lib/floor.js <port> <certdir>`; it prints "ready" when listening.
import { createServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function main(): void {
  const [portArg, dir] = process.argv.slice(2);
  if (!portArg || !dir) throw new Error('usage: floor.js <port> <tls-dir>');
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  const server = createServer(
    { cert: read('server.crt'), key: read('server.key'), ca: read('ca.crt'), requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let status = 201;
        let out: string;
        try {
          const obj = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
          out = JSON.stringify(obj);
        } catch {
          status = 400;
          out = '{"kind":"Status","status":"Failure","code":400}';
        }
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(out);
      });
    },
  );
  server.keepAliveTimeout = 60_000;
  server.listen(Number(portArg), '127.0.0.1', () => process.stdout.write('ready\n'));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

main();
