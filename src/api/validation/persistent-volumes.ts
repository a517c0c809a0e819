// PersistentVolume and PersistentVolumeClaim validation as upstream core validation: access modes,
// capacity / requested storage, exactly one PV source, reclaim policy and volume mode; on update a
// claim's spec is immutable except growing resources.requests (and volumeName once), and a volume's
// source is immutable.
import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec, PersistentVolumeSpec } from 'kubernetes-types/core/v1.js';
import { GoValue, forbidden, invalid, key, notSupported, path, required, type FieldError } from '../../machinery/field-errors.js';
import { IS_NOT_POSITIVE_MSG, semanticEqual, validateImmutable } from './common.js';
import { validateLabelSelector } from './labels.js';
import { nameIsDNSSubdomain } from './names.js';
import { validateNodeSelector } from './pod-spec.js';
import { quantityAt, validateQuantityMap } from './resources.js';
import { as, type KindRules } from './rules.js';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const PV_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'flocker', 'nfs', 'rbd', 'quobyte', 'cephfs', 'iscsi',
  'cinder', 'fc', 'flexVolume', 'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'scaleIO',
  'local', 'storageos', 'csi',
] as const;

function validateAccessModes(modes: string[] | undefined, field: string, requiredDetail: string): FieldError[] {
  const errs: FieldError[] = [];
  const m = modes ?? [];
  if (m.length === 0) errs.push(required(field, requiredDetail));
  for (const mode of m) if (!ACCESS_MODES.includes(mode)) errs.push(notSupported(field, mode, ACCESS_MODES));
  if (m.includes('ReadWriteOncePod') && m.some((x) => x !== 'ReadWriteOncePod')) {
    errs.push(forbidden(field, 'may not use ReadWriteOncePod with other access modes'));
  }
  return errs;
}

const classNameAt = (name: string | undefined, field: string): FieldError[] =>
  name ? nameIsDNSSubdomain(name, false).map((m) => invalid(field, name, m)) : [];

export function validatePvcSpec(spec: PersistentVolumeClaimSpec | undefined, field: string): FieldError[] {
  const s = spec ?? {};
  const errs = validateAccessModes(s.accessModes, path(field, 'accessModes'), 'at least 1 access mode is required');
  errs.push(...validateLabelSelector(s.selector, path(field, 'selector')));
  const storagePath = key(path(field, 'resources'), 'storage');
  const storage = (s.resources?.requests as Record<string, unknown> | undefined)?.storage;
  if (storage === undefined) errs.push(required(storagePath, ''));
  else {
    const { q, errs: qe } = quantityAt(storage, storagePath);
    errs.push(...qe);
    if (q && q.sign() <= 0) errs.push(invalid(storagePath, q.toString(), IS_NOT_POSITIVE_MSG));
  }
  errs.push(...classNameAt(s.storageClassName, path(field, 'storageClassName')));
  if (s.volumeMode && !VOLUME_MODES.includes(s.volumeMode)) errs.push(notSupported(path(field, 'volumeMode'), s.volumeMode, VOLUME_MODES));
  return errs;
}

const PVC_IMMUTABLE_MSG = 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

function validatePvcUpdate(pvc: PersistentVolumeClaim, old: PersistentVolumeClaim): FieldError[] {
  const errs: FieldError[] = [];
  const n = pvc.spec ?? {};
  const o = old.spec ?? {};
  // volumeName may be set once (binding); storage requests may change for bound claims.
  const bound = pvc.status?.phase === 'Bound';
  const strip = (s: PersistentVolumeClaimSpec, volumeName: string | undefined) => ({
    ...s,
    volumeName,
    volumeAttributesClassName: undefined,
    resources: bound ? { ...s.resources, requests: { ...s.resources?.requests, storage: undefined } } : s.resources,
  });
  const nameAfter = o.volumeName ? n.volumeName : undefined;
  if (!semanticEqual(strip(n, nameAfter), strip(o, o.volumeName ? o.volumeName : undefined))) {
    errs.push(forbidden('spec', PVC_IMMUTABLE_MSG));
  }
  const newSize = quantityAt((n.resources?.requests as Record<string, unknown> | undefined)?.storage, 'x').q;
  const oldSize = quantityAt((o.resources?.requests as Record<string, unknown> | undefined)?.storage, 'x').q;
  if (newSize && oldSize && newSize.cmp(oldSize) < 0) errs.push(forbidden('spec.resources.requests.storage', 'field can not be less than previous value'));
  return errs;
}

