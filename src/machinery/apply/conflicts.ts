// Apply ownership conflicts and the 409 they become, worded exactly as upstream's
// fieldmanager/internal/conflict.go: one conflict reads
// `Apply failed with 1 conflict: conflict with "m" using apps/v1: .spec.replicas`; several are grouped
// per manager (managers sorted by identity) under `Apply failed with N conflicts: conflicts with …:`.
import { StatusError } from '../errors.js';
import { type Path, pathString } from './fieldset.js';
import type { ManagerEntry } from './managed.js';

export interface Conflict {
  /** Manager identity (see managed.ts `identity`). */
  id: string;
  entry: ManagerEntry;
  path: Path;
}

/** Thrown inside the apply machinery; converted to a StatusError at the edge. */
export class ConflictList extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(conflictMessage(conflicts));
  }
}

/** upstream printManager: `"m"`, `"m" with subresource "status"`, then ` using v` for Update entries. */
export function printManager(e: ManagerEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

export function conflictMessage(conflicts: Conflict[]): string {
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    return `Apply failed with 1 conflict: conflict with ${printManager(c.entry)}: ${pathString(c.path)}`;
  }
  const byManager = new Map<string, Conflict[]>();
  for (const c of conflicts) {
    const list = byManager.get(c.id) ?? [];
    list.push(c);
    byManager.set(c.id, list);
  }
  const lines: string[] = [];
  for (const id of [...byManager.keys()].sort()) {
    const list = byManager.get(id)!;
    lines.push(`conflicts with ${printManager(list[0]!.entry)}:`);
    for (const c of list) lines.push(`- ${pathString(c.path)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** errors.NewApplyConflict: 409 Conflict whose details carry only the causes, as upstream's. */
export function conflictError(conflicts: Conflict[]): StatusError {
  return new StatusError({
    status: 'Failure',
    code: 409,
    reason: 'Conflict',
    message: conflictMessage(conflicts),
    details: {
      causes: conflicts.map((c) => ({
        reason: 'FieldManagerConflict',
        message: `conflict with ${printManager(c.entry)}`,
        field: pathString(c.path),
      })),
    },
  });
}
