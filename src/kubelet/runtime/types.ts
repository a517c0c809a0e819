// The container runtime interface the kubelet drives, shaped like Kubernetes' CRI
// (k8s.io/cri-api RuntimeService): a pod is a sandbox (shared network, IPC and UTS namespaces, the
// pod cgroup) holding containers. Everything here is already resolved by the kubelet — argv, env,
// mounts, user, limits — so a runtime never reads API objects. Implementations: runc/ (conmon + runc,
// real processes) and, for scale, the simulated nodes in ../sim.
import type { Readable, Writable, Duplex } from 'node:stream';

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

export interface PortMapping {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  containerPort: number;
  hostPort: number;
  hostIP?: string;
}

export interface SandboxConfig {
  /** Pod UID: the sandbox id is derived from it, so a restarted kubelet finds the same sandbox. */
  uid: string;
  name: string;
  namespace: string;
  /** Pod hostname (pod name, or spec.hostname) and optional subdomain. */
  hostname: string;
  hostNetwork: boolean;
  hostIPC?: boolean;
  hostPID?: boolean;
  /** Contents of /etc/hosts and /etc/resolv.conf for every container of the pod. */
  hostsFile: string;
  resolvConf: string;
  portMappings: PortMapping[];
  qosClass: QOSClass;
  /** Sum over containers (pod-level cgroup limits); undefined = unlimited. */
  cpuLimitMillis?: number;
  memoryLimitBytes?: number;
  labels?: Record<string, string>;
}

export interface SandboxStatus {
  id: string;
  uid: string;
  state: 'ready' | 'notready';
  /** Pod IP ('' for none); the host's IP for hostNetwork pods. */
  ip: string;
  createdAt: Date;
}

export interface Mount {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
  /** 'bind' (default) or a tmpfs of `sizeBytes` (emptyDir medium Memory is a host tmpfs bind-mounted instead). */
  type?: 'bind';
}

export interface ContainerResources {
  cpuShares?: number; // from requests.cpu (millis * 1024 / 1000, min 2)
  cpuQuotaUs?: number; // from limits.cpu (millis * period / 1000)
  cpuPeriodUs?: number; // 100000
  memoryLimitBytes?: number;
  pidsLimit?: number;
  oomScoreAdj?: number;
}

export interface ContainerSecurity {
  runAsUser?: number;
  runAsGroup?: number;
  supplementalGroups?: number[];
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilitiesAdd?: string[]; // upstream names without CAP_ (e.g. NET_ADMIN) or ALL
  capabilitiesDrop?: string[];
}

export interface ContainerConfig {
  /** Pod UID, container name and restart attempt: the runtime derives a unique container id. */
  podUid: string;
  name: string;
  attempt: number;
  /** Image reference as the pod named it, and the resolved image record's rootfs layers. */
  image: string;
  imageId: string;
  /** Read-only layer directories, topmost first (overlayfs lowerdir order). */
  lowerDirs: string[];
  /** The final argv (kubelet merged command/args with the image's Entrypoint/Cmd). */
  argv: string[];
  env: Array<{ name: string; value: string }>;
  workingDir: string;
  mounts: Mount[];
  resources: ContainerResources;
  security: ContainerSecurity;
  tty: boolean;
  stdin: boolean;
  stdinOnce: boolean;
  /** Where the CRI-format log goes (kubelet picks /.../pods/<ns>_<name>_<uid>/<container>/<attempt>.log). */
  logPath: string;
  labels?: Record<string, string>;
}

export type ContainerState = 'created' | 'running' | 'exited' | 'unknown';

export interface ContainerStatus {
  id: string;
  podUid: string;
  name: string;
  attempt: number;
  state: ContainerState;
  image: string;
  imageId: string;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  exitCode?: number;
  /** 'OOMKilled' when the memory cgroup killed it; 'Error' / 'Completed' otherwise once exited. */
  reason?: string;
  message?: string;
  logPath: string;
  pid?: number;
}

export interface ExecOptions {
  tty: boolean;
  stdin: boolean;
  /** With tty: the terminal's size when the process starts (later sizes go through resize()). */
  size?: { width: number; height: number };
  /** Optional timeout (probes); the exec is killed and the promise rejects with code 'ETIMEDOUT'. */
  timeoutMs?: number;
}

/** A running exec (or attach): streams plus the exit code. With tty, stderr is merged into stdout. */
export interface ExecSession {
  stdin?: Writable;
  stdout: Readable;
  stderr?: Readable;
  resize(width: number, height: number): void;
  /** Resolves the process exit code. */
  exit: Promise<number>;
  kill(): void;
}

export interface RuntimeVersion {
  runtimeName: string; // e.g. runc
  runtimeVersion: string; // e.g. 1.1.5
}

export interface RuntimeService {
  version(): Promise<RuntimeVersion>;

  /** Creates the sandbox (idempotent for the same uid: returns the existing one). */
  runPodSandbox(config: SandboxConfig): Promise<SandboxStatus>;
  /** Stops every container of the sandbox and tears the network down (idempotent). */
  stopPodSandbox(uid: string): Promise<void>;
  /** Removes what is left: cgroups, netns, IP, state dirs (idempotent). */
  removePodSandbox(uid: string): Promise<void>;
  listPodSandboxes(): Promise<SandboxStatus[]>;
  podSandboxStatus(uid: string): Promise<SandboxStatus | undefined>;

  /** Creates and starts a container in the sandbox; resolves once it is running (or already exited). */
  createAndStartContainer(config: ContainerConfig): Promise<ContainerStatus>;
  /** SIGTERM (or the image's StopSignal), then SIGKILL after graceSeconds. Idempotent. */
  stopContainer(id: string, graceSeconds: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  /** Every container this runtime knows (running and exited, across kubelet restarts). */
  listContainers(filter?: { podUid?: string }): Promise<ContainerStatus[]>;
  containerStatus(id: string): Promise<ContainerStatus | undefined>;

  exec(id: string, argv: string[], opts: ExecOptions): Promise<ExecSession>;
  /** Attaches to the container's main process stdio (requires stdin/tty set at creation for input). */
  attach(id: string, opts: { stdin: boolean; tty: boolean }): Promise<ExecSession>;
  /** A TCP connection to `port` inside the pod's network namespace. */
  portForward(podUid: string, port: number): Promise<Duplex>;
}
