// Timestamps as Kubernetes writes them and ages as kubectl shows them. metav1.Time serializes as
// RFC 3339 with second precision, metav1.MicroTime with microseconds; the AGE column uses
// apimachinery's duration.HumanDuration, whose rounding rules (e.g. `4m30s` below ten minutes, `3h10m`
// below eight hours, `2d3h` below eight days) are reproduced here exactly.

/** metav1.Time form: `2026-11-22T11:23:39Z` (fraction dropped, always UTC). */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** metav1.MicroTime form: `2026-11-22T11:23:39.123456Z`. JS dates carry milliseconds, so the last three digits are 0. */
export function rfc3339Micro(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** duration.HumanDuration of k8s.io/apimachinery, for a duration in milliseconds. */
export function humanDuration(ms: number): string {
  // Go truncates toward zero: int(d.Seconds()).
  const seconds = Math.trunc(ms / 1000);
  // Up to 2 seconds of clock skew still reads as "now".
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** printers.go translateTimestampSince: the age of a timestamp, `<unknown>` when unset. */
export function translateTimestampSince(ts: string | undefined | null, now: Date): string {
  if (!ts) return '<unknown>';
  const t = Date.parse(ts);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now.getTime() - t);
}

/** printers.go translateTimestampUntil: the time left until a timestamp (e.g. cronjob next schedule). */
export function translateTimestampUntil(ts: string | undefined | null, now: Date): string {
  if (!ts) return '<unknown>';
  const t = Date.parse(ts);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(t - now.getTime());
}
