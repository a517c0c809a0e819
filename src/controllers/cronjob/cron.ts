// The standard 5-field cron schedule (upstream vendors robfig/cron/v3 ParseStandard): minute hour
// day-of-month month day-of-week, with `*`, lists, ranges, steps (`N/step` means N-max/step), month
// and weekday names, and the @yearly/@annually/@monthly/@weekly/@daily/@midnight/@hourly
// descriptors. Day-of-month and day-of-week are OR-ed when both are restricted and AND-ed when either
// is a bare `*` (robfig's star bit; `*/2` is a restriction). next() walks wall-clock fields in an
// IANA time zone through Intl, so daylight-saving shifts behave as robfig's: a wall time skipped by
// spring-forward does not run, a wall time repeated by fall-back runs once (its first occurrence).

export interface Schedule {
  minutes: Set<number>;
  hours: Set<number>;
  dom: Set<number>;
  months: Set<number>;
  dow: Set<number>;
  domStar: boolean;
  dowStar: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface Bounds {
  min: number;
  max: number;
  names?: string[];
  nameBase?: number;
}

function parseValue(s: string, b: Bounds): number {
  const idx = b.names?.indexOf(s.toLowerCase()) ?? -1;
  if (idx >= 0) return idx + (b.nameBase ?? 0);
  if (!/^\d+$/.test(s)) throw new Error(`failed to parse int from ${s}`);
  return Number(s);
}

/** One comma-separated field → its values, and whether it was a bare `*` / `?`. */
function parseField(field: string, b: Bounds): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const part of field.split(',')) {
    const [rangePart, stepPart, extra] = part.split('/');
    if (extra !== undefined) throw new Error(`too many slashes: ${part}`);
    const lowHigh = rangePart.split('-');
    if (lowHigh.length > 2) throw new Error(`too many hyphens: ${part}`);
    let start: number;
    let end: number;
    let partStar = false;
    if (lowHigh[0] === '*' || lowHigh[0] === '?') {
      if (lowHigh.length > 1) throw new Error(`invalid range: ${part}`);
      [start, end, partStar] = [b.min, b.max, true];
    } else {
      start = parseValue(lowHigh[0], b);
      end = lowHigh.length === 2 ? parseValue(lowHigh[1], b) : start;
    }
    let step = 1;
    if (stepPart !== undefined) {
      step = parseValue(stepPart, { min: 0, max: 0 });
      if (lowHigh.length === 1) end = b.max; // "N/step" means "N-max/step"
      if (step > 1) partStar = false;
    }
    if (start < b.min) throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${part}`);
    if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${part}`);
    if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${part}`);
    if (step === 0) throw new Error(`step of range should be a positive number: ${part}`);
    for (let v = start; v <= end; v += step) values.add(v);
    star ||= partStar;
  }
  return { values, star };
}

/** Parses a standard cron spec; throws with robfig-like messages on errors. */
export function parseSchedule(spec: string): Schedule {
  let s = spec.trim();
  if (s.startsWith('TZ=') || s.startsWith('CRON_TZ=')) throw new Error('CRON_TZ or TZ used in schedule; use .spec.timeZone instead');
  if (s.startsWith('@')) {
    const d = DESCRIPTORS[s.toLowerCase()];
    if (!d) throw new Error(`unrecognized descriptor: ${s}`);
    s = d;
  }
  const fields = s.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const dom = parseField(fields[2], { min: 1, max: 31 });
  const dow = parseField(fields[4], { min: 0, max: 6, names: DAYS });
  return {
    minutes: parseField(fields[0], { min: 0, max: 59 }).values,
    hours: parseField(fields[1], { min: 0, max: 23 }).values,
    dom: dom.values,
    months: parseField(fields[3], { min: 1, max: 12, names: MONTHS, nameBase: 1 }).values,
    dow: dow.values,
    domStar: dom.star,
    dowStar: dow.star,
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws RangeError for an unknown IANA zone (as time.LoadLocation fails upstream). */
export function validateTimeZone(tz: string): void {
  formatter(tz);
}

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall-clock time of `ms` in `tz`, expressed as if it were a UTC instant (whole minutes). */
export function wallClock(ms: number, tz: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
}

/** The earliest instant whose wall clock in `tz` is `wall`, or undefined when DST skipped it. */
function instantOf(wall: number, tz: string): number | undefined {
  const candidates = new Set<number>();
  for (const probe of [wall - 86_400_000, wall, wall + 86_400_000]) {
    const offset = wallClock(probe, tz) - Math.floor(probe / 60_000) * 60_000;
    candidates.add(wall - offset);
  }
  const ok = [...candidates].filter((c) => wallClock(c, tz) === wall).sort((a, b) => a - b);
  return ok[0];
}

function dayMatches(s: Schedule, wall: Date): boolean {
  const domMatch = s.dom.has(wall.getUTCDate());
  const dowMatch = s.dow.has(wall.getUTCDay());
  return s.domStar || s.dowStar ? domMatch && dowMatch : domMatch || dowMatch;
}

/** The first activation strictly after `afterMs` in time zone `tz` (default UTC); undefined if none in 5 years. */
export function nextAfter(s: Schedule, afterMs: number, tz = 'UTC'): number | undefined {
  let w = new Date(wallClock(afterMs, tz) + 60_000);
  const limit = w.getTime() + 5 * 366 * 86_400_000;
  const set = (y: number, mo: number, d: number, h: number, mi: number) => (w = new Date(Date.UTC(y, mo, d, h, mi)));
  while (w.getTime() < limit) {
    const [y, mo, d, h, mi] = [w.getUTCFullYear(), w.getUTCMonth(), w.getUTCDate(), w.getUTCHours(), w.getUTCMinutes()];
    if (!s.months.has(mo + 1)) set(y, mo + 1, 1, 0, 0);
    else if (!dayMatches(s, w)) set(y, mo, d + 1, 0, 0);
    else if (!s.hours.has(h)) set(y, mo, d, h + 1, 0);
    else if (!s.minutes.has(mi)) set(y, mo, d, h, mi + 1);
    else {
      const at = instantOf(w.getTime(), tz);
      if (at !== undefined && at > afterMs) return at;
      set(y, mo, d, h, mi + 1); // skipped by spring-forward, or the repeat of a fall-back hour
    }
  }
  return undefined;
}
