// The bearer-token authenticator over a static token list (upstream's token file authenticator).
// Requests without `Authorization: Bearer …` are not ours (undefined); a bearer token we do not know
// is a bad credential, so we throw 401 — as upstream, where no other authenticator can then rescue it.
// Tokens are looked up by their SHA-256 digest so lookup time does not depend on how many leading
// characters of a guess are right.
import { createHash } from 'node:crypto';
import { unauthorized } from '../../machinery/errors.js';
import type { Authenticator, AuthRequest, UserInfo } from './types.js';
import type { TokenEntry } from './token-file.js';
import { withAuthenticatedGroup } from './user.js';

const digest = (token: string) => createHash('sha256').update(token).digest('base64');

/** The token from an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(headers: AuthRequest['headers']): string | undefined {
  const raw = headers['authorization'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return undefined;
  const m = /^bearer\s+(\S+)\s*$/i.exec(value.trim());
  return m ? m[1] : undefined;
}

export function staticTokenAuthenticator(entries: TokenEntry[]): Authenticator {
  const users = new Map<string, UserInfo>();
  for (const e of entries) {
    users.set(digest(e.token), withAuthenticatedGroup({ name: e.user, uid: e.uid, groups: [...e.groups] }));
  }
  return {
    authenticate(req: AuthRequest): UserInfo | undefined {
      const token = bearerToken(req.headers);
      if (token === undefined) return undefined;
      const user = users.get(digest(token));
      if (!user) throw unauthorized('Unauthorized');
      return { ...user, groups: [...user.groups] };
    },
  };
}
