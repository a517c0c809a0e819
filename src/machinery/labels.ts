// Label selectors as upstream k8s.io/apimachinery/pkg/labels: the string grammar used by `?labelSelector=`
// and `kubectl -l` (`k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, `k>1`, `k<1`), the
// structured metav1.LabelSelector of workloads (matchLabels + matchExpressions), matching, and the
// canonical string form. Parse errors carry upstream's wording (`unable to parse requirement: …`) and are
// thrown as 400 BadRequest StatusErrors. Also exports the label key/value syntax checks (upstream
// util/validation IsQualifiedName / IsValidLabelValue) so validation can share them.
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { badRequest } from './errors.js';
import { formatValue } from './field-errors.js';

export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | '=' | '==' | '!=' | 'Gt' | 'Lt';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

// ---- syntax checks (upstream k8s.io/apimachinery/pkg/util/validation) ----

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

/** Upstream's RegexError: `msg (e.g. 'a',  or 'b', regex used for validation is '…')`. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}
export const maxLenError = (n: number) => `must be no more than ${n} characters`;
export const EMPTY_ERROR = 'must be non-empty';

export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

/** Label keys, annotation keys, finalizer names: `[prefix/]name`, prefix a DNS subdomain, name ≤ 63. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push(`prefix part ${EMPTY_ERROR}`);
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push(`name part ${EMPTY_ERROR}`);
  else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!QUALIFIED_NAME_RE.test(name)) errs.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!LABEL_VALUE_RE.test(value)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

// ---- requirements ----

const invalidText = (path: string, value: unknown, detail: string) => `${path}: Invalid value: ${formatValue(value)}: ${detail}`;
const INT64_RE = /^[+-]?\d+$/;

/**
 * Upstream NewRequirement: checks arity per operator and the syntax of key and values; returns the
 * requirement with its values sorted and de-duplicated (upstream keeps them in a string set).
 * Throws a plain Error whose message is upstream's aggregate text.
 */
