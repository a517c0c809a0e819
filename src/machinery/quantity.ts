// resource.Quantity as upstream k8s.io/apimachinery/pkg/api/resource: parsing `500m`, `1.5Gi`, `1e3`,
// exact comparison, and the canonical string the API server writes back (`0.5` → `500m`, `1024Mi` →
// `1Gi`, `1.5Ki` → `1536`). A quantity is kept exactly as unscaled × 10^scale (BigInt + number), so
// huge exponents like `1e100000` cost nothing until printed. Values finer than 1n are rounded away from
// zero to 1n and binary (Ki…Ei) values are capped at 2^63-1, as upstream.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export const ERR_FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_SUFFIX = "unable to parse quantity's suffix";

export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityError';
  }
}

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_BY_EXP = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const BINARY_BY_POWER = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const MAX_INT64 = (1n << 63n) - 1n;
const NANO = -9;
const abs = (x: bigint) => (x < 0n ? -x : x);
const pow10 = (n: number) => 10n ** BigInt(n);

export class Quantity {
  /** value = unscaled × 10^scale; scale ≥ -9 after parsing. */
  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
    readonly format: QuantityFormat,
  ) {}

  isZero(): boolean {
    return this.unscaled === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.unscaled === 0n ? 0 : this.unscaled < 0n ? -1 : 1;
  }

  /**
   * ceil(value × 10^-s) away from zero, as upstream ScaledValue. Results beyond int64 are clamped to
   * ±(2^63-1) (upstream's are undefined there) so that `1e2000000000` cannot make us build a huge BigInt.
   */
  scaledValueBig(s: number): bigint {
    const shift = this.scale - s;
    if (this.unscaled !== 0n && abs(this.unscaled).toString().length + shift > 19) {
      return this.unscaled < 0n ? -MAX_INT64 : MAX_INT64;
    }
    if (shift >= 0) return this.unscaled * pow10(shift);
    const d = pow10(-shift);
    const q = this.unscaled / d;
    if (q * d === this.unscaled) return q;
    return this.unscaled < 0n ? q - 1n : q + 1n;
  }

  /** Value in thousandths, rounded up (away from zero): `100m` → 100, `1` → 1000. */
  milliValue(): number {
    return Number(this.scaledValueBig(-3));
  }
  milliValueBig(): bigint {
    return this.scaledValueBig(-3);
  }
  /** Integer value, rounded up (away from zero): `500m` → 1, `1Ki` → 1024. */
  value(): number {
    return Number(this.scaledValueBig(0));
  }
  valueBig(): bigint {
    return this.scaledValueBig(0);
  }
  asApproximateFloat64(): number {
    return Number(this.unscaled) * 10 ** this.scale;
  }

  cmp(other: Quantity): -1 | 0 | 1 {
    const a = this.sign();
    const b = other.sign();
    if (a !== b) return a < b ? -1 : 1;
    if (a === 0) return 0;
    // Same sign: compare magnitudes by decimal order first so that `1e100000` never gets expanded.
    const magA = abs(this.unscaled).toString().length + this.scale;
    const magB = abs(other.unscaled).toString().length + other.scale;
    let m: -1 | 0 | 1;
    if (magA !== magB) m = magA < magB ? -1 : 1;
    else {
      const s = Math.min(this.scale, other.scale);
      const x = abs(this.unscaled) * pow10(this.scale - s);
      const y = abs(other.unscaled) * pow10(other.scale - s);
      m = x === y ? 0 : x < y ? -1 : 1;
    }
    return (a < 0 ? -m : m) as -1 | 0 | 1;
  }

  equal(other: Quantity): boolean {
    return this.cmp(other) === 0;
  }

  /** Upstream CanonicalizeBytes: the string the API server stores and prints. */
  toString(): string {
    if (this.unscaled === 0n) return '0';
    let format = this.format;
    if (format === 'BinarySI') {
      const lim = new Quantity(1024n, 0, 'DecimalSI');
      const neg = new Quantity(-1024n, 0, 'DecimalSI');
      const integral = this.scale >= 0 || this.unscaled % pow10(-this.scale) === 0n;
      // Small or fractional binary values print in decimal: 512 rather than 0.5Ki.
      if ((this.cmp(neg) > 0 && this.cmp(lim) < 0) || !integral) format = 'DecimalSI';
      else return base1024String(this.scaledValueBig(0));
    }
    // Move factors of ten into the exponent, then lower the exponent to a multiple of 3.
    let amount = this.unscaled;
    let exp = this.scale;
    while (amount % 10n === 0n) {
      amount /= 10n;
      exp++;
    }
    const r = ((exp % 3) + 3) % 3;
    amount *= pow10(r);
    exp -= r;
    if (format === 'DecimalExponent') return exp === 0 ? `${amount}` : `${amount}e${exp}`;
    if (exp > 18) {
      // Upstream has no suffix beyond E and would drop the exponent; print in E instead.
      return `${amount * pow10(exp - 18)}E`;
    }
    return `${amount}${DECIMAL_BY_EXP.get(exp)}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

function base1024String(v: bigint): string {
  let n = v;
  let e = 0;
  while (abs(n) >= 1024n && n % 1024n === 0n && e < BINARY_BY_POWER.length - 1) {
    n /= 1024n;
    e++;
  }
  return `${n}${BINARY_BY_POWER[e]}`;
}

interface Scanned {
  positive: boolean;
  num: string;
  denom: string;
  suffix: string;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const SUFFIX_CHARS = 'eEinumkKMGTP';

/** Upstream parseQuantityString, step for step (including its leniency: `.` and `Ki` parse as 0). */
function scan(str: string): Scanned {
  let pos = 0;
  const end = str.length;
  let positive = true;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') pos++;
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, num: '0', denom: '', suffix: '' };
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  const num = str.slice(pos, i) || '0';
  pos = i;
  let denom = '';
  if (pos < end && str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    pos = i;
  }
  const suffixStart = pos;
  i = pos;
  while (i < end && SUFFIX_CHARS.includes(str[i]!)) i++;
  if (i < end && (str[i] === '-' || str[i] === '+')) i++;
  while (i < end && isDigit(str[i])) i++;
  if (i < end) throw new QuantityError(ERR_FORMAT_WRONG);
  return { positive, num, denom, suffix: str.slice(suffixStart) };
}

function interpretSuffix(s: string): { base: 2 | 10; exponent: number; format: QuantityFormat } {
  if (s in DECIMAL_SUFFIXES) return { base: 10, exponent: DECIMAL_SUFFIXES[s]!, format: 'DecimalSI' };
  if (s in BINARY_SUFFIXES) return { base: 2, exponent: BINARY_SUFFIXES[s]!, format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E') && /^[+-]?\d+$/.test(s.slice(1))) {
    const parsed = BigInt(s.slice(1));
    if (parsed > MAX_INT64 || parsed < -MAX_INT64 - 1n) throw new QuantityError(ERR_SUFFIX);
    // Upstream converts the int64 exponent to int32 (wrapping); do the same.
    return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
  }
  throw new QuantityError(ERR_SUFFIX);
}

/** Parses a quantity string; throws QuantityError with upstream's message when invalid. */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityError(ERR_FORMAT_WRONG);
  if (str === '0') return new Quantity(0n, 0, 'DecimalSI');
  const { positive, num, denom, suffix } = scan(str);
  const { base, exponent, format: parsedFormat } = interpretSuffix(suffix);
  let format = parsedFormat;
  let unscaled = BigInt(num + denom);
  let scale: number;
  if (base === 10) {
    scale = exponent - denom.length;
  } else {
    unscaled <<= BigInt(exponent);
    scale = -denom.length;
  }
  if (scale < NANO && unscaled !== 0n) {
    // Round up to the smallest representable amount: asking for a little should give a little.
    const drop = NANO - scale;
    const digits = unscaled.toString().length;
    if (drop >= digits) unscaled = 1n;
    else {
      const d = pow10(drop);
      const q = unscaled / d;
      unscaled = q * d === unscaled ? q : q + 1n;
    }
    scale = NANO;
  }
  if (format === 'BinarySI') {
    const integral = scale >= 0 ? unscaled * pow10(scale) : undefined;
    const value = integral ?? unscaled / pow10(-scale);
    if (value > MAX_INT64 || (integral === undefined && value === MAX_INT64 && unscaled % pow10(-scale) !== 0n)) {
      unscaled = MAX_INT64;
      scale = 0;
    } else if (unscaled !== 0n && value === 0n) {
      format = 'DecimalSI'; // 0 < v < 1 cannot be written in binary units
    }
  }
  return new Quantity(positive ? unscaled : -unscaled, scale, format);
}

export function isValidQuantity(s: string): boolean {
  try {
    parseQuantity(s);
    return true;
  } catch {
    return false;
  }
}

/**
 * A quantity as it appears in JSON (upstream UnmarshalJSON): a string (trimmed) or a bare number
 * (`cpu: 1` in YAML). Throws QuantityError for anything else.
 */
export function parseQuantityJson(v: unknown): Quantity {
  if (typeof v === 'number' && Number.isFinite(v)) return parseQuantity(String(v));
  if (typeof v === 'string') return parseQuantity(v.trim());
  throw new QuantityError(ERR_FORMAT_WRONG);
}

/** The canonical form of a quantity string, or undefined when it does not parse. */
export function canonicalQuantity(s: string): string | undefined {
  try {
    return parseQuantity(s).toString();
  } catch {
    return undefined;
  }
}