function validatePvSpec(s: PersistentVolumeSpec | undefined): FieldError[] {
  const spec = s ?? {};
  const errs = validateAccessModes(spec.accessModes, 'spec.accessModes', '');
  const cap = (spec.capacity ?? {}) as Record<string, unknown>;
  if (Object.keys(cap).length === 0) errs.push(required('spec.capacity', ''));
  if (cap.storage === undefined || Object.keys(cap).length > 1) {
    errs.push(notSupported('spec.capacity', new GoValue(`core.ResourceList{${Object.keys(cap).map((k) => JSON.stringify(k)).join(', ')}}`), ['storage']));
  }
  const { errs: qe, parsed } = validateQuantityMap(cap, 'spec.capacity');
  errs.push(...qe);
  for (const [name, q] of parsed) if (q.sign() <= 0) errs.push(invalid(key('spec.capacity', name), q.toString(), IS_NOT_POSITIVE_MSG));
  const rp = spec.persistentVolumeReclaimPolicy;
  if (rp && !RECLAIM_POLICIES.includes(rp)) errs.push(notSupported('spec.persistentVolumeReclaimPolicy', rp, RECLAIM_POLICIES));
  const rec = spec as unknown as Record<string, unknown>;
  const present = PV_SOURCES.filter((k) => rec[k] !== undefined && rec[k] !== null);
  for (const k of present.slice(1)) errs.push(forbidden(path('spec', k), 'may not specify more than 1 volume type'));
  if (present.length === 0) errs.push(required('spec', 'must specify a volume type'));
  if (spec.hostPath && !spec.hostPath.path) errs.push(required('spec.hostPath.path', ''));
  if (spec.nfs) {
    if (!spec.nfs.server) errs.push(required('spec.nfs.server', ''));
    if (!spec.nfs.path) errs.push(required('spec.nfs.path', ''));
  }
  if (spec.local) {
    if (!spec.local.path) errs.push(required('spec.local.path', ''));
    if (!spec.nodeAffinity) errs.push(required('spec.nodeAffinity', 'Local volume requires node affinity'));
  }
  if (spec.csi) {
    if (!spec.csi.driver) errs.push(required('spec.csi.driver', ''));
    if (!spec.csi.volumeHandle) errs.push(required('spec.csi.volumeHandle', ''));
  }
  if (spec.hostPath?.path === '/' && rp === 'Recycle') {
    errs.push(forbidden('spec.persistentVolumeReclaimPolicy', "may not be 'recycle' for a hostPath mount of '/'"));
  }
  errs.push(...classNameAt(spec.storageClassName, 'spec.storageClassName'));
  if (spec.volumeMode && !VOLUME_MODES.includes(spec.volumeMode)) errs.push(notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  if (spec.nodeAffinity?.required) errs.push(...validateNodeSelector(spec.nodeAffinity.required, 'spec.nodeAffinity.required'));
  return errs;
}

function validatePvUpdate(pv: PersistentVolume, old: PersistentVolume): FieldError[] {
  const source = (s: PersistentVolumeSpec | undefined) =>
    Object.fromEntries(PV_SOURCES.map((k) => [k, (s as unknown as Record<string, unknown> | undefined)?.[k]]));
  const errs: FieldError[] = [];
  if (!semanticEqual(source(pv.spec), source(old.spec))) {
    errs.push(forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
  }
  errs.push(...validateImmutable(pv.spec?.volumeMode, old.spec?.volumeMode, 'spec.volumeMode'));
  return errs;
}

export const pvcRules: KindRules = {
  validate: (o) => validatePvcSpec(as<PersistentVolumeClaim>(o).spec, 'spec'),
  validateUpdate: (o, old) => validatePvcUpdate(as(o), as(old)),
};

export const pvRules: KindRules = {
  validate: (o) => validatePvSpec(as<PersistentVolume>(o).spec),
  validateUpdate: (o, old) => validatePvUpdate(as(o), as(old)),
};
