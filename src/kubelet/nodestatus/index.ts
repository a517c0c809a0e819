// Node registration, status and Lease heartbeat for the real kubelet (see node-status-manager.ts);
// host readings and pure builders are exported for tests and for `skiff` diagnostics.
export { startNodeStatus, type NodeStatusOptions, type NodeStatusHandle } from './node-status-manager.js';
export { readHostInfo, capacityOf, allocatableOf, formatBinaryQuantity, type HostInfo } from './node-info.js';
export { computeConditions, readReadings, type Readings, type ReadyState } from './conditions.js';
export { initialNode, nodeStatusFor, nodeImages, nodeLabels, type NodeIdentity } from './node-object.js';
