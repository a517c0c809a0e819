// Tests for the authenticators, the token file and the allow-all authorizer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStatusError } from '../../machinery/errors.js';
import { x509Authenticator } from './x509.js';
import { staticTokenAuthenticator, bearerToken } from './static-token.js';
import { parseTokenFile, formatTokenLine, ensureTokenFile, parseCsvRecord } from './token-file.js';
import { alwaysAllow } from './always-allow.js';

const is401 = (e: unknown) => isStatusError(e) && e.status.code === 401;

test('x509: user is the CN, groups are the O list plus system:authenticated', () => {
  const a = x509Authenticator();
  assert.deepEqual(a.authenticate({ headers: {}, clientCert: { subjectCN: 'system:admin', subjectO: ['system:masters'] } }), {
    name: 'system:admin',
    groups: ['system:masters', 'system:authenticated'],
  });
  assert.deepEqual(a.authenticate({ headers: {}, clientCert: { subjectCN: 'alice', subjectO: [] } })?.groups, ['system:authenticated']);
  assert.equal(a.authenticate({ headers: {} }), undefined);
  assert.throws(() => a.authenticate({ headers: {}, clientCert: { subjectCN: '', subjectO: [] } }), is401);
});

test('bearerToken parses the Authorization header', () => {
  const table: Array<[string | string[] | undefined, string | undefined]> = [
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER   abc  ', 'abc'],
    [['Bearer first', 'Bearer second'], 'first'],
    ['Basic dXNlcjpwYXNz', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    [undefined, undefined],
  ];
  for (const [header, want] of table) assert.equal(bearerToken({ authorization: header }), want, String(header));
});

test('static tokens: known token → user; unknown → 401; none → not ours', () => {
  const a = staticTokenAuthenticator([{ token: 't0k', user: 'admin', uid: 'u1', groups: ['system:masters'] }]);
  assert.deepEqual(a.authenticate({ headers: { authorization: 'Bearer t0k' } }), {
    name: 'admin',
    uid: 'u1',
    groups: ['system:masters', 'system:authenticated'],
  });
  assert.throws(() => a.authenticate({ headers: { authorization: 'Bearer nope' } }), is401);
  assert.throws(() => a.authenticate({ headers: { authorization: 'Bearer t0' } }), is401);
  assert.equal(a.authenticate({ headers: {} }), undefined);
  // Returned users are copies: a caller mutating groups does not affect the next request.
  a.authenticate({ headers: { authorization: 'Bearer t0k' } })!.groups.push('x');
  assert.equal(a.authenticate({ headers: { authorization: 'Bearer t0k' } })!.groups.length, 2);
});

test('CSV records', () => {
  const table: Array<[string, string[]]> = [
    ['a,b,c', ['a', 'b', 'c']],
    ['a,b,c,"g1,g2"', ['a', 'b', 'c', 'g1,g2']],
    ['a,"b ""q""",c', ['a', 'b "q"', 'c']],
    ['a,,c', ['a', '', 'c']],
  ];
  for (const [line, want] of table) assert.deepEqual(parseCsvRecord(line), want, line);
  assert.throws(() => parseCsvRecord('a,"b'));
});

test('token file parsing', () => {
  const entries = parseTokenFile('# comment\n\ntok1,alice,1\ntok2,bob,2,"dev, ops"\ntok1,carol,3\n');
  assert.deepEqual(entries, [
    { token: 'tok1', user: 'carol', uid: '3', groups: [] },
    { token: 'tok2', user: 'bob', uid: '2', groups: ['dev', 'ops'] },
  ]);
  assert.throws(() => parseTokenFile('tok,alice\n'), /at least 3 columns/);
  assert.throws(() => parseTokenFile(',alice,1\n'), /empty token/);
  const line = formatTokenLine({ token: 't', user: 'admin', uid: 'admin', groups: ['system:masters', 'x'] });
  assert.equal(line, 't,admin,admin,"system:masters,x"');
  assert.deepEqual(parseTokenFile(line), [{ token: 't', user: 'admin', uid: 'admin', groups: ['system:masters', 'x'] }]);
});

test('ensureTokenFile creates the admin token once (0600) and reuses it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-tokens-'));
  try {
    const path = join(dir, 'tokens.csv');
    const admin = { user: 'admin', uid: 'admin', groups: ['system:masters'] };
    const first = ensureTokenFile(path, admin);
    assert.match(first.adminToken ?? '', /^[0-9a-f]{64}$/);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.match(readFileSync(path, 'utf8'), /^[0-9a-f]{64},admin,admin,"system:masters"\n$/);
    const second = ensureTokenFile(path, admin);
    assert.equal(second.adminToken, first.adminToken);
    assert.equal(second.entries.length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('alwaysAllow allows everything', () => {
  const user = { name: 'u', groups: [] };
  assert.deepEqual(alwaysAllow.authorize({ user, verb: 'delete', resource: 'pods', namespace: 'x' }), { allowed: true });
  assert.deepEqual(alwaysAllow.authorize({ user, verb: 'get', path: '/healthz' }), { allowed: true });
});
