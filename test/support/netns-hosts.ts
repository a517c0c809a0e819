// Simulated machines for multi-node network tests: one network namespace per "host", each joined by
// a veth to a test bridge, addressed 172.30.R.(10+i)/24 with the bridge at 172.30.R.1 (R random in
// 1…250 so parallel tests differ). Every host netns starts with `unreachable` routes for the pod
// (10.42.0.0/16) and service (10.43.0.0/16) CIDRs — before any link exists — so no cluster address
// can follow a default route anywhere, and with ip_forward on so it can route for its pods.
//
// By default the bridge lives in its own "switch" netns, which leaves the machine's root namespace
// untouched (no address, no connected route, and no br_netfilter trip through the root FORWARD
// chain): hosts reach each other and hostSideIP, nothing else. `bridgeInRootNetns: true` puts the
// bridge in the root netns instead, for a test that must reach a server listening there — that adds
// a connected 172.30.R.0/24 route to the machine, so prefer exposePort() (below), which forwards a
// port on hostSideIP to a loopback port through a unix socket and needs no root-netns change.
//
// cleanup() stops processes started through the fixture and deletes every netns and link it made,
// also after a partial setup; it never throws.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { connect, createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type RunResult } from '../../src/kubelet/network/command.js';

export interface HostProcess {
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
  /** SIGTERM by PID, SIGKILL after graceMs (default 2 s); resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface SimHost {
  index: number;
  /** The host's network namespace name. */
  name: string;
  /** Its address on the test bridge (172.30.R.(10+index)). */
  ip: string;
  /** Runs `cmd args…` inside the host's netns; a non-zero exit rejects unless allowFail. */
  exec(cmd: string, args: readonly string[], opts?: { allowFail?: boolean; timeoutMs?: number }): Promise<RunResult>;
  /** Starts a long-lived process inside the host's netns (stopped by cleanup()). */
  spawn(cmd: readonly string[], opts?: { env?: NodeJS.ProcessEnv; stdio?: 'ignore' | 'inherit' | 'pipe' }): HostProcess;
  /** The prefix a component puts before its commands to run them here: ['ip','netns','exec',name]. */
  commandPrefix: string[];
}

export interface NetnsHosts {
  /** Bridge device name (in switchNetns, or the root netns with bridgeInRootNetns). */
  bridge: string;
  /** The netns holding the bridge; undefined when it is in the root netns. */
  switchNetns: string | undefined;
  /** The bridge's address, every host's default gateway: 172.30.R.1. */
  hostSideIP: string;
  /** 172.30.R.0/24 */
  subnet: string;
  hosts: SimHost[];
  /** Makes another netns (e.g. a pod's), deleted by cleanup(); returns its name. */
  addNetns(label: string): Promise<string>;
  /**
   * Makes a TCP port on the root netns' loopback (e.g. an API server on 127.0.0.1) reachable from
   * the hosts at hostSideIP:port, through a forwarder in the switch netns and a unix socket.
   */
  exposePort(loopbackPort: number, port?: number): Promise<{ ip: string; port: number }>;
  cleanup(): Promise<void>;
}

export interface CreateHostsOptions {
  /** Put the bridge in the root netns (changes the machine's routes; see the header). */
  bridgeInRootNetns?: boolean;
  /** Third octet R of 172.30.R.0/24 (default random 1…250). */
  subnetOctet?: number;
}

const ipNetns = (ns: string | undefined, cmd: string, args: readonly string[]) => (ns ? ['netns', 'exec', ns, cmd, ...args] : undefined);

/** Runs `cmd` in `ns` (or the root netns when undefined). */
function runIn(ns: string | undefined, cmd: string, args: readonly string[], opts: { allowFail?: boolean; timeoutMs?: number } = {}): Promise<RunResult> {
  const wrapped = ipNetns(ns, cmd, args);
  return wrapped ? run('ip', wrapped, opts) : run(cmd, args, opts);
}

/** Starts `ip netns exec <ns> cmd…`; stop() signals the PID we started and nothing else. */
export function spawnInNetns(ns: string, cmd: readonly string[], opts: { env?: NodeJS.ProcessEnv; stdio?: 'ignore' | 'inherit' | 'pipe' } = {}): HostProcess {
  // `ip netns exec` execs the command (no fork), so the PID is the command's own.
  return supervise(spawn('ip', ['netns', 'exec', ns, ...cmd], { stdio: opts.stdio ?? 'ignore', env: opts.env ?? process.env }));
}

/**
 * Starts `nsenter --net=<ns> cmd…`: only the network namespace changes. `ip netns exec` also gives
 * the command its own mount namespace with a fresh /sys, which hides the cgroup hierarchies mounted
 * under /sys/fs/cgroup — so a node agent (runc needs them) must be started this way.
 */
export function spawnInNetnsOnly(ns: string, cmd: readonly string[], opts: { env?: NodeJS.ProcessEnv; stdio?: 'ignore' | 'inherit' | 'pipe' } = {}): HostProcess {
  // nsenter execs the command after setns (no fork without --pid), so the PID is the command's own.
  return supervise(spawn('nsenter', [`--net=/var/run/netns/${ns}`, ...cmd], { stdio: opts.stdio ?? 'ignore', env: opts.env ?? process.env }));
}

