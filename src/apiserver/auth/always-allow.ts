// The authorizer used until RBAC exists (a later issue): every authenticated request is allowed.
// It is a separate object so the API server already calls an authorizer on every request and RBAC
// only has to replace this one value.
import type { Authorizer } from './types.js';

export const alwaysAllow: Authorizer = {
  authorize: () => ({ allowed: true }),
};
