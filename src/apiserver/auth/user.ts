// Helpers shared by the authenticators. Upstream adds `system:authenticated` to every user that any
// authenticator accepted (the "authenticated group adder"); each of our authenticators does it itself.
import type { UserInfo } from './types.js';

export const AUTHENTICATED_GROUP = 'system:authenticated';

export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  return user.groups.includes(AUTHENTICATED_GROUP) ? user : { ...user, groups: [...user.groups, AUTHENTICATED_GROUP] };
}
