// RuntimeService on real processes: runc creates containers from OCI bundles, conmon supervises
// each one (stdio → CRI log file, exit code → exit file) so containers outlive the kubelet, and the
// pod sandbox is a set of persistent namespaces (see sandbox.ts: no pause container). All state is
// under `root`, so a new RuncRuntime over the same root after a crash re-adopts every sandbox and
// container: running ones are found through conmon's pid, exited ones through their exit files, and
// a container id is derived from (pod uid, name, attempt) so a retried create never starts it twice.
// Status is cheap by construction (the kubelet polls listContainers every second for every pod): a
// running container costs one stat of its exit file and one read of conmon's /proc stat; runc itself
// is only consulted when conmon has vanished without writing an exit file.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type {
  ContainerConfig, ContainerStatus, ExecOptions, ExecSession, RuntimeService, RuntimeVersion, SandboxConfig, SandboxStatus,
} from '../types.js';
import type { PodNetwork } from '../../network/pod-network.js';
import { run } from '../../network/command.js';
import { launchConmon } from './conmon.js';
import { runcExec } from './exec.js';
import { conmonAttach } from './attach.js';
import {
  cgroupOomKills, isMounted, processAlive, processStartTime, removeCgroupTree, swapAccounting, unmountAll, writeCgroupFile,
} from './host.js';
import { Layout, loadRecords, writeJson, type ContainerRecord, type SandboxRecord } from './layout.js';
import { buildSpec, podCgroupPath } from './oci-spec.js';
import { createSandboxNamespaces, removeSandboxDir, sandboxPaths } from './sandbox.js';

export interface RuncRuntimeOptions {
  /** State directory, e.g. <data-dir>/agent/runtime. */
  root: string;
  /** Cgroup parent of every pod, e.g. "/skiff-<short id>" (unique per kubelet on a host). */
  cgroupRoot: string;
  network: PodNetwork;
  /** The node's IP, reported as the pod IP of hostNetwork pods. */
  hostIP?: string;
  runcPath?: string;
  conmonPath?: string;
}

