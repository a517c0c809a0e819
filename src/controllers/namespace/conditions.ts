// The Namespace status conditions the namespace deleter maintains (upstream
// pkg/controller/namespace/deletion/namespace_condition_utils.go): each condition type is True with a
// failure reason while its problem exists and False with an "ok" reason otherwise, so `kubectl
// describe ns` tells why a Terminating namespace is stuck. lastTransitionTime changes only when a
// condition's status changes.
import type { NamespaceCondition } from 'kubernetes-types/core/v1.js';

export const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;
export type NamespaceConditionType = (typeof CONDITION_TYPES)[number];

const OK: Record<NamespaceConditionType, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

/** What one pass of content deletion found. */
export interface DeletionOutcome {
  /** groupVersion → error: discovery documents that could not be read. */
  discoveryFailures: Map<string, string>;
  /** Errors deleting or listing some resource type. */
  deleteErrors: string[];
  /** `pods`, `deployments.apps` → objects still present after the delete. */
  remaining: Map<string, number>;
  /** finalizer → objects still carrying it. */
  finalizersRemaining: Map<string, number>;
}

/** Formats a count table as upstream's sorted "<key> has N resource instances" list. */
function describe(m: Map<string, number>, fmt: (k: string, n: number) => string): string {
  return [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => fmt(k, n)).join(', ');
}

/** The failing conditions of an outcome (status True); types not listed here are ok. */
export function failingConditions(o: DeletionOutcome): Array<{ type: NamespaceConditionType; reason: string; message: string }> {
  const out: Array<{ type: NamespaceConditionType; reason: string; message: string }> = [];
  if (o.discoveryFailures.size > 0) {
    const list = [...o.discoveryFailures.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([gv, e]) => `${gv}: ${e}`);
    out.push({ type: 'NamespaceDeletionDiscoveryFailure', reason: 'DiscoveryFailed', message: `Discovery failed for some groups, ${list.length} failing: ${list.join(', ')}` });
  }
  if (o.deleteErrors.length > 0) {
    out.push({
      type: 'NamespaceDeletionContentFailure',
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${o.deleteErrors.length} remaining: ${o.deleteErrors.join(', ')}`,
    });
  }
  if (o.remaining.size > 0) {
    out.push({ type: 'NamespaceContentRemaining', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${describe(o.remaining, (k, n) => `${k} has ${n} resource instances`)}` });
  }
  if (o.finalizersRemaining.size > 0) {
    out.push({
      type: 'NamespaceFinalizersRemaining',
      reason: 'SomeFinalizersRemain',
      message: `Some content in the namespace has finalizers remaining: ${describe(o.finalizersRemaining, (k, n) => `${k} in ${n} resource instances`)}`,
    });
  }
  return out;
}

/**
 * The namespace's new conditions: every deleter-owned type set from the outcome (True when failing,
 * False with the ok reason otherwise); other condition types kept as they were. An unchanged
 * condition keeps its lastTransitionTime.
 */
export function updateConditions(existing: readonly NamespaceCondition[], o: DeletionOutcome, now: string): NamespaceCondition[] {
  const failing = new Map(failingConditions(o).map((c) => [c.type as string, c]));
  const owned = new Set<string>(CONDITION_TYPES);
  const out: NamespaceCondition[] = existing.filter((c) => !owned.has(c.type));
  for (const type of CONDITION_TYPES) {
    const f = failing.get(type);
    const want = f ? { type, status: 'True', reason: f.reason, message: f.message } : { type, status: 'False', ...OK[type] };
    const old = existing.find((c) => c.type === type);
    if (old && old.status === want.status && old.reason === want.reason && old.message === want.message) out.push(old);
    else out.push({ ...want, lastTransitionTime: old && old.status === want.status ? old.lastTransitionTime : now });
  }
  return out;
}
