// Table tests for `$(VAR)` expansion, cases taken from upstream expand_test.go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expand, mappingFuncFor } from './expansion.js';

test('expand follows upstream escaping and unknown-reference rules', () => {
  const m = mappingFuncFor({ VAR_A: 'A', VAR_B: 'B', VAR_C: 'C', VAR_REF: '$(VAR_A)', VAR_EMPTY: '' }, new Map([['X', 'x2']]));
  const cases: Array<[string, string]> = [
    ['$(VAR_A)', 'A'],
    ['___$(VAR_B)___', '___B___'],
    ['$(VAR_A)-$(VAR_A)', 'A-A'],
    ['$(VAR_A)$(VAR_B)$(VAR_C)', 'ABC'],
    ['$(VAR_REF)', '$(VAR_A)'], // no recursive expansion
    ['$(VAR_EMPTY)', ''],
    ['$(X)', 'x2'],
    ['$(UNKNOWN)', '$(UNKNOWN)'],
    ['$$(VAR_A)', '$(VAR_A)'], // escaped
    ['$$$(VAR_A)', '$A'],
    ['$$$$(VAR_A)', '$$(VAR_A)'],
    ['$(VAR_A', '$(VAR_A'], // unterminated
    ['$VAR_A', '$VAR_A'],
    ['foo$', 'foo$'],
    ['$', '$'],
    ['$()', '$()'],
    ['f00__(VAR_A)__', 'f00__(VAR_A)__'],
    ['$(VAR_A)$', 'A$'],
    ['héllo $(VAR_B) wörld', 'héllo B wörld'],
  ];
  for (const [input, want] of cases) assert.equal(expand(input, m), want, input);
});
