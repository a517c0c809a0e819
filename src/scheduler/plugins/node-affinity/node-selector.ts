// Upstream component-helpers nodeaffinity: matching a Node against NodeSelectorTerms. Terms are ORed;
// inside a term every matchExpressions (labels) and matchFields (only metadata.name) requirement must
// hold; a term with no requirements matches nothing. Gt/Lt compare the label value as an integer
// (`cpu-count Gt 4` matches label "8", not "abc"); malformed requirements never match.
import type { Node, NodeSelectorRequirement, NodeSelectorTerm } from 'kubernetes-types/core/v1.js';
import { requirementMatches as labelRequirementMatches, type Requirement } from '../../../machinery/labels.js';

/** A node selector requirement against labels (or fields); the label selector's matcher, same operators. */
export function requirementMatches(r: NodeSelectorRequirement, fields: Record<string, string>): boolean {
  return labelRequirementMatches({ key: r.key, operator: r.operator as Requirement['operator'], values: r.values ?? [] }, fields);
}

export function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fieldReqs = term.matchFields ?? [];
  if (exprs.length === 0 && fieldReqs.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  const fields = { 'metadata.name': node.metadata?.name ?? '' };
  return (
    exprs.every((r) => requirementMatches(r, labels)) &&
    fieldReqs.every((r) => r.key === 'metadata.name' && (r.operator === 'In' || r.operator === 'NotIn') && requirementMatches(r, fields))
  );
}

export function nodeSelectorTermsMatch(terms: NodeSelectorTerm[], node: Node): boolean {
  return terms.some((t) => termMatches(t, node));
}
