// The auth package's public surface: authenticators (x509, static bearer tokens), the token file
// and the authorizer seam. Contracts live in types.ts.
export type { Authenticator, Authorizer, AuthRequest, AuthorizationAttributes, UserInfo } from './types.js';
export { x509Authenticator } from './x509.js';
export { staticTokenAuthenticator, bearerToken } from './static-token.js';
export { parseTokenFile, formatTokenLine, ensureTokenFile, generateToken, type TokenEntry } from './token-file.js';
export { alwaysAllow } from './always-allow.js';
export { AUTHENTICATED_GROUP } from './user.js';
