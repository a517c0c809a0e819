// Writes the admin kubeconfig (<data-dir>/kubeconfig.yaml) that kubectl uses as-is: the cluster's CA
// inline (so TLS is verified, no insecure flags) and the admin client certificate inline (so the file
// is self-contained and can be copied to another machine).
import { isIP } from 'node:net';
import { stringify } from 'yaml';
import { writeFileAtomic } from './files.js';

export interface KubeconfigOptions {
  /** https://host:port the client should dial. */
  server: string;
  caCert: string;
  clientCert: string;
  clientKey: string;
  /** Name used for the cluster, user and context entries. */
  name?: string;
}

const b64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');

/**
 * The URL a local client should use for a server bound to `bindAddress`: wildcard binds are reached
 * over loopback, IPv6 literals need brackets.
 */
export function serverUrl(bindAddress: string, port: number): string {
  let host = bindAddress;
  if (host === '' || host === '0.0.0.0') host = '127.0.0.1';
  else if (host === '::') host = '::1';
  return `https://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

export function renderKubeconfig(opts: KubeconfigOptions): string {
  const name = opts.name ?? 'skiff';
  const user = `${name}-admin`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: opts.server, 'certificate-authority-data': b64(opts.caCert) } }],
    users: [
      { name: user, user: { 'client-certificate-data': b64(opts.clientCert), 'client-key-data': b64(opts.clientKey) } },
    ],
    contexts: [{ name, context: { cluster: name, user, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  }, { lineWidth: 0 });
}

/** Writes the kubeconfig with mode 0600 (it holds the admin's private key). */
export function writeKubeconfig(path: string, opts: KubeconfigOptions): void {
  writeFileAtomic(path, renderKubeconfig(opts), 0o600);
}
