// The runc implementation of RuntimeService (conmon-supervised runc containers, persistent-namespace sandboxes).
export { RuncRuntime, RuntimeError, containerIdFor, type RuncRuntimeOptions } from './runc-runtime.js';
export { buildSpec, computeCapabilities, podCgroupPath, type OciSpec, type SpecContext } from './oci-spec.js';
export { ExecTimeoutError } from './exec.js';
