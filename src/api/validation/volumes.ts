// Pod volume validation as upstream core validateVolumes: names are unique DNS labels, each volume has
// exactly one source, and the common sources have their required fields. Returns the set of volume
// names so container volumeMounts can be checked against it.
import type { KeyToPath, Volume } from 'kubernetes-types/core/v1.js';
import { duplicate, forbidden, invalid, notSupported, path, required, type FieldError } from '../../machinery/field-errors.js';
import { validateDNS1123Label } from './common.js';
import { quantityAt } from './resources.js';

// In upstream's order of checking, so the "more than 1" error lands on the same field.
const SOURCES = [
  'hostPath', 'emptyDir', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'flexVolume', 'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'projected', 'scaleIO', 'configMap',
  'storageos', 'csi', 'ephemeral', 'image',
] as const;

const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

function validateKeyToPaths(items: KeyToPath[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  (items ?? []).forEach((it, i) => {
    const at = path(field, i);
    if (!it.key) errs.push(required(path(at, 'key'), ''));
    if (!it.path) errs.push(required(path(at, 'path'), ''));
    else errs.push(...validateLocalNonReservedPath(it.path, path(at, 'path')));
    if (it.mode !== undefined && (it.mode > 0o777 || it.mode < 0)) {
      errs.push(invalid(path(at, 'mode'), it.mode, 'must be a number between 0 and 0777 (octal), both inclusive'));
    }
  });
  return errs;
}

export function validateLocalNonReservedPath(p: string, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.startsWith('/')) errs.push(invalid(field, p, 'must be a relative path'));
  if (p.split('/').includes('..')) errs.push(invalid(field, p, "must not contain '..'"));
  if (p.startsWith('..')) errs.push(invalid(field, p, "must not start with '..'"));
  return errs;
}

function validateDefaultMode(mode: number | undefined, field: string): FieldError[] {
  return mode !== undefined && (mode > 0o777 || mode < 0) ? [invalid(field, mode, 'must be a number between 0 and 0777 (octal), both inclusive')] : [];
}

function validateSource(v: Volume, field: string): FieldError[] {
  const present = SOURCES.filter((s) => (v as unknown as Record<string, unknown>)[s] !== undefined && (v as unknown as Record<string, unknown>)[s] !== null);
  if (present.length === 0) return [required(field, 'must specify a volume type')];
  const errs: FieldError[] = present.slice(1).map((s) => forbidden(path(field, s), 'may not specify more than 1 volume type'));
  if (v.hostPath) {
    if (!v.hostPath.path) errs.push(required(path(field, 'hostPath', 'path'), ''));
    if (v.hostPath.type !== undefined && !HOST_PATH_TYPES.includes(v.hostPath.type)) {
      errs.push(notSupported(path(field, 'hostPath', 'type'), v.hostPath.type, HOST_PATH_TYPES));
    }
  }
  if (v.emptyDir?.sizeLimit !== undefined) {
    const { q, errs: qe } = quantityAt(v.emptyDir.sizeLimit, path(field, 'emptyDir', 'sizeLimit'));
    errs.push(...qe);
    if (q && q.sign() < 0) errs.push(forbidden(path(field, 'emptyDir', 'sizeLimit'), 'SizeLimit field must be a valid resource quantity'));
  }
  if (v.secret) {
    if (!v.secret.secretName) errs.push(required(path(field, 'secret', 'secretName'), ''));
    errs.push(...validateDefaultMode(v.secret.defaultMode, path(field, 'secret', 'defaultMode')));
    errs.push(...validateKeyToPaths(v.secret.items, path(field, 'secret', 'items')));
  }
  if (v.configMap) {
    if (!v.configMap.name) errs.push(required(path(field, 'configMap', 'name'), ''));
    errs.push(...validateDefaultMode(v.configMap.defaultMode, path(field, 'configMap', 'defaultMode')));
    errs.push(...validateKeyToPaths(v.configMap.items, path(field, 'configMap', 'items')));
  }
  if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) errs.push(required(path(field, 'persistentVolumeClaim', 'claimName'), ''));
  if (v.nfs) {
    if (!v.nfs.server) errs.push(required(path(field, 'nfs', 'server'), ''));
    if (!v.nfs.path) errs.push(required(path(field, 'nfs', 'path'), ''));
    else if (!v.nfs.path.startsWith('/')) errs.push(invalid(path(field, 'nfs', 'path'), v.nfs.path, 'must be an absolute path'));
  }
  if (v.csi && !v.csi.driver) errs.push(required(path(field, 'csi', 'driver'), ''));
  if (v.downwardAPI) {
    (v.downwardAPI.items ?? []).forEach((it, i) => {
      const at = path(field, 'downwardAPI', 'items', i);
      if (!it.path) errs.push(required(path(at, 'path'), ''));
      else errs.push(...validateLocalNonReservedPath(it.path, path(at, 'path')));
      if (!it.fieldRef && !it.resourceFieldRef) errs.push(required(at, 'one of fieldRef and resourceFieldRef is required'));
    });
  }
  return errs;
}

/** Upstream validateVolumes; returns the errors and the volume names for mount checks. */
export function validateVolumes(volumes: Volume[] | undefined, field: string): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (volumes ?? []).forEach((v, i) => {
    const at = path(field, i);
    errs.push(...validateSource(v, at));
    if (!v.name) errs.push(required(path(at, 'name'), ''));
    else errs.push(...validateDNS1123Label(v.name, path(at, 'name')));
    if (names.has(v.name)) errs.push(duplicate(path(at, 'name'), v.name));
    names.add(v.name);
  });
  return { errs, names };
}
