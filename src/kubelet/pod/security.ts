// The container's effective security settings, as upstream securitycontext.DetermineEffectiveSecurityContext
// (container fields win over the pod's for runAsUser, runAsGroup, runAsNonRoot) plus
// kuberuntime verifyRunAsNonRoot, with the user resolved to numbers the way containerd does.
// Supplemental groups as containerd sets them: the primary gid, the image's /etc/group memberships
// of the user, then the pod's fsGroup and supplementalGroups.
// allowPrivilegeEscalation is passed through: only an explicit `false` sets no_new_privs.
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { ImageConfig } from '../images/types.js';
import type { ContainerSecurity } from '../runtime/types.js';
import { ContainerConfigError, formatPod } from './errors.js';
import { lookupGroup, lookupUser, memberGids, parseImageUser, primaryGid } from './image-user.js';

export function containerSecurity(pod: Pod, container: Container, image: { config: ImageConfig; layerDirs: string[] }): ContainerSecurity {
  const psc = pod.spec?.securityContext ?? {};
  const csc = container.securityContext ?? {};
  const runAsUser = csc.runAsUser ?? psc.runAsUser;
  const runAsGroup = csc.runAsGroup ?? psc.runAsGroup;
  const runAsNonRoot = csc.runAsNonRoot ?? psc.runAsNonRoot;
  const imageUser = parseImageUser(image.config.user);
  const who = `(pod: "${formatPod(pod)}", container: ${container.name})`;

  if (runAsNonRoot) {
    if (runAsUser !== undefined) {
      if (runAsUser === 0) throw new ContainerConfigError('RunAsNonRoot', `container's runAsUser breaks non-root policy ${who}`);
    } else if (imageUser.uid === 0) {
      throw new ContainerConfigError('RunAsNonRoot', `container has runAsNonRoot and image will run as root ${who}`);
    } else if (imageUser.uid === undefined) {
      throw new ContainerConfigError(
        'NonNumericUser',
        `container has runAsNonRoot and image has non-numeric user (${imageUser.username}), cannot verify user is non-root ${who}`,
      );
    }
  }

  const layers = image.layerDirs;
  let uid: number;
  let gid: number | undefined;
  if (runAsUser !== undefined) {
    uid = runAsUser;
  } else if (imageUser.uid !== undefined) {
    uid = imageUser.uid;
    if (imageUser.group) gid = groupOrThrow(layers, imageUser.group);
  } else {
    const found = lookupUser(layers, imageUser.username!);
    if (!found) {
      throw new ContainerConfigError('UserNotFound', `unable to find user ${imageUser.username}: no matching entries in passwd file`);
    }
    uid = found.uid;
    gid = imageUser.group ? groupOrThrow(layers, imageUser.group) : found.gid;
  }
  gid = runAsGroup ?? gid ?? primaryGid(layers, uid);

  const groups = [...new Set([gid, ...memberGids(layers, uid), ...(psc.fsGroup !== undefined ? [psc.fsGroup] : []), ...(psc.supplementalGroups ?? [])])];
  const out: ContainerSecurity = { runAsUser: uid, runAsGroup: gid, supplementalGroups: groups };
  if (csc.privileged !== undefined) out.privileged = csc.privileged;
  if (csc.readOnlyRootFilesystem !== undefined) out.readOnlyRootFilesystem = csc.readOnlyRootFilesystem;
  if (csc.allowPrivilegeEscalation !== undefined) out.allowPrivilegeEscalation = csc.allowPrivilegeEscalation;
  if (csc.capabilities?.add?.length) out.capabilitiesAdd = [...csc.capabilities.add];
  if (csc.capabilities?.drop?.length) out.capabilitiesDrop = [...csc.capabilities.drop];
  return out;
}

function groupOrThrow(layers: string[], group: string): number {
  const gid = lookupGroup(layers, group);
  if (gid === undefined) throw new ContainerConfigError('UserNotFound', `unable to find group ${group}: no matching entries in group file`);
  return gid;
}
