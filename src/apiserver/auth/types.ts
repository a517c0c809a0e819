// Authentication and authorization contracts. Authenticators turn a request's credentials (x509
// client certificate, bearer token) into a user; the authorizer decides what that user may do.
// RBAC is a later issue: today's authorizer allows every authenticated user (the seam is here).

export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
}

/** What an authenticator may look at. */
export interface AuthRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The verified client certificate chain's leaf, if the TLS layer verified one against the CA. */
  clientCert?: { subjectCN: string; subjectO: string[] };
}

export interface Authenticator {
  /** Returns the user, or undefined when the request carries no credentials this authenticator knows. Throws on bad credentials. */
  authenticate(req: AuthRequest): UserInfo | undefined;
}

export interface AuthorizationAttributes {
  user: UserInfo;
  verb: string;
  /** Resource requests: */
  apiGroup?: string;
  apiVersion?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Non-resource requests (e.g. /healthz, /version): */
  path?: string;
}

export interface Authorizer {
  authorize(attrs: AuthorizationAttributes): { allowed: boolean; reason?: string };
}
