// The static token file, in upstream's `--token-auth-file` format: one CSV record per line,
// `token,user,uid[,"group1,group2"]`. Skiff writes <data-dir>/tokens.csv with one admin token on first
// start and reads it on every start; administrators may append lines by hand.
import { randomBytes } from 'node:crypto';
import { readIfExists, writeFileAtomic } from '../pki/files.js';

export interface TokenEntry {
  token: string;
  user: string;
  uid: string;
  groups: string[];
}

/** Splits one CSV record (RFC 4180 quoting: "a,b" and "" for a literal quote). */
export function parseCsvRecord(line: string): string[] {
  const fields: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur === '') quoted = true;
    else if (c === ',') fields.push(cur), (cur = '');
    else cur += c;
  }
  if (quoted) throw new Error('unterminated quoted field');
  fields.push(cur);
  return fields;
}

/** Parses a token file. Blank lines and `#` comments are skipped; a later duplicate token wins. */
export function parseTokenFile(text: string, source = 'token file'): TokenEntry[] {
  const byToken = new Map<string, TokenEntry>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    let rec: string[];
    try {
      rec = parseCsvRecord(line);
    } catch (e) {
      throw new Error(`${source}:${i + 1}: ${(e as Error).message}`);
    }
    if (rec.length < 3) throw new Error(`${source}:${i + 1}: token file '${source}' must have at least 3 columns (token, user name, user uid), found ${rec.length}`);
    const [token, user, uid] = rec.map((f) => f.trim()) as [string, string, string];
    if (token === '') throw new Error(`${source}:${i + 1}: token file '${source}' has an empty token`);
    const groups = (rec[3] ?? '').split(',').map((g) => g.trim()).filter((g) => g !== '');
    byToken.set(token, { token, user, uid, groups });
  });
  return [...byToken.values()];
}

const quoteIfNeeded = (f: string) => (/[",\s]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);

export function formatTokenLine(e: TokenEntry): string {
  const fields = [e.token, e.user, e.uid].map(quoteIfNeeded);
  if (e.groups.length > 0) fields.push(`"${e.groups.join(',').replace(/"/g, '""')}"`);
  return fields.join(',');
}

/** A fresh random token: 32 bytes, hex (no characters that need quoting or URL escaping). */
export function generateToken(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Reads the token file at `path`, creating it (mode 0600) with one admin entry if absent. Returns all
 * entries and the admin token (the first entry whose user is `adminUser`).
 */
export function ensureTokenFile(
  path: string,
  admin: { user: string; uid: string; groups: string[] },
): { entries: TokenEntry[]; adminToken: string | undefined } {
  let text = readIfExists(path);
  if (text === undefined) {
    text = formatTokenLine({ token: generateToken(), ...admin }) + '\n';
    writeFileAtomic(path, text, 0o600);
  }
  const entries = parseTokenFile(text, path);
  return { entries, adminToken: entries.find((e) => e.user === admin.user)?.token };
}
