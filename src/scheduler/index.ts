// The scheduler's public surface: start it against an API server with startScheduler(client); the
// queue, cache and pure decision function are exported for tests and benchmarks.
export { startScheduler, DEFAULT_SCHEDULER_NAME, type SchedulerOptions, type RunningScheduler } from './scheduler.js';
export { SchedulingQueue, podKey, type QueuedPod, type QueueOptions } from './queue.js';
export { SchedulerCache } from './cache.js';
export { schedulePod, numFeasibleNodesToFind, type Profile, type ScheduleResult } from './schedule-one.js';
