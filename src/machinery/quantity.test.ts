// Table tests for resource.Quantity: canonical forms (upstream's quantity_test cases), values,
// comparison and the parse errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ERR_FORMAT_WRONG,
  ERR_SUFFIX,
  QuantityError,
  canonicalQuantity,
  isValidQuantity,
  parseQuantity,
  parseQuantityJson,
} from './quantity.js';

test('canonical form', () => {
  const cases: Array<[string, string]> = [
    ['0', '0'],
    ['0n', '0'],
    ['0u', '0'],
    ['0m', '0'],
    ['0Ki', '0'],
    ['0k', '0'],
    ['-0', '0'],
    ['00', '0'],
    ['1', '1'],
    ['+1', '1'],
    ['-1', '-1'],
    ['0.5', '500m'],
    ['.5', '500m'],
    ['1.5', '1500m'],
    ['0.1', '100m'],
    ['100m', '100m'],
    ['1000m', '1'],
    ['1500m', '1500m'],
    ['0.001', '1m'],
    ['0.0001', '100u'],
    ['1n', '1n'],
    ['0.1n', '1n'], // rounded up to the smallest representable amount
    ['0.0000000001', '1n'],
    ['-0.0000000001', '-1n'],
    ['1.0000000001', '1000000001n'],
    ['1k', '1k'],
    ['1000', '1k'],
    ['1200', '1200'],
    ['12000', '12k'],
    ['1M', '1M'],
    ['1.5M', '1500k'],
    ['0.1M', '100k'],
    ['1G', '1G'],
    ['1000E', '1000E'],
    ['1E', '1E'],
    ['1Ki', '1Ki'],
    ['1024', '1024'],
    ['1024Ki', '1Mi'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'],
    ['1.5Ki', '1536'],
    ['0.5Ki', '512'],
    ['0.5Mi', '512Ki'],
    ['1023Ki', '1023Ki'],
    ['128974848', '128974848'],
    ['129e6', '129e6'],
    ['129M', '129M'],
    ['123Mi', '123Mi'],
    ['1e3', '1e3'],
    ['1E3', '1e3'],
    ['1e+3', '1e3'],
    ['1e-3', '1e-3'],
    ['1e1', '10'],
    ['1.5e3', '1500'],
    ['12e2', '1200'],
    ['100e-2', '1'],
    ['1e0', '1'],
    ['-1e3', '-1e3'],
    ['1.', '1'],
    ['.', '0'],
    // Upstream's scanner is lenient: a bare suffix or sign parses as zero.
    ['Ki', '0'],
    ['+', '0'],
    ['-', '0'],
    ['1Ei', '1Ei'],
    ['8Ei', '9223372036854775807'], // binary values cap at 2^63-1
    ['0.000001Ki', '1024u'], // 0.000001 × 1024 = 0.001024: below 1, so decimal
  ];
  for (const [input, want] of cases) {
    assert.equal(parseQuantity(input).toString(), want, input);
  }
});

test('values, milli values and format', () => {
  const cases: Array<[string, number, number, string]> = [
    ['1', 1, 1000, 'DecimalSI'],
    ['100m', 1, 100, 'DecimalSI'], // value rounds up
    ['1500m', 2, 1500, 'DecimalSI'],
    ['-1500m', -2, -1500, 'DecimalSI'], // away from zero
    ['1n', 1, 1, 'DecimalSI'],
    ['1Ki', 1024, 1024000, 'BinarySI'],
    ['1Mi', 1048576, 1048576000, 'BinarySI'],
    ['2Gi', 2147483648, 2147483648000, 'BinarySI'],
    ['1e3', 1000, 1000000, 'DecimalExponent'],
    ['0.5m', 1, 1, 'DecimalSI'],
  ];
  for (const [input, value, milli, format] of cases) {
    const q = parseQuantity(input);
    assert.equal(q.value(), value, `${input} value`);
    assert.equal(q.milliValue(), milli, `${input} milli`);
    assert.equal(q.format, format, `${input} format`);
  }
  assert.equal(parseQuantity('8Ei').valueBig(), (1n << 63n) - 1n);
  assert.equal(parseQuantity('1E').valueBig(), 10n ** 18n);
  assert.equal(parseQuantity('1e2000000000').valueBig(), (1n << 63n) - 1n); // clamped, not expanded
  assert.equal(parseQuantity('-1e30').valueBig(), -((1n << 63n) - 1n));
  assert.equal(parseQuantity('9e18').valueBig(), 9n * 10n ** 18n);
  assert.equal(parseQuantity('250m').asApproximateFloat64(), 0.25);
});

test('cmp', () => {
  const cases: Array<[string, string, -1 | 0 | 1]> = [
    ['1', '1000m', 0],
    ['1Ki', '1024', 0],
    ['1k', '1Ki', -1],
    ['1Gi', '1G', 1],
    ['500m', '0.5', 0],
    ['-1', '1', -1],
    ['0', '-0.1', 1],
    ['0', '0Ki', 0],
    ['1e100000', '1e99999', 1],
    ['-1e100000', '-1e99999', -1],
    ['1e-5', '10u', 0],
    ['999m', '1', -1],
    ['129e6', '129M', 0],
  ];
  for (const [a, b, want] of cases) {
    assert.equal(parseQuantity(a).cmp(parseQuantity(b)), want, `${a} vs ${b}`);
    assert.equal(parseQuantity(b).cmp(parseQuantity(a)), (want === 0 ? 0 : -want), `${b} vs ${a}`);
  }
});

test('invalid quantities', () => {
  const cases: Array<[string, string]> = [
    ['', ERR_FORMAT_WRONG],
    ['1.1.M', ERR_FORMAT_WRONG],
    ['1+1.0M', ERR_FORMAT_WRONG],
    ['aoeu', ERR_FORMAT_WRONG],
    [' 1', ERR_FORMAT_WRONG],
    ['1 ', ERR_FORMAT_WRONG],
    ['1 Gi', ERR_FORMAT_WRONG],
    ['100MB', ERR_FORMAT_WRONG],
    ['0.1mi', ERR_SUFFIX],
    ['0.1am', ERR_FORMAT_WRONG],
    ['.5i', ERR_SUFFIX],
    ['1i', ERR_SUFFIX],
    ['-3.01i', ERR_SUFFIX],
    ['-3.01e-', ERR_SUFFIX],
    ['1KI', ERR_FORMAT_WRONG],
    ['1K', ERR_SUFFIX],
    ['1mm', ERR_SUFFIX],
    ['1e99999999999999999999', ERR_SUFFIX],
  ];
  for (const [input, msg] of cases) {
    assert.throws(() => parseQuantity(input), (e: unknown) => e instanceof QuantityError && e.message === msg, input);
    assert.equal(isValidQuantity(input), false, input);
  }
  for (const ok of ['1', '100m', '1Gi', '1e3', '0.5', '-1']) assert.equal(isValidQuantity(ok), true, ok);
});

test('parseQuantityJson and canonicalQuantity', () => {
  const cases: Array<[unknown, string]> = [
    [1, '1'],
    [0.5, '500m'],
    [1e21, '1e21'],
    [' 1Gi ', '1Gi'],
    ['2048Mi', '2Gi'],
  ];
  for (const [input, want] of cases) assert.equal(parseQuantityJson(input).toString(), want, String(input));
  for (const bad of [null, true, {}, Number.NaN]) assert.throws(() => parseQuantityJson(bad), QuantityError);
  assert.equal(canonicalQuantity('0.25'), '250m');
  assert.equal(canonicalQuantity('x'), undefined);
  assert.equal(JSON.stringify({ cpu: parseQuantity('0.1') }), '{"cpu":"100m"}');
});
