// persistentVolumeClaim → the host directory of its bound PV (hostPath or local), with upstream's
// messages from the kubelet's desired-state populator (`error processing PVC ns/name: PVC is not bound`).
import type { ObjectSource } from '../pod/object-source.js';
import { VolumeError } from './errors.js';
import { checkHostPathType } from './host-path.js';

export async function persistentVolumePath(source: ObjectSource, ns: string, claimName: string, volume: string): Promise<string> {
  const prefix = `error processing PVC ${ns}/${claimName}`;
  const pvc = await source.getPersistentVolumeClaim(ns, claimName);
  if (!pvc) {
    throw new VolumeError('PVCNotBound', volume, `${prefix}: failed to fetch PVC from API server: persistentvolumeclaims "${claimName}" not found`);
  }
  if (pvc.metadata?.deletionTimestamp) throw new VolumeError('PVCNotBound', volume, `${prefix}: PVC is being deleted`);
  if (pvc.status?.phase !== 'Bound') throw new VolumeError('PVCNotBound', volume, `${prefix}: PVC is not bound`);
  const pvName = pvc.spec?.volumeName ?? '';
  if (!pvName) {
    throw new VolumeError('PVCNotBound', volume, `${prefix}: PVC ${ns}/${claimName} has non-bound phase ("Bound") or empty pvc.Spec.VolumeName ("")`);
  }
  const pv = await source.getPersistentVolume(pvName);
  if (!pv) {
    throw new VolumeError('PVNotFound', volume, `${prefix}: failed to fetch PV ${pvName} from API server: persistentvolumes "${pvName}" not found`);
  }
  const claimUid = pv.spec?.claimRef?.uid;
  if (!pv.spec?.claimRef) {
    throw new VolumeError('PVCNotBound', volume, `${prefix}: found PV object but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim`);
  }
  if (claimUid && pvc.metadata?.uid && claimUid !== pvc.metadata.uid) {
    throw new VolumeError('PVCNotBound', volume, `${prefix}: found PV object but its pv.Spec.ClaimRef.UID ("${claimUid}") does not point to claim.UID ("${pvc.metadata.uid}")`);
  }
  if (pv.spec.hostPath) {
    const msg = checkHostPathType(pv.spec.hostPath.path, pv.spec.hostPath.type);
    if (msg) throw new VolumeError('HostPathTypeCheck', volume, msg);
    return pv.spec.hostPath.path;
  }
  if (pv.spec.local) {
    const msg = checkHostPathType(pv.spec.local.path, 'Directory');
    if (msg) throw new VolumeError('HostPathTypeCheck', volume, msg);
    return pv.spec.local.path;
  }
  throw new VolumeError('UnsupportedPersistentVolume', volume, `unsupported volume type for volume "${volume}" (persistent volume ${pvName})`);
}
