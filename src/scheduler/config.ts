// Reads upstream's KubeSchedulerConfiguration file (kubescheduler.config.k8s.io/v1) — the subset Skiff's
// scheduler honours: the first profile's schedulerName, percentageOfNodesToScore (top level or per
// profile), and NodeResourcesFit's scoringStrategy.type (LeastAllocated / MostAllocated). Anything the
// scheduler cannot honour is an error naming the field, not silently ignored.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { isPlainObject } from '../machinery/object.js';
import type { SchedulerOptions } from './scheduler.js';

const API_VERSION = 'kubescheduler.config.k8s.io/v1';
const STRATEGIES = ['LeastAllocated', 'MostAllocated'] as const;

export function parseSchedulerConfig(text: string, source = 'scheduler config'): SchedulerOptions {
  const doc: unknown = parseYaml(text);
  const fail = (field: string, msg: string): never => {
    throw Object.assign(new Error(`${source}: ${field}: ${msg}`), { code: 'EINVALIDCONFIG' });
  };
  if (!isPlainObject(doc)) return fail('(root)', 'not a mapping');
  if (doc.apiVersion !== API_VERSION) fail('apiVersion', `must be ${API_VERSION}`);
  if (doc.kind !== 'KubeSchedulerConfiguration') fail('kind', 'must be KubeSchedulerConfiguration');
  const out: SchedulerOptions = {};
  const pct = (v: unknown, field: string) => {
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 100) fail(field, 'must be an integer from 0 to 100');
    out.percentageOfNodesToScore = v as number;
  };
  pct(doc.percentageOfNodesToScore, 'percentageOfNodesToScore');
  const profiles = doc.profiles ?? [];
  if (!Array.isArray(profiles)) return fail('profiles', 'must be a list');
  if (profiles.length > 1) fail('profiles', 'only one profile is supported');
  const p: unknown = profiles[0];
  if (p !== undefined) {
    if (!isPlainObject(p)) return fail('profiles[0]', 'must be a mapping');
    if (p.schedulerName !== undefined) {
      if (typeof p.schedulerName !== 'string' || !p.schedulerName) fail('profiles[0].schedulerName', 'must be a non-empty string');
      out.schedulerName = p.schedulerName as string;
    }
    pct(p.percentageOfNodesToScore, 'profiles[0].percentageOfNodesToScore');
    if (p.plugins !== undefined) fail('profiles[0].plugins', 'enabling or disabling plugins is not supported; the default set runs');
    const pcs = p.pluginConfig ?? [];
    if (!Array.isArray(pcs)) return fail('profiles[0].pluginConfig', 'must be a list');
    pcs.forEach((pc: unknown, i) => {
      const field = `profiles[0].pluginConfig[${i}]`;
      if (!isPlainObject(pc) || typeof pc.name !== 'string') return fail(field, 'must have a name');
      if (pc.name !== 'NodeResourcesFit') return fail(`${field}.name`, `plugin "${pc.name}" has no configurable arguments in Skiff`);
      const args = isPlainObject(pc.args) ? pc.args : {};
      const strategy = isPlainObject(args.scoringStrategy) ? args.scoringStrategy.type : undefined;
      if (strategy === undefined) return;
      if (!STRATEGIES.includes(strategy as (typeof STRATEGIES)[number])) fail(`${field}.args.scoringStrategy.type`, `must be one of ${STRATEGIES.join(', ')}`);
      out.scoringStrategy = strategy as (typeof STRATEGIES)[number];
    });
  }
  return out;
}

export function loadSchedulerConfig(path: string): SchedulerOptions {
  return parseSchedulerConfig(readFileSync(path, 'utf8'), path);
}