export class RuntimeError extends Error {
  constructor(readonly code: 'ENOTFOUND' | 'ENOTRUNNING' | 'ESANDBOXNOTREADY' | 'EINVAL' | 'ECREATE', message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const SANDBOX_FILE = 'sandbox.json';
const CONTAINER_FILE = 'container.json';

/** The container id for (pod, name, attempt): 64 hex digits, like containerd's. */
export function containerIdFor(podUid: string, name: string, attempt: number): string {
  return createHash('sha256').update(`${podUid}/${name}/${attempt}`).digest('hex');
}

export class RuncRuntime implements RuntimeService {
  readonly layout: Layout;
  private readonly runc: string;
  private readonly conmon: string;
  private readonly network: PodNetwork;
  private sandboxes = new Map<string, SandboxRecord>();
  private containers = new Map<string, ContainerRecord>();
  private loaded = false;
  /** Serialises operations per sandbox uid / container id (a retried create waits for the first). */
  private locks = new Map<string, Promise<unknown>>();
  private hostnameBin: string[];

  constructor(private readonly opts: RuncRuntimeOptions) {
    this.layout = new Layout(opts.root);
    this.runc = opts.runcPath ?? '/usr/sbin/runc';
    this.conmon = opts.conmonPath ?? '/usr/bin/conmon';
    this.network = opts.network;
    this.hostnameBin = existsSync('/bin/hostname') ? ['/bin/hostname'] : ['/bin/busybox', 'hostname'];
  }

  /** Creates the state directories and the bridge, and loads every record from disk (re-adoption). */
  async init(): Promise<void> {
    this.load();
    await this.network.ensureBridge();
  }

  private load(): void {
    if (this.loaded) return;
    this.layout.ensure();
    for (const s of loadRecords<SandboxRecord>(this.layout.sandboxesDir, SANDBOX_FILE)) this.sandboxes.set(s.uid, s);
    for (const c of loadRecords<ContainerRecord>(this.layout.containersDir, CONTAINER_FILE)) this.containers.set(c.id, c);
    this.loaded = true;
  }

  private async locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.locks.set(key, tail);
    try {
      return await next;
    } finally {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }

  async version(): Promise<RuntimeVersion> {
    const out = (await run(this.runc, ['--version'])).stdout;
    const m = /runc version (\d+\.\d+\.\d+)/.exec(out);
    return { runtimeName: 'runc', runtimeVersion: m?.[1] ?? 'unknown' };
  }

  // ---- sandboxes ------------------------------------------------------------------------------

  private saveSandbox(s: SandboxRecord): void {
    mkdirSync(this.layout.sandboxDir(s.uid), { recursive: true });
    writeJson(join(this.layout.sandboxDir(s.uid), SANDBOX_FILE), s);
    this.sandboxes.set(s.uid, s);
  }

  private sandboxStatusOf(s: SandboxRecord): SandboxStatus {
    return { id: s.id, uid: s.uid, state: s.state, ip: s.ip, createdAt: new Date(s.createdAt) };
  }

  async runPodSandbox(cfg: SandboxConfig): Promise<SandboxStatus> {
    this.load();
    return this.locked(`pod/${cfg.uid}`, async () => {
      const existing = this.sandboxes.get(cfg.uid);
      if (existing?.state === 'ready') return this.sandboxStatusOf(existing);
      const rec: SandboxRecord = existing ?? {
        uid: cfg.uid,
        id: createHash('sha256').update(`sandbox/${cfg.uid}`).digest('hex'),
        name: cfg.name,
        namespace: cfg.namespace,
        hostname: cfg.hostname,
        hostNetwork: cfg.hostNetwork,
        hostIPC: cfg.hostIPC === true,
        hostPID: cfg.hostPID === true,
        qosClass: cfg.qosClass,
        portMappings: cfg.portMappings,
        ip: '',
        state: 'notready',
        createdAt: new Date().toISOString(),
      };
      // Recorded before anything is made, so a crash mid-setup leaves a record removePodSandbox can clean.
      this.saveSandbox(rec);
      await createSandboxNamespaces(sandboxPaths(this.layout.sandboxDir(cfg.uid)), cfg, this.hostnameBin);
      if (cfg.hostNetwork) {
        rec.ip = this.opts.hostIP ?? '';
      } else {
        await this.network.ensureBridge();
        const att = await this.network.setup(cfg.uid);
        rec.ip = att.ip;
        rec.netnsPath = att.netnsPath;
        await this.network.setupHostPorts(cfg.uid, att.ip, cfg.portMappings);
      }
      this.applyPodLimits(cfg);
      rec.state = 'ready';
      this.saveSandbox(rec);
      return this.sandboxStatusOf(rec);
    });
  }

  /** Pod-level limits (sum over containers) on the pod cgroup, as upstream's pod cgroup. */
  private applyPodLimits(cfg: SandboxConfig): void {
    const path = podCgroupPath(this.opts.cgroupRoot, cfg.qosClass, cfg.uid);
    if (cfg.memoryLimitBytes !== undefined) {
      mkdirSync(join('/sys/fs/cgroup/memory', path), { recursive: true });
      writeCgroupFile('memory', path, 'memory.limit_in_bytes', String(cfg.memoryLimitBytes));
    }
    if (cfg.cpuLimitMillis !== undefined) {
      mkdirSync(join('/sys/fs/cgroup/cpu', path), { recursive: true });
      writeCgroupFile('cpu', path, 'cpu.cfs_period_us', '100000');
      // 1500m → 150000 µs of CPU time per 100000 µs period.
      writeCgroupFile('cpu', path, 'cpu.cfs_quota_us', String(Math.max(1000, Math.round((cfg.cpuLimitMillis * 100_000) / 1000))));
    }
  }

  async stopPodSandbox(uid: string): Promise<void> {
    this.load();
    await Promise.all([...this.containers.values()].filter((c) => c.podUid === uid).map((c) => this.stopContainer(c.id, 0)));
    await this.locked(`pod/${uid}`, async () => {
      const rec = this.sandboxes.get(uid);
      if (!rec?.hostNetwork) await this.network.teardown(uid);
      if (rec) {
        rec.state = 'notready';
        this.saveSandbox(rec);
      }
    });
  }

  async removePodSandbox(uid: string): Promise<void> {
    this.load();
    await this.stopPodSandbox(uid);
    for (const c of [...this.containers.values()].filter((x) => x.podUid === uid)) await this.removeContainer(c.id);
    await this.locked(`pod/${uid}`, async () => {
      await removeSandboxDir(sandboxPaths(this.layout.sandboxDir(uid)));
      for (const qos of ['Guaranteed', 'Burstable', 'BestEffort'] as const) {
        await removeCgroupTree(podCgroupPath(this.opts.cgroupRoot, qos, uid));
      }
      this.sandboxes.delete(uid);
    });
  }

  async listPodSandboxes(): Promise<SandboxStatus[]> {
    this.load();
    return [...this.sandboxes.values()].map((s) => this.sandboxStatusOf(s));
  }

  async podSandboxStatus(uid: string): Promise<SandboxStatus | undefined> {
    this.load();
    const s = this.sandboxes.get(uid);
    return s && this.sandboxStatusOf(s);
  }

  // ---- containers -----------------------------------------------------------------------------

  private saveContainer(c: ContainerRecord): void {
    writeJson(join(this.layout.containerDir(c.id), CONTAINER_FILE), c);
    this.containers.set(c.id, c);
  }

  async createAndStartContainer(cfg: ContainerConfig): Promise<ContainerStatus> {
    this.load();
    const id = containerIdFor(cfg.podUid, cfg.name, cfg.attempt);
    return this.locked(`ctr/${id}`, async () => {
      const existing = this.containers.get(id);
      if (existing && existing.phase !== 'creating') return this.resumeStart(existing);
      if (existing) await this.discardPartial(existing);
      return this.create(id, cfg);
    });
  }

  /** A container found again: start it if it was created but never started; never start it twice. */
  private async resumeStart(c: ContainerRecord): Promise<ContainerStatus> {
    if (c.phase === 'created') {
      const state = await this.runcState(c.id);
      if (state === 'created') await run(this.runc, ['--root', this.layout.runcRoot, 'start', c.id]);
      if (state === 'created' || state === 'running' || state === 'stopped') {
        c.phase = 'started';
        c.startedAt ??= new Date().toISOString();
        this.saveContainer(c);
      }
    }
    return this.statusOf(c);
  }

  /** A create interrupted before conmon reported back: remove whatever runc/conmon/mount exists. */
  private async discardPartial(c: ContainerRecord): Promise<void> {
    const conmonPid = this.readPidFile(join(this.layout.containerDir(c.id), 'conmon.pid'));
    if (conmonPid && processAlive(conmonPid)) {
      // conmon did finish creating: adopt it instead.
      if ((await this.runcState(c.id)) !== undefined) {
        c.phase = 'created';
        c.conmonPid = conmonPid;
        c.conmonStartTime = processStartTime(conmonPid);
        this.saveContainer(c);
        return;
      }
    }
    await this.removeContainerFiles(c.id);
  }

  private async create(id: string, cfg: ContainerConfig): Promise<ContainerStatus> {
    const sandbox = this.sandboxes.get(cfg.podUid);
    if (!sandbox || sandbox.state !== 'ready') throw new RuntimeError('ESANDBOXNOTREADY', `pod sandbox ${cfg.podUid} is not ready`);
    if (cfg.lowerDirs.length === 0) throw new RuntimeError('EINVAL', `container ${cfg.name}: no image layers`);
    const dir = this.layout.containerDir(id);
    const bundle = this.layout.bundle(id);
    const rootfs = this.layout.rootfs(id);
    for (const d of [rootfs, join(dir, 'upper'), join(dir, 'work'), this.layout.persistDir(id)]) mkdirSync(d, { recursive: true });
    const cgroupsPath = `${podCgroupPath(this.opts.cgroupRoot, sandbox.qosClass, cfg.podUid)}/${id}`;
    const rec: ContainerRecord = {
      id, podUid: cfg.podUid, name: cfg.name, attempt: cfg.attempt, image: cfg.image, imageId: cfg.imageId,
      logPath: cfg.logPath, cgroupsPath, labels: cfg.labels, createdAt: new Date().toISOString(), phase: 'creating',
      tty: cfg.tty, stdin: cfg.stdin,
    };
    this.saveContainer(rec);
    try {
      if (!isMounted(rootfs)) {
        await run('mount', ['-t', 'overlay', 'overlay', '-o',
          `lowerdir=${cfg.lowerDirs.join(':')},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`, rootfs]);
      }
      const sp = sandboxPaths(this.layout.sandboxDir(cfg.podUid));
      const spec = buildSpec(cfg, {
        rootfs,
        hostname: sandbox.hostNetwork ? '' : sandbox.hostname,
        netnsPath: sandbox.hostNetwork ? undefined : sandbox.netnsPath,
        ipcPath: sandbox.hostIPC ? undefined : sp.ipcNs,
        utsPath: sandbox.hostNetwork ? undefined : sp.utsNs,
        hostPID: sandbox.hostPID,
        hostsFile: sp.hosts,
        resolvConf: sp.resolvConf,
        hostnameFile: sp.hostname,
        shmDir: sandbox.hostIPC ? undefined : sp.shm,
        cgroupsPath,
        swapAccounting: swapAccounting(),
      });
      writeJson(join(bundle, 'config.json'), spec);
      mkdirSync(dirname(cfg.logPath), { recursive: true });
      const pid = await launchConmon({
        conmonPath: this.conmon, runcPath: this.runc, runcRoot: this.layout.runcRoot, id, bundle, logPath: cfg.logPath,
        exitDir: this.layout.exitDir, persistDir: this.layout.persistDir(id), sockDir: this.layout.sockDir,
        containerPidFile: join(dir, 'container.pid'), conmonPidFile: join(dir, 'conmon.pid'),
        tty: cfg.tty, stdin: cfg.stdin, stdinOnce: cfg.stdinOnce,
      });
      rec.pid = pid;
      rec.conmonPid = this.readPidFile(join(dir, 'conmon.pid'));
      rec.conmonStartTime = rec.conmonPid ? processStartTime(rec.conmonPid) : undefined;
      rec.phase = 'created';
      this.saveContainer(rec);
    } catch (err) {
      await this.removeContainerFiles(id).catch(() => undefined);
      throw new RuntimeError('ECREATE', `cannot create container ${cfg.name} of pod ${cfg.podUid}: ${(err as Error).message}`, { cause: err });
    }
    await run(this.runc, ['--root', this.layout.runcRoot, 'start', id]);
    rec.phase = 'started';
    rec.startedAt = new Date().toISOString();
    this.saveContainer(rec);
    return this.statusOf(rec);
  }

  private readPidFile(path: string): number | undefined {
    try {
      const n = Number(readFileSync(path, 'utf8').trim());
      return n > 0 ? n : undefined;
    } catch {
      return undefined;
    }
  }

  /** runc's view: 'created' | 'running' | 'stopped' | 'paused', or undefined when runc does not know the id. */
  private async runcState(id: string): Promise<string | undefined> {
    const r = await run(this.runc, ['--root', this.layout.runcRoot, 'state', id], { allowFail: true });
    if (r.exitCode !== 0) return undefined;
    return readJsonText<{ status?: string }>(r.stdout)?.status;
  }

  /** The exit recorded by conmon, with OOM detection; undefined while the container runs. */
  private readExit(c: ContainerRecord): ContainerRecord['final'] | undefined {
    const file = this.layout.exitFile(c.id);
    let text: string;
    let mtime: Date;
    try {
      text = readFileSync(file, 'utf8').trim();
      mtime = statSync(file).mtime;
    } catch {
      return undefined;
    }
    // conmon may create the file before writing the code: empty means "not yet".
    if (text === '') return undefined;
    const exitCode = Number(text);
    // conmon touches <persist>/oom on the memory cgroup's OOM event; the cgroup's oom_kill counter
    // covers an exit observed before conmon got to it.
    const oom = existsSync(join(this.layout.persistDir(c.id), 'oom')) || (exitCode === 137 && cgroupOomKills(c.cgroupsPath) > 0);
    const reason = oom ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
    return { exitCode, reason, finishedAt: mtime.toISOString() };
  }

  private async statusOf(c: ContainerRecord): Promise<ContainerStatus> {
    const base: ContainerStatus = {
      id: c.id, podUid: c.podUid, name: c.name, attempt: c.attempt, state: 'unknown', image: c.image, imageId: c.imageId,
      createdAt: new Date(c.createdAt), logPath: c.logPath, pid: c.pid,
      startedAt: c.startedAt ? new Date(c.startedAt) : undefined,
    };
    if (!c.final) {
      const fin = this.readExit(c);
      if (fin) {
        c.final = fin;
        this.saveContainer(c);
      }
    }
    if (c.final) {
      return { ...base, state: 'exited', exitCode: c.final.exitCode, reason: c.final.reason, message: c.final.message,
        finishedAt: new Date(c.final.finishedAt), pid: undefined };
    }
    if (c.phase === 'creating') return { ...base, state: 'unknown' };
    if (c.conmonPid && processAlive(c.conmonPid, c.conmonStartTime)) return { ...base, state: c.phase === 'started' ? 'running' : 'created' };
    // conmon is gone. Re-check the exit file (it may have exited between the two checks).
    const fin = this.readExit(c);
    if (fin) {
      c.final = fin;
      this.saveContainer(c);
      return this.statusOf(c);
    }
    const state = await this.runcState(c.id);
    if (state === 'running') return { ...base, state: 'running', message: 'container supervisor (conmon) is gone' };
    if (state === 'created') return { ...base, state: 'created' };
    c.final = { exitCode: 255, reason: 'Error', message: 'container supervisor (conmon) vanished without an exit code', finishedAt: new Date().toISOString() };
    this.saveContainer(c);
    return this.statusOf(c);
  }

  async listContainers(filter?: { podUid?: string }): Promise<ContainerStatus[]> {
    this.load();
    const out: ContainerStatus[] = [];
    for (const c of this.containers.values()) if (!filter?.podUid || c.podUid === filter.podUid) out.push(await this.statusOf(c));
    return out;
  }

  async containerStatus(id: string): Promise<ContainerStatus | undefined> {
    this.load();
    const c = this.containers.get(id);
    return c && this.statusOf(c);
  }

  private async waitExit(c: ContainerRecord, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      const st = await this.statusOf(c);
      if (st.state === 'exited') return true;
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, Math.min(100, Math.max(10, deadline - Date.now()))));
    }
  }

  async stopContainer(id: string, graceSeconds: number): Promise<void> {
    this.load();
    const c = this.containers.get(id);
    if (!c) return;
    const st = await this.statusOf(c);
    if (st.state === 'exited') return;
    const runc = ['--root', this.layout.runcRoot];
    const hostPID = this.sandboxes.get(c.podUid)?.hostPID === true;
    await run(this.runc, [...runc, 'kill', id, 'TERM'], { allowFail: true });
    if (graceSeconds > 0 && (await this.waitExit(c, graceSeconds * 1000))) return;
    // Without its own pid namespace, killing the main process would leave its children: --all.
    await run(this.runc, [...runc, 'kill', ...(hostPID ? ['--all'] : []), id, 'KILL'], { allowFail: true });
    if (await this.waitExit(c, 10_000)) return;
    if (c.phase === 'creating') return;
    throw new RuntimeError('ECREATE', `container ${id} did not exit after SIGKILL`);
  }

  async removeContainer(id: string): Promise<void> {
    this.load();
    await this.locked(`ctr/${id}`, async () => {
      const c = this.containers.get(id);
      if (c && c.phase !== 'creating') await this.stopContainer(id, 0);
      await this.removeContainerFiles(id);
    });
  }

  /** runc delete, unmount the rootfs, delete the bundle, exit file and attach socket dir; keeps the log. */
  private async removeContainerFiles(id: string): Promise<void> {
    await run(this.runc, ['--root', this.layout.runcRoot, 'delete', '--force', id], { allowFail: true });
    const conmonPid = this.readPidFile(join(this.layout.containerDir(id), 'conmon.pid'));
    const rec = this.containers.get(id);
    if (conmonPid && processAlive(conmonPid, rec?.conmonStartTime)) {
      // conmon notices its container is gone and exits; give it a moment before insisting.
      for (let i = 0; i < 20 && processAlive(conmonPid); i++) await new Promise((r) => setTimeout(r, 50));
      if (processAlive(conmonPid, rec?.conmonStartTime)) process.kill(conmonPid, 'SIGKILL');
    }
    const rootfs = this.layout.rootfs(id);
    await unmountAll(rootfs);
    // Never recurse into a mounted rootfs: the image layers below it are shared.
    if (isMounted(rootfs)) throw new Error(`rootfs of ${id} still mounted`);
    rmSync(this.layout.containerDir(id), { recursive: true, force: true });
    rmSync(this.layout.exitFile(id), { force: true });
    rmSync(this.layout.attachDir(id), { recursive: true, force: true });
    this.containers.delete(id);
  }

  // ---- streams --------------------------------------------------------------------------------

  async exec(id: string, argv: string[], opts: ExecOptions): Promise<ExecSession> {
    this.load();
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError('ENOTFOUND', `container ${id} not found`);
    const pidFile = join(this.layout.containerDir(id), `exec-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.pid`);
    return runcExec({ runcPath: this.runc, runcRoot: this.layout.runcRoot, id, bundle: this.layout.bundle(id), pidFile }, argv, opts);
  }

  /**
   * Attaches through conmon's socket. The container's own settings decide tty and stdin (as the
   * kubelet does): a request for stdin to a container created without it gets output only.
   */
  async attach(id: string, opts: { stdin: boolean; tty: boolean }): Promise<ExecSession> {
    this.load();
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError('ENOTFOUND', `container ${id} not found`);
    if (this.readExit(c) || !c.pid) throw new RuntimeError('ENOTRUNNING', `container ${id} is not running`);
    return conmonAttach({
      socketPath: this.layout.attachSocket(id), pid: c.pid,
      stdin: opts.stdin && c.stdin === true, tty: c.tty === true,
    });
  }

  /** TCP into the pod: its IP from the host (the bridge routes it), or loopback for hostNetwork pods. */
  async portForward(podUid: string, port: number): Promise<Duplex> {
    this.load();
    const s = this.sandboxes.get(podUid);
    if (!s || s.state !== 'ready') throw new RuntimeError('ENOTFOUND', `pod sandbox ${podUid} not found or not ready`);
    const host = s.hostNetwork ? '127.0.0.1' : s.ip;
    return new Promise<Socket>((resolve, reject) => {
      const sock = connect({ host, port });
      sock.once('connect', () => {
        sock.removeListener('error', reject);
        resolve(sock);
      });
      sock.once('error', reject);
    });
  }

  // ---- clean-up -------------------------------------------------------------------------------

  /** Stops and removes every sandbox and container this root knows, then the cgroup root (tests, --cleanup). */
  async cleanupAll(): Promise<void> {
    this.load();
    for (const uid of [...this.sandboxes.keys()]) await this.removePodSandbox(uid);
    for (const id of [...this.containers.keys()]) await this.removeContainer(id);
    await removeCgroupTree(this.opts.cgroupRoot);
  }
}

function readJsonText<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

