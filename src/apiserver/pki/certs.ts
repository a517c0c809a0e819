// Certificate generation for Skiff's own small PKI: one self-signed CA and the leaf certificates it
// signs (the API server's serving certificate, client certificates such as the admin's). ECDSA P-256
// keys through Node's WebCrypto and @peculiar/x509; everything is returned as PEM so the files on disk
// are what Node's TLS stack and kubectl both read. Pure apart from randomness: no file I/O here.
// @peculiar/x509 resolves its algorithms through tsyringe, which needs a Reflect metadata polyfill
// loaded before it.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

export { x509 };
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const EC_KEY: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const DAY_MS = 24 * 60 * 60 * 1000;

/** OIDs of the extended key usages we issue. */
export const EKU = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' } as const;

export interface KeyPairPem {
  cert: string;
  key: string;
}

export interface LeafSpec {
  /** Subject common name (for client certificates: the user name). */
  commonName: string;
  /** Subject organizations (for client certificates: the groups). */
  organizations?: string[];
  /** DNS names and IP addresses for the subjectAltName extension (serving certificates). */
  hosts?: string[];
  usage: 'server' | 'client';
  validDays: number;
}

/**
 * A random positive serial number. Go (kubectl) rejects negative serials, and a random 16-byte value
 * has its top bit set half of the time, so clear it (and keep the first byte non-zero for DER).
 */
function serialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}

/** Builds an X.500 name string, escaping the characters RFC 4514 reserves. */
function distinguishedName(cn: string, orgs: string[] = []): string {
  const esc = (v: string) => v.replace(/([,+"\\<>;=])/g, '\\$1');
  return [`CN=${esc(cn)}`, ...orgs.map((o) => `O=${esc(o)}`)].join(', ');
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** Imports a PEM PKCS#8 ECDSA P-256 private key for signing. */
export async function importSigningKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return webcrypto.subtle.importKey('pkcs8', der, EC_KEY, true, ['sign']);
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  // Backdate by an hour so a slightly slow client clock does not reject a fresh certificate.
  const now = Date.now();
  return { notBefore: new Date(now - 60 * 60 * 1000), notAfter: new Date(now + days * DAY_MS) };
}

/** Creates a self-signed CA certificate and its key. */
export async function createCa(commonName: string, validDays: number): Promise<KeyPairPem> {
  const keys = (await webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: distinguishedName(commonName),
    ...validity(validDays),
    keys,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await exportKeyPem(keys.privateKey) };
}

/** Creates a leaf certificate signed by the CA. */
export async function createLeaf(ca: KeyPairPem, spec: LeafSpec): Promise<KeyPairPem> {
  const caCert = new x509.X509Certificate(ca.cert);
  const caKey = await importSigningKey(ca.key);
  const keys = (await webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify'])) as CryptoKeyPair;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([spec.usage === 'server' ? EKU.serverAuth : EKU.clientAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(caCert),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  const hosts = [...new Set(spec.hosts ?? [])];
  if (hosts.length > 0) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        hosts.map((h) => (isIP(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h })),
      ),
    );
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: distinguishedName(spec.commonName, spec.organizations),
    issuer: caCert.subject,
    ...validity(spec.validDays),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: SIGNING,
    extensions,
  });
  return { cert: cert.toString('pem'), key: await exportKeyPem(keys.privateKey) };
}

/** What ensurePki needs to know about an existing certificate to decide whether to reissue it. */
export interface CertFacts {
  notAfter: Date;
  hosts: string[];
  issuerMatches: boolean;
}

/** Reads expiry, SAN hosts and whether `caPem` issued it (by name and signature). */
export async function certFacts(certPem: string, caPem: string): Promise<CertFacts> {
  const cert = new x509.X509Certificate(certPem);
  const ca = new x509.X509Certificate(caPem);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const hosts = (san?.names.items ?? []).filter((n) => n.type === 'dns' || n.type === 'ip').map((n) => n.value);
  const issuerMatches = cert.issuer === ca.subject && (await cert.verify({ publicKey: ca.publicKey, signatureOnly: true }));
  return { notAfter: cert.notAfter, hosts, issuerMatches };
}