function supervise(child: ChildProcess): HostProcess {
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
    child.once('error', () => resolve(-1));
  });
  const pid = child.pid ?? -1;
  return {
    pid,
    child,
    exited,
    async stop(graceMs = 2000) {
      if (child.exitCode !== null || child.signalCode !== null || pid < 0) return;
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        return; // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* exited meanwhile */
        }
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function createHosts(n: number, opts: CreateHostsOptions = {}): Promise<NetnsHosts> {
  const tag = randomBytes(3).toString('hex');
  const r = opts.subnetOctet ?? randomInt(1, 251);
  const hostSideIP = `172.30.${r}.1`;
  const inRoot = opts.bridgeInRootNetns === true;
  const switchNetns = inRoot ? undefined : `skt-${tag}-sw`;
  const bridge = `sktbr${tag}`;
  const namespaces: string[] = [];
  const rootLinks: string[] = [];
  const processes: HostProcess[] = [];
  const closers: Array<() => Promise<void>> = [];

  const addNetns = async (name: string) => {
    namespaces.push(name); // before creation: a half-made netns is still removed
    await run('ip', ['netns', 'add', name]);
    await runIn(name, 'ip', ['link', 'set', 'lo', 'up']);
    return name;
  };

  const cleanup = async () => {
    for (const c of closers.splice(0)) await c().catch(() => {});
    await Promise.all(processes.splice(0).map((p) => p.stop(1000).catch(() => {})));
    for (const l of rootLinks.splice(0)) await run('ip', ['link', 'del', l], { allowFail: true });
    // Deleting a netns destroys the veths and bridges inside it (their peers go with them).
    for (const ns of namespaces.splice(0).reverse()) await run('ip', ['netns', 'del', ns], { allowFail: true });
  };

  const hosts: SimHost[] = [];
  try {
    if (switchNetns) await addNetns(switchNetns);
    else rootLinks.push(bridge);
    await runIn(switchNetns, 'ip', ['link', 'add', 'name', bridge, 'type', 'bridge']);
    await runIn(switchNetns, 'ip', ['addr', 'add', `${hostSideIP}/24`, 'dev', bridge]);
    await runIn(switchNetns, 'ip', ['link', 'set', bridge, 'up']);

    for (let i = 0; i < n; i++) {
      const name = `skt-${tag}-h${i}`;
      const ip = `172.30.${r}.${10 + i}`;
      await addNetns(name);
      // Before any link: cluster addresses must never reach a default route.
      await runIn(name, 'ip', ['route', 'add', 'unreachable', '10.42.0.0/16']);
      await runIn(name, 'ip', ['route', 'add', 'unreachable', '10.43.0.0/16']);
      await runIn(name, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
      const port = inRoot ? `skt${tag}h${i}` : `h${i}`;
      if (inRoot) rootLinks.push(port);
      const portNs = switchNetns ? ['netns', switchNetns] : [];
      await run('ip', ['link', 'add', 'name', port, ...portNs, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name]);
      await runIn(switchNetns, 'ip', ['link', 'set', port, 'master', bridge, 'up']);
      await runIn(name, 'ip', ['addr', 'add', `${ip}/24`, 'dev', 'eth0']);
      await runIn(name, 'ip', ['link', 'set', 'eth0', 'up']);
      await runIn(name, 'ip', ['route', 'add', 'default', 'via', hostSideIP]);
      const commandPrefix = ['ip', 'netns', 'exec', name];
      hosts.push({
        index: i,
        name,
        ip,
        commandPrefix,
        exec: (cmd, args, o) => runIn(name, cmd, args, o),
        spawn: (cmd, o) => {
          const p = spawnInNetns(name, cmd, o);
          processes.push(p);
          return p;
        },
      });
    }
  } catch (e) {
    await cleanup();
    throw e;
  }

  let sockDir: string | undefined;
  return {
    bridge,
    switchNetns,
    hostSideIP,
    subnet: `172.30.${r}.0/24`,
    hosts,
    addNetns: (label) => addNetns(`skt-${tag}-${label}`),
    async exposePort(loopbackPort, port = loopbackPort) {
      if (!switchNetns) return { ip: hostSideIP, port: loopbackPort }; // the root netns already holds hostSideIP
      if (!sockDir) {
        sockDir = mkdtempSync(join(tmpdir(), 'skt-fwd-'));
        const dir = sockDir;
        closers.push(async () => rmSync(dir, { recursive: true, force: true }));
      }
      const sock = join(sockDir, `${port}.sock`);
      // Root-netns half: unix socket → 127.0.0.1:loopbackPort.
      const server: Server = createServer((s) => {
        const up = connect(loopbackPort, '127.0.0.1');
        s.pipe(up).pipe(s);
        const end = () => (s.destroy(), up.destroy());
        s.on('error', end);
        up.on('error', end);
      });
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(sock, resolve));
      closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      // Switch-netns half: hostSideIP:port → the unix socket (a filesystem path crosses netns).
      const script = `const net=require('net');net.createServer(s=>{const u=net.connect(${JSON.stringify(sock)});s.pipe(u).pipe(s);const e=()=>{s.destroy();u.destroy()};s.on('error',e);u.on('error',e)}).listen(${port},${JSON.stringify(hostSideIP)},()=>console.log('ready'))`;
      const p = spawnInNetns(switchNetns, [process.execPath, '-e', script], { stdio: 'pipe' });
      processes.push(p);
      await new Promise<void>((resolve, reject) => {
        p.child.stdout?.once('data', () => resolve());
        void p.exited.then((c) => reject(new Error(`port forwarder exited (${c})`)));
      });
      return { ip: hostSideIP, port };
    },
    cleanup,
  };
}
