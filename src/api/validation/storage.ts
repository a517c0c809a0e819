// storage.k8s.io/v1 StorageClass validation as upstream pkg/apis/storage/validation: a qualified
// provisioner name, non-empty parameter keys within 256 KiB, reclaim policy and volume binding mode,
// allowed topologies; provisioner, parameters, reclaimPolicy and volumeBindingMode never change.
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { GoValue, forbidden, invalid, notSupported, path, required, type FieldError } from '../../machinery/field-errors.js';
import { goStringMap, semanticEqual, validateImmutable } from './common.js';
import { tooLongBytes, validateLabelName } from './labels.js';
import { isQualifiedName } from './names.js';
import { as, type KindRules } from './rules.js';

const MAX_PARAMETERS_SIZE = 256 * 1024;
const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

function validateStorageClass(sc: StorageClass): FieldError[] {
  const errs: FieldError[] = [];
  if (!sc.provisioner) errs.push(required('provisioner', ''));
  else {
    if (sc.provisioner.length > 253) errs.push({ type: 'FieldValueTooLong', field: 'provisioner', detail: 'must have at most 253 bytes' });
    for (const m of isQualifiedName(sc.provisioner.toLowerCase())) errs.push(invalid('provisioner', sc.provisioner, m));
  }
  let total = 0;
  for (const [k, v] of Object.entries(sc.parameters ?? {})) {
    if (!k) errs.push(invalid('parameters', goStringMap(sc.parameters), 'invalid empty parameter name'));
    total += k.length + String(v).length;
  }
  if (total > MAX_PARAMETERS_SIZE) errs.push(tooLongBytes('parameters', MAX_PARAMETERS_SIZE));
  if (sc.reclaimPolicy && !RECLAIM_POLICIES.includes(sc.reclaimPolicy)) errs.push(notSupported('reclaimPolicy', sc.reclaimPolicy, RECLAIM_POLICIES));
  if (!sc.volumeBindingMode) errs.push(required('volumeBindingMode', ''));
  else if (!BINDING_MODES.includes(sc.volumeBindingMode)) errs.push(notSupported('volumeBindingMode', sc.volumeBindingMode, BINDING_MODES));
  (sc.allowedTopologies ?? []).forEach((t, i) => {
    const at = path('allowedTopologies', i);
    const exprs = t.matchLabelExpressions ?? [];
    if (exprs.length === 0) errs.push(required(path(at, 'matchLabelExpressions'), 'must have at least one label expression'));
    exprs.forEach((e, j) => {
      errs.push(...validateLabelName(e.key, path(at, 'matchLabelExpressions', j, 'key')));
      if ((e.values ?? []).length === 0) errs.push(required(path(at, 'matchLabelExpressions', j, 'values'), 'must specify as least one value'));
    });
  });
  return errs;
}

function validateStorageClassUpdate(sc: StorageClass, old: StorageClass): FieldError[] {
  const errs: FieldError[] = [];
  if (!semanticEqual(sc.parameters, old.parameters)) errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  if (sc.provisioner !== old.provisioner) errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if ((sc.reclaimPolicy ?? 'Delete') !== (old.reclaimPolicy ?? 'Delete')) errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  errs.push(...validateImmutable(sc.volumeBindingMode, old.volumeBindingMode, 'volumeBindingMode', new GoValue(sc.volumeBindingMode === undefined ? '(*storage.VolumeBindingMode)(nil)' : JSON.stringify(sc.volumeBindingMode))));
  return errs;
}

export const storageRules: Record<string, KindRules> = {
  'storage.k8s.io/StorageClass': { validate: (o) => validateStorageClass(as(o)), validateUpdate: (o, old) => validateStorageClassUpdate(as(o), as(old)) },
};