export function newRequirement(key: string, operator: Operator, values: string[]): Requirement {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(invalidText('key', key, keyErrs.join('; ')));
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(invalidText('values', values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(invalidText('values', values, 'exact-match compatibility requires one single value'));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) errs.push(invalidText('values', values, 'values set must be empty for exists and does not exist'));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errs.push(invalidText('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (!INT64_RE.test(v)) errs.push(invalidText(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      errs.push(`operator: Unsupported value: ${formatValue(operator)}`);
  }
  values.forEach((v, i) => {
    const verrs = isValidLabelValue(v);
    if (verrs.length) errs.push(invalidText(`values[${i}][${key}]`, v, verrs.join('; ')));
  });
  if (errs.length) throw new Error(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
  return { key, operator, values: [...new Set(values)].sort() };
}

/**
 * Does a requirement hold for a label set? Shared with node affinity (NodeSelectorRequirement uses the
 * same operators). Gt/Lt compare integers; a non-integer on either side never matches.
 */
export function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = has ? labels[r.key]! : undefined;
  switch (r.operator) {
    case 'In':
    case '=':
    case '==':
      return has && r.values.includes(v!);
    case 'NotIn':
    case '!=':
      return !has || !r.values.includes(v!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || !INT64_RE.test(v!) || r.values.length !== 1 || !INT64_RE.test(r.values[0]!)) return false;
      const lv = BigInt(v!);
      const rv = BigInt(r.values[0]!);
      return r.operator === 'Gt' ? lv > rv : lv < rv;
    }
    default:
      return false;
  }
}

export function requirementString(r: Requirement): string {
  switch (r.operator) {
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
    case 'In':
      return `${r.key} in (${r.values.join(',')})`;
    case 'NotIn':
      return `${r.key} notin (${r.values.join(',')})`;
    case 'Gt':
      return `${r.key}>${r.values[0] ?? ''}`;
    case 'Lt':
      return `${r.key}<${r.values[0] ?? ''}`;
    default:
      return `${r.key}${r.operator}${r.values[0] ?? ''}`;
  }
}

/**
 * A conjunction of requirements, kept sorted by key as upstream does. `Selector.nothing()` is upstream's
 * labels.Nothing() (what a nil metav1.LabelSelector means); a selector with no requirements matches
 * everything.
 */
export class Selector {
  readonly requirements: Requirement[];
  private readonly matchesNothing: boolean;

  constructor(requirements: Requirement[] = [], matchesNothing = false) {
    // Stable sort by key (upstream sort.Sort(ByKey)); ties keep their input order.
    this.requirements = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.matchesNothing = matchesNothing;
  }

  static everything(): Selector {
    return new Selector();
  }
  static nothing(): Selector {
    return new Selector([], true);
  }

  matches(labels: Record<string, string> | undefined): boolean {
    if (this.matchesNothing) return false;
    const l = labels ?? {};
    return this.requirements.every((r) => requirementMatches(r, l));
  }

  /** True when the selector has no requirements (matches everything, unless it is `nothing()`). */
  empty(): boolean {
    return !this.matchesNothing && this.requirements.length === 0;
  }

  isNothing(): boolean {
    return this.matchesNothing;
  }

  /** Canonical text, e.g. `app=web,tier in (a,b)`; '' for everything and for nothing. */
  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

/** Upstream labels.SelectorFromSet: `k=v` for each entry. */
export function selectorFromSet(set: Record<string, string> | undefined): Selector {
  return new Selector(Object.entries(set ?? {}).map(([k, v]) => newRequirement(k, '=', [v])));
}

// ---- metav1.LabelSelector ----

const EXPRESSION_OPS: Record<string, Operator> = { In: 'In', NotIn: 'NotIn', Exists: 'Exists', DoesNotExist: 'DoesNotExist' };

/**
 * Upstream metav1.LabelSelectorAsSelector: nil → matches nothing, `{}` → matches everything. Invalid
 * keys/values/operators throw a 400 BadRequest (validation should have caught them earlier).
 */
export function selectorFromLabelSelector(ls: LabelSelector | undefined | null): Selector {
  if (ls === undefined || ls === null) return Selector.nothing();
  const matchLabels = ls.matchLabels ?? {};
  const exprs = ls.matchExpressions ?? [];
  if (Object.keys(matchLabels).length + exprs.length === 0) return Selector.everything();
  const reqs: Requirement[] = [];
  try {
    for (const [k, v] of Object.entries(matchLabels)) reqs.push(newRequirement(k, '=', [v]));
    for (const e of exprs) {
      const op = EXPRESSION_OPS[e.operator];
      if (!op) throw new Error(`${JSON.stringify(e.operator)} is not a valid label selector operator`);
      reqs.push(newRequirement(e.key, op, [...(e.values ?? [])]));
    }
  } catch (err) {
    throw badRequest((err as Error).message);
  }
  return new Selector(reqs);
}

/**
 * The selector's canonical string (`app=web,tier in (a,b)`): what Scale.status.selector and
 * `kubectl describe` show. Empty and nil selectors give ''. Upstream's FormatLabelSelector prints
 * `<none>` instead; printers that want that use formatLabelSelector.
 */
export function labelSelectorAsString(ls: LabelSelector | undefined | null): string {
  return selectorFromLabelSelector(ls).toString();
}

/** Upstream metav1.FormatLabelSelector (printers' "Selector" columns): '' → `<none>`, bad → `<error>`. */
export function formatLabelSelector(ls: LabelSelector | undefined | null): string {
  try {
    return labelSelectorAsString(ls) || '<none>';
  } catch {
    return '<error>';
  }
}

// ---- the string grammar (upstream labels/selector.go Lexer + Parser) ----

type Tok = 'id' | 'eos' | 'err' | '!' | '!=' | '(' | ')' | ',' | '=' | '==' | '>' | '<' | 'in' | 'notin';
const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const SYMBOLS = new Set(['!', '!=', '(', ')', ',', '=', '==', '>', '<']);
const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

function lex(s: string): Array<[Tok, string]> {
  const out: Array<[Tok, string]> = [];
  let i = 0;
  for (;;) {
    while (i < s.length && isWhitespace(s[i]!)) i++;
    if (i >= s.length) {
      out.push(['eos', '']);
      return out;
    }
    const c = s[i]!;
    if (SPECIAL.has(c)) {
      // Longest match among the symbols: `!=` and `==` beat `!` and `=`.
      let lit = c;
      while (i + lit.length < s.length && SYMBOLS.has(lit + s[i + lit.length]!)) lit += s[i + lit.length]!;
      i += lit.length;
      out.push([lit as Tok, lit]);
    } else {
      let j = i;
      while (j < s.length && !isWhitespace(s[j]!) && !SPECIAL.has(s[j]!)) j++;
      const lit = s.slice(i, j);
      i = j;
      out.push([lit === 'in' || lit === 'notin' ? lit : 'id', lit]);
    }
  }
}

const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

class Parser {
  private pos = 0;
  constructor(private readonly toks: Array<[Tok, string]>) {}

  /** In "values" context the keywords in/notin are ordinary identifiers (a value may be `in`). */
  private peek(values: boolean): [Tok, string] {
    const t = this.toks[Math.min(this.pos, this.toks.length - 1)]!;
    return values && (t[0] === 'in' || t[0] === 'notin') ? ['id', t[1]] : t;
  }
  private next(values: boolean): [Tok, string] {
    const t = this.peek(values);
    if (this.pos < this.toks.length - 1) this.pos++;
    return t;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const [tok, lit] = this.peek(true);
      if (tok === 'eos') return reqs;
      if (tok !== 'id' && tok !== '!') throw new Error(`found '${lit}', expected: !, identifier, or 'end of string'`);
      try {
        reqs.push(this.requirement());
      } catch (err) {
        throw new Error(`unable to parse requirement: ${(err as Error).message}`);
      }
      const [t, l] = this.next(true);
      if (t === 'eos') return reqs;
      if (t !== ',') throw new Error(`found '${l}', expected: ',' or 'end of string'`);
      const [t2, l2] = this.peek(true);
      if (t2 !== 'id' && t2 !== '!') throw new Error(`found '${l2}', expected: identifier after ','`);
    }
  }

  private requirement(): Requirement {
    let [tok, lit] = this.next(true);
    let unary: Operator | undefined;
    if (tok === '!') {
      unary = 'DoesNotExist';
      [tok, lit] = this.next(true);
    }
    if (tok !== 'id') throw new Error(`found '${lit}', expected: identifier`);
    const keyErrs = isQualifiedName(lit);
    // The parser validates the key with a nil field path, hence upstream's `<nil>:` prefix.
    if (keyErrs.length) throw new Error(invalidText('<nil>', lit, keyErrs.join('; ')));
    const key = lit;
    // `!k` is complete by itself; anything after it (`!k=v`) is then rejected by parse() as upstream.
    if (unary) return newRequirement(key, unary, []);
    const [la] = this.peek(true);
    if (la === 'eos' || la === ',') return newRequirement(key, 'Exists', []);
    const op = this.operator();
    return newRequirement(key, op, this.values(op));
  }

  private operator(): Operator {
    const [tok, lit] = this.next(false);
    switch (tok) {
      case 'in':
        return 'In';
      case 'notin':
        return 'NotIn';
      case '=':
      case '==':
      case '!=':
        return tok;
      case '>':
        return 'Gt';
      case '<':
        return 'Lt';
      default:
        throw new Error(`found '${lit}', expected: ${BINARY_OPERATORS}`);
    }
  }

  private values(op: Operator): string[] {
    if (op === 'In' || op === 'NotIn') return this.setValues();
    const [la] = this.peek(true);
    if (la === 'eos' || la === ',') return [''];
    const [tok, lit] = this.next(true);
    if (tok === 'id') return [lit];
    throw new Error(`found '${lit}', expected: identifier`);
  }

  private setValues(): string[] {
    const [tok, lit] = this.next(true);
    if (tok !== '(') throw new Error(`found '${lit}' expected: '('`);
    const [la, lal] = this.peek(true);
    if (la === ')') {
      this.next(true);
      return [''];
    }
    if (la !== 'id' && la !== ',') throw new Error(`found '${lal}', expected: ',', ')' or identifier`);
    const s = new Set<string>();
    for (;;) {
      const [t, l] = this.next(true);
      if (t === 'id') {
        s.add(l);
        const [t2, l2] = this.peek(true);
        if (t2 === ',') continue;
        if (t2 === ')') break;
        throw new Error(`found '${l2}', expected: ',' or ')'`);
      } else if (t === ',') {
        // `(,a)`, `(a,)` and `(a,,b)` all contribute the empty value, as upstream.
        if (s.size === 0) s.add('');
        const [t2] = this.peek(true);
        if (t2 === ')') {
          s.add('');
          break;
        }
        if (t2 === ',') {
          this.next(true);
          s.add('');
        }
      } else {
        throw new Error(`found '${l}', expected: ',', or identifier`);
      }
    }
    const [close] = this.next(true);
    if (close !== ')') throw new Error(`found '${lal}', expected: ')'`);
    return [...s];
  }
}

/** Parses `?labelSelector=` / `kubectl -l` text; '' matches everything. Throws 400 BadRequest. */
export function parseLabelSelector(s: string): Selector {
  try {
    return new Selector(new Parser(lex(s)).parse());
  } catch (err) {
    throw badRequest((err as Error).message);
  }
}
