// The table of per-kind rules, keyed `<group>/<Kind>` ('' group for core). Each group's rules live in
// their own file; this file only assembles them.
import type { KindRules } from './rules.js';
import { podRules } from './pod.js';

export const kindRules: Record<string, KindRules> = {
  '/Pod': podRules,
};
