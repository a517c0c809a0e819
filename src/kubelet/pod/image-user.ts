// The image's USER ("", "1000", "1000:1000", "app", "app:staff") resolved to numeric ids the way
// containerd does it: numbers are taken as-is; names are looked up in the image's /etc/passwd and
// /etc/group (the topmost layer that has the file); a numeric uid without a group takes its passwd
// entry's gid, else 0.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ParsedImageUser {
  /** Numeric uid, or undefined when the image names a user (or names none: then it runs as root). */
  uid?: number;
  /** The user part when it is a name. */
  username?: string;
  /** The group part after ':' (numeric or name), if any. */
  group?: string;
}

const NUMERIC = /^[0-9]+$/;

/** Upstream/containerd getUserFromImage, keeping the group part too. "" → uid 0. */
export function parseImageUser(user: string | undefined): ParsedImageUser {
  if (!user) return { uid: 0 };
  const [u, group] = user.split(':', 2);
  if (NUMERIC.test(u)) return { uid: Number(u), group };
  return { username: u, group };
}

interface Entry {
  name: string;
  id: number;
  gid?: number;
  /** group only: the member user names */
  members?: string[];
}

function readEtc(lowerDirs: string[], file: 'passwd' | 'group'): Entry[] {
  for (const dir of lowerDirs) {
    let text: string;
    try {
      text = readFileSync(join(dir, 'etc', file), 'utf8');
    } catch {
      continue;
    }
    return text
      .split('\n')
      .map((l) => l.split(':'))
      .filter((f) => f.length >= 3 && NUMERIC.test(f[2]))
      .map((f) => ({
        name: f[0],
        id: Number(f[2]),
        gid: file === 'passwd' && NUMERIC.test(f[3] ?? '') ? Number(f[3]) : undefined,
        members: file === 'group' ? (f[3] ?? '').split(',').map((m) => m.trim()).filter(Boolean) : undefined,
      }));
  }
  return [];
}

/** Resolves a username to uid/gid from the image's passwd; undefined when absent. */
export function lookupUser(lowerDirs: string[], name: string): { uid: number; gid: number } | undefined {
  const e = readEtc(lowerDirs, 'passwd').find((p) => p.name === name);
  return e ? { uid: e.id, gid: e.gid ?? 0 } : undefined;
}

/** The primary gid of a numeric uid per the image's passwd (0 when not listed). */
export function primaryGid(lowerDirs: string[], uid: number): number {
  return readEtc(lowerDirs, 'passwd').find((p) => p.id === uid)?.gid ?? 0;
}

/** A group given as number or name → gid; undefined when the name is unknown. */
export function lookupGroup(lowerDirs: string[], group: string): number | undefined {
  if (NUMERIC.test(group)) return Number(group);
  return readEtc(lowerDirs, 'group').find((g) => g.name === group)?.id;
}

/** The gids of the image's groups that list the user (by uid's passwd name) as a member. */
export function memberGids(lowerDirs: string[], uid: number): number[] {
  const name = readEtc(lowerDirs, 'passwd').find((p) => p.id === uid)?.name;
  if (!name) return [];
  return readEtc(lowerDirs, 'group').filter((g) => g.members?.includes(name)).map((g) => g.id);
}
