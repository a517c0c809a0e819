// Flags of `skiff server`, parsed with node:util parseArgs (help text in usage.ts), and the host
// names the serving certificate must carry for a given bind address. Kept apart from server.ts so
// they are testable without starting anything.
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from './data-dir.js';

export interface ServerFlags {
  dataDir: string;
  port: number;
  bindAddress: string;
  storage: string;
  tlsSans: string[];
}

export function parseServerFlags(args: string[]): ServerFlags | 'help' {
  const { values } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string' },
      'https-port': { type: 'string', default: '6443' },
      'bind-address': { type: 'string', default: '127.0.0.1' },
      storage: { type: 'string' },
      'tls-san': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const port = Number(values['https-port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --https-port: ${values['https-port']}`);
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  return {
    dataDir,
    port,
    bindAddress: values['bind-address']!,
    storage: values.storage ?? `sqlite://${join(dataDir, 'state.db')}`,
    tlsSans: values['tls-san'] ?? [],
  };
}

/** Serving-certificate hosts for a bind address: a wildcard bind means every local address. */
export function servingHosts(bindAddress: string, extra: string[]): string[] {
  const hosts = [bindAddress, ...extra];
  if (bindAddress === '0.0.0.0' || bindAddress === '::') {
    for (const addrs of Object.values(networkInterfaces())) for (const a of addrs ?? []) hosts.push(a.address);
  }
  return hosts;
}
