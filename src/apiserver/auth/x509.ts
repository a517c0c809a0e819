// The x509 client-certificate authenticator: the TLS layer has already verified the chain against the
// cluster CA (AuthRequest.clientCert is only set then), so the user is simply the subject's common
// name and the groups are its organizations — the same mapping as upstream's CommonNameUserConversion.
import { unauthorized } from '../../machinery/errors.js';
import type { Authenticator, AuthRequest, UserInfo } from './types.js';
import { withAuthenticatedGroup } from './user.js';

export function x509Authenticator(): Authenticator {
  return {
    authenticate(req: AuthRequest): UserInfo | undefined {
      const cert = req.clientCert;
      if (!cert) return undefined;
      // Upstream refuses a verified certificate without a CN rather than inventing a user.
      if (cert.subjectCN === '') throw unauthorized('Unauthorized');
      return withAuthenticatedGroup({ name: cert.subjectCN, groups: [...cert.subjectO] });
    },
  };
}
