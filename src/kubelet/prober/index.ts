// Container probes (see manager.ts for the per-container workers, probe.ts for one probe run).
export { ProbeManager, type ProbeManagerOptions, type RestartReason } from './manager.js';
export { runProbe, type ProbeResult, type ProbeTarget, type ExecResult } from './probe.js';
export type { ProbeType } from './worker.js';
