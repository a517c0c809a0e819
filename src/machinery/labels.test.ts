// Table tests for label selectors: grammar, canonical strings, matching, upstream error texts, and
// metav1.LabelSelector conversion (nil matches nothing, {} matches everything).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Selector,
  formatLabelSelector,
  isQualifiedName,
  isValidLabelValue,
  labelSelectorAsString,
  parseLabelSelector,
  selectorFromLabelSelector,
  selectorFromSet,
} from './labels.js';
import { StatusError } from './errors.js';

test('parseLabelSelector: canonical string and requirements', () => {
  const cases: Array<[string, string]> = [
    ['', ''],
    ['a=b', 'a=b'],
    ['a==b', 'a==b'],
    ['a!=b', 'a!=b'],
    ['  a = b  ', 'a=b'],
    ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
    ['z=c,x=a', 'x=a,z=c'], // sorted by key
    ['a', 'a'],
    ['!a', '!a'],
    ['! a', '!a'],
    ['a in (x,y)', 'a in (x,y)'],
    ['a in (y,x,y)', 'a in (x,y)'], // set: sorted, de-duplicated
    ['a notin (x, y)', 'a notin (x,y)'],
    ['a in (x),b', 'a in (x),b'],
    ['env in (prod,qa),tier notin (fe),!legacy,app', 'app,env in (prod,qa),!legacy,tier notin (fe)'],
    ['a=', 'a='], // empty value
    ['a=,b=c', 'a=,b=c'],
    ['a in ()', 'a in ()'],
    ['a in (,x)', 'a in (,x)'],
    ['a in (x,)', 'a in (,x)'],
    ['a in (x,,y)', 'a in (,x,y)'],
    ['a>1', 'a>1'],
    ['a<5', 'a<5'], // negative numbers fail label-value syntax, as upstream,
    ['example.com/app=web', 'example.com/app=web'],
    ['a=in', 'a=in'], // keywords are plain values in value position
    ['a in (in,notin)', 'a in (in,notin)'],
    ['app.kubernetes.io/name=my_app.v1-2', 'app.kubernetes.io/name=my_app.v1-2'],
  ];
  for (const [input, want] of cases) {
    assert.equal(parseLabelSelector(input).toString(), want, input);
  }
  assert.deepEqual(parseLabelSelector('a in (y,x)').requirements, [{ key: 'a', operator: 'In', values: ['x', 'y'] }]);
  assert.deepEqual(parseLabelSelector('!a').requirements, [{ key: 'a', operator: 'DoesNotExist', values: [] }]);
  assert.deepEqual(parseLabelSelector('a>7').requirements, [{ key: 'a', operator: 'Gt', values: ['7'] }]);
  assert.equal(parseLabelSelector('').empty(), true);
  assert.equal(parseLabelSelector('a').empty(), false);
});

test('parseLabelSelector: matching', () => {
  const labels = { app: 'web', tier: 'fe', n: '10', empty: '' };
  const cases: Array<[string, Record<string, string> | undefined, boolean]> = [
    ['', labels, true],
    ['', undefined, true],
    ['app=web', labels, true],
    ['app==web', labels, true],
    ['app=db', labels, false],
    ['app!=db', labels, true],
    ['app!=web', labels, false],
    ['missing!=x', labels, true], // != matches absent keys
    ['missing=x', labels, false],
    ['app in (db,web)', labels, true],
    ['app in (db)', labels, false],
    ['app notin (db)', labels, true],
    ['app notin (web)', labels, false],
    ['missing notin (web)', labels, true],
    ['app', labels, true],
    ['missing', labels, false],
    ['!missing', labels, true],
    ['!app', labels, false],
    ['empty=', labels, true],
    ['empty', labels, true],
    ['app=web,tier=fe', labels, true],
    ['app=web,tier=be', labels, false],
    ['n>9', labels, true],
    ['n>10', labels, false],
    ['n<11', labels, true],
    ['app>1', labels, false], // non-integer label value never matches Gt/Lt
    ['missing<5', labels, false],
    ['app', undefined, false],
    ['!app', undefined, true],
  ];
  for (const [sel, l, want] of cases) {
    assert.equal(parseLabelSelector(sel).matches(l), want, `${sel} vs ${JSON.stringify(l)}`);
  }
});

