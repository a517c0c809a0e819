// Tests for ensurePki: files and permissions, chain validity as Node's TLS sees it, SANs, EKUs,
// reuse on later starts, reissue when a host is added or the CA changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, statSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki, pkiPaths } from './ensure-pki.js';
import { EKU } from './certs.js';
import { x509 } from './certs.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'skiff-pki-'));

test('first start creates CA, serving and admin certificates with 0600 keys', async () => {
  const dir = tempDir();
  try {
    const pki = await ensurePki(dir, { hosts: ['192.0.2.10'] });
    const p = pkiPaths(dir);
    for (const key of [p.caKey, p.serverKey, p.adminKey]) assert.equal(statSync(key).mode & 0o777, 0o600, key);
    const ca = new X509Certificate(pki.caCert);
    const server = new X509Certificate(pki.serverCert);
    const admin = new X509Certificate(pki.adminCert);
    assert.equal(ca.ca, true);
    assert.equal(server.ca, false);
    assert.ok(server.verify(ca.publicKey), 'server cert signed by CA');
    assert.ok(admin.verify(ca.publicKey), 'admin cert signed by CA');
    assert.ok(server.checkIssued(ca) && admin.checkIssued(ca));
    // CA lives ~10 years.
    const years = (Date.parse(ca.validTo) - Date.now()) / (365 * 24 * 3600 * 1000);
    assert.ok(years > 9.9 && years < 10.1, `CA validity ${years}y`);
    assert.equal(ca.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('serving certificate SANs and EKUs', async () => {
  const dir = tempDir();
  try {
    const pki = await ensurePki(dir, { hosts: ['192.0.2.10', 'api.example.test'] });
    const server = new X509Certificate(pki.serverCert);
    const table: Array<[string, 'host' | 'ip']> = [
      ['localhost', 'host'],
      ['kubernetes', 'host'],
      ['kubernetes.default', 'host'],
      ['kubernetes.default.svc', 'host'],
      ['kubernetes.default.svc.cluster.local', 'host'],
      ['api.example.test', 'host'],
      ['127.0.0.1', 'ip'],
      ['::1', 'ip'],
      ['10.43.0.1', 'ip'],
      ['192.0.2.10', 'ip'],
    ];
    for (const [name, kind] of table) {
      const ok = kind === 'ip' ? server.checkIP(name) : server.checkHost(name);
      assert.ok(ok, `SAN ${name}`);
    }
    assert.equal(server.checkHost('other.example.test'), undefined);
    const serverEku = new x509.X509Certificate(pki.serverCert).getExtension(x509.ExtendedKeyUsageExtension);
    assert.deepEqual([...(serverEku?.usages ?? [])], [EKU.serverAuth]);
    const admin = new x509.X509Certificate(pki.adminCert);
    assert.deepEqual([...(admin.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [])], [EKU.clientAuth]);
    assert.equal(admin.subject, 'CN=system:admin, O=system:masters');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('later starts reuse the files; a new host reissues only the serving certificate', async () => {
  const dir = tempDir();
  try {
    const first = await ensurePki(dir, { hosts: [] });
    const second = await ensurePki(dir, { hosts: [] });
    assert.deepEqual(second, first);
    const third = await ensurePki(dir, { hosts: ['198.51.100.7'] });
    assert.equal(third.caCert, first.caCert);
    assert.equal(third.adminCert, first.adminCert);
    assert.notEqual(third.serverCert, first.serverCert);
    assert.ok(new X509Certificate(third.serverCert).checkIP('198.51.100.7'));
    // Wildcard bind addresses are not added as SANs (and so do not force a reissue).
    const fourth = await ensurePki(dir, { hosts: ['0.0.0.0', '198.51.100.7'] });
    assert.equal(fourth.serverCert, third.serverCert);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('leaves not signed by the current CA are reissued', async () => {
  const dir = tempDir();
  try {
    const first = await ensurePki(dir, { hosts: [] });
    const other = tempDir();
    const foreign = await ensurePki(other, { hosts: [] });
    rmSync(other, { recursive: true, force: true });
    writeFileSync(pkiPaths(dir).adminCert, foreign.adminCert);
    writeFileSync(pkiPaths(dir).adminKey, foreign.adminKey);
    const again = await ensurePki(dir, { hosts: [] });
    assert.notEqual(again.adminCert, foreign.adminCert);
    assert.ok(new X509Certificate(again.adminCert).checkIssued(new X509Certificate(first.caCert)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