test('parseLabelSelector: errors are 400 BadRequest with upstream wording', () => {
  const nameRe = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  const valueRe =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
  const cases: Array<[string, string]> = [
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a=b,', "found '', expected: identifier after ','"],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['=a', "found '=', expected: !, identifier, or 'end of string'"],
    ['a in x', "unable to parse requirement: found 'x' expected: '('"],
    ['a in (x', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a in (x y)', "unable to parse requirement: found 'y', expected: ',' or ')'"],
    ['a in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['a=(', "unable to parse requirement: found '(', expected: identifier"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['!=a', "found '!=', expected: !, identifier, or 'end of string'"],
    ['-a=b', `unable to parse requirement: <nil>: Invalid value: "-a": ${nameRe}`],
    ['a=-b', `unable to parse requirement: values[0][a]: Invalid value: "-b": ${valueRe}`],
    ['a>x', `unable to parse requirement: values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['a/b/c', "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"],
    [`a=${'x'.repeat(64)}`, `unable to parse requirement: values[0][a]: Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`],
  ];
  for (const [input, msg] of cases) {
    assert.throws(
      () => parseLabelSelector(input),
      (e: unknown) => e instanceof StatusError && e.code === 400 && e.reason === 'BadRequest' && e.message === msg,
      `${input}: ${(() => {
        try {
          parseLabelSelector(input);
          return 'no error';
        } catch (e) {
          return (e as Error).message;
        }
      })()}`,
    );
  }
});

test('isQualifiedName / isValidLabelValue', () => {
  const keys: Array<[string, number]> = [
    ['app', 0],
    ['app.kubernetes.io/name', 0],
    ['A_b.c-D', 0],
    ['/a', 1],
    ['Example.com/a', 1],
    ['a/', 2], // empty name + regex
    [`${'a'.repeat(64)}`, 1],
    [`${'a'.repeat(254)}/x`, 1],
    ['a_', 1],
  ];
  for (const [k, n] of keys) assert.equal(isQualifiedName(k).length, n, k);
  const values: Array<[string, number]> = [
    ['', 0],
    ['v1.2_x-y', 0],
    ['-x', 1],
    ['x'.repeat(63), 0],
    ['x'.repeat(64), 1],
    ['a b', 1],
  ];
  for (const [v, n] of values) assert.equal(isValidLabelValue(v).length, n, v);
});

test('selectorFromLabelSelector and labelSelectorAsString', () => {
  assert.equal(selectorFromLabelSelector(undefined).matches({ a: 'b' }), false);
  assert.equal(selectorFromLabelSelector(null).matches({}), false);
  assert.equal(selectorFromLabelSelector(null).empty(), false);
  assert.equal(selectorFromLabelSelector({}).matches({ a: 'b' }), true);
  assert.equal(selectorFromLabelSelector({}).matches(undefined), true);
  assert.equal(selectorFromLabelSelector({ matchLabels: {}, matchExpressions: [] }).empty(), true);

  const ls = {
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['b', 'a'] },
      { key: 'legacy', operator: 'DoesNotExist' },
      { key: 'env', operator: 'NotIn', values: ['dev'] },
      { key: 'team', operator: 'Exists' },
    ],
  };
  const s = selectorFromLabelSelector(ls);
  assert.equal(s.toString(), 'app=web,env notin (dev),!legacy,team,tier in (a,b)');
  assert.equal(labelSelectorAsString(ls), 'app=web,env notin (dev),!legacy,team,tier in (a,b)');
  const rows: Array<[Record<string, string>, boolean]> = [
    [{ app: 'web', tier: 'a', team: 'x' }, true],
    [{ app: 'web', tier: 'c', team: 'x' }, false],
    [{ app: 'web', tier: 'a', team: 'x', legacy: '' }, false],
    [{ app: 'web', tier: 'a', team: 'x', env: 'dev' }, false],
    [{ app: 'web', tier: 'a' }, false],
  ];
  for (const [l, want] of rows) assert.equal(s.matches(l), want, JSON.stringify(l));

  assert.equal(labelSelectorAsString({}), '');
  assert.equal(labelSelectorAsString(undefined), '');
  assert.equal(formatLabelSelector({}), '<none>');
  assert.equal(formatLabelSelector(undefined), '<none>');
  assert.equal(formatLabelSelector({ matchLabels: { a: 'b' } }), 'a=b');
  assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Foo' }] }), '<error>');

  assert.throws(
    () => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Foo' }] }),
    (e: unknown) => e instanceof StatusError && e.message === '"Foo" is not a valid label selector operator',
  );
  assert.throws(
    () => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }),
    (e: unknown) => e instanceof StatusError && /values set can't be empty/.test(e.message),
  );
});

test('selectorFromSet and Selector statics', () => {
  assert.equal(selectorFromSet({ b: '2', a: '1' }).toString(), 'a=1,b=2');
  assert.equal(selectorFromSet({ a: '1' }).matches({ a: '1', c: '3' }), true);
  assert.equal(selectorFromSet(undefined).empty(), true);
  assert.equal(Selector.nothing().matches({}), false);
  assert.equal(Selector.nothing().isNothing(), true);
  assert.equal(Selector.everything().matches({ x: 'y' }), true);
});
