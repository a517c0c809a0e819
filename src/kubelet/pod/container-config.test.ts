// Tests for buildContainerConfig: argv rules, env merge, workingDir, mounts with subPath and the
// termination-message file, and the security context (runAsNonRoot checks, image USER resolution).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container, Pod, PodSecurityContext } from 'kubernetes-types/core/v1.js';
import type { ImageConfig, ImageRecord } from '../images/types.js';
import { buildContainerConfig, containerArgv, DEFAULT_PATH } from './container-config.js';
import { ContainerConfigError } from './errors.js';
import { terminationMessageHostPath } from './mounts.js';

const dir = mkdtempSync(join(tmpdir(), 'skiff-ccfg-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const layer = join(dir, 'layer');
mkdirSync(join(layer, 'etc'), { recursive: true });
writeFileSync(join(layer, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n');
writeFileSync(join(layer, 'etc/group'), 'root:x:0:\nstaff:x:50:app\nwheel:x:10:root,app\n');

const image = (config: ImageConfig = {}): ImageRecord => ({ id: 'sha256:abc', repoTags: ['docker.io/library/busybox:latest'], repoDigests: [], sizeBytes: 1, config, layerDirs: [layer] });
const mkPod = (c: Container, sc?: PodSecurityContext): Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u1' },
  spec: { containers: [c], securityContext: sc },
});
let n = 0;
function build(c: Partial<Container>, opts: { config?: ImageConfig; sc?: PodSecurityContext; env?: Array<{ name: string; value: string }>; volumes?: Map<string, { hostPath: string; readOnly?: boolean }> } = {}) {
  const container: Container = { name: 'c', image: 'busybox', ...c };
  return buildContainerConfig(mkPod(container, opts.sc), container, {
    image: image(opts.config),
    volumes: opts.volumes ?? new Map(),
    env: opts.env ?? [],
    attempt: 0,
    logPath: '/logs/c/0.log',
    podDir: join(dir, `pod${n++}`),
  });
}

test('argv rules: command drops image Cmd; args replace Cmd; $(VAR) expansion', () => {
  const img = { config: { entrypoint: ['/ep'], cmd: ['cmd1', 'cmd2'] } };
  const env = [{ name: 'X', value: 'x' }];
  const cases: Array<[Partial<Container>, ImageConfig, string[]]> = [
    [{}, img.config, ['/ep', 'cmd1', 'cmd2']],
    [{ args: ['a', '$(X)'] }, img.config, ['/ep', 'a', 'x']],
    [{ command: ['/bin/sh'] }, img.config, ['/bin/sh']],
    [{ command: ['/bin/sh', '-c'], args: ['echo $(X) $$(X) $(Y)'] }, img.config, ['/bin/sh', '-c', 'echo x $(X) $(Y)']],
    [{}, { cmd: ['sh'] }, ['sh']],
    [{}, { entrypoint: [''], cmd: ['sh'] }, ['sh']],
  ];
  for (const [c, config, want] of cases) assert.deepEqual(containerArgv({ name: 'c', ...c }, { config }, env), want, JSON.stringify(c));
  assert.throws(() => containerArgv({ name: 'c' }, { config: {} }, []), (e: unknown) => e instanceof ContainerConfigError && e.code === 'NoCommand');
});

test('env: default PATH, HOSTNAME, image env under container env; workingDir; identity', () => {
  const cfg = build({ command: ['x'] }, { config: { env: ['PATH=/img/bin', 'A=img', 'B=img'] }, env: [{ name: 'A', value: 'ctr' }] });
  assert.deepEqual(cfg.env, [
    { name: 'PATH', value: '/img/bin' },
    { name: 'HOSTNAME', value: 'p' },
    { name: 'A', value: 'ctr' },
    { name: 'B', value: 'img' },
  ]);
  assert.equal(build({ command: ['x'] }).env[0].value, DEFAULT_PATH);
  assert.equal(build({ command: ['x'] }).workingDir, '/');
  assert.equal(build({ command: ['x'] }, { config: { workingDir: '/srv' } }).workingDir, '/srv');
  assert.equal(build({ command: ['x'], workingDir: '/w' }, { config: { workingDir: '/srv' } }).workingDir, '/w');
  const cfg2 = build({ command: ['x'], tty: true, stdin: true });
  assert.equal(cfg2.podUid, 'u1');
  assert.equal(cfg2.imageId, 'sha256:abc');
  assert.deepEqual(cfg2.lowerDirs, [layer]);
  assert.equal(cfg2.tty, true);
  assert.equal(cfg2.stdinOnce, false);
  assert.equal(cfg2.resources.cpuShares, 2);
});

test('mounts: readOnly, subPath creation and rejection, termination log', () => {
  const vol = join(dir, 'vol');
  mkdirSync(vol, { mode: 0o777 });
  const ro = join(dir, 'ro');
  mkdirSync(ro);
  symlinkSync('/etc', join(vol, 'escape'));
  const volumes = new Map([['data', { hostPath: vol }], ['cfg', { hostPath: ro, readOnly: true }]]);
  const cfg = build(
    {
      command: ['x'],
      volumeMounts: [
        { name: 'data', mountPath: '/data' },
        { name: 'data', mountPath: '/sub', subPath: 'a/b', readOnly: true },
        { name: 'data', mountPath: '/expr', subPathExpr: 'logs/$(POD)' },
        { name: 'cfg', mountPath: '/cfg' },
      ],
    },
    { volumes, env: [{ name: 'POD', value: 'p1' }] },
  );
  assert.deepEqual(cfg.mounts.slice(0, 4), [
    { hostPath: vol, containerPath: '/data', readOnly: false },
    { hostPath: join(vol, 'a/b'), containerPath: '/sub', readOnly: true },
    { hostPath: join(vol, 'logs/p1'), containerPath: '/expr', readOnly: false },
    { hostPath: ro, containerPath: '/cfg', readOnly: true },
  ]);
  assert.ok(statSync(join(vol, 'a/b')).isDirectory());
  const tlog = cfg.mounts[4];
  assert.equal(tlog.containerPath, '/dev/termination-log');
  assert.equal(tlog.hostPath, terminationMessageHostPath(join(dir, `pod${n - 1}`), 'c', 0));
  assert.equal(statSync(tlog.hostPath).mode & 0o777, 0o666);
  assert.equal(build({ command: ['x'], terminationMessagePath: '/tmp/msg' }).mounts[0].containerPath, '/tmp/msg');

  const bad: Array<[Partial<Container>, string, RegExp]> = [
    [{ volumeMounts: [{ name: 'nope', mountPath: '/x' }] }, 'VolumeNotFound', /^cannot find volume "nope" to mount into container "c"$/],
    [{ volumeMounts: [{ name: 'data', mountPath: '/x', subPath: '/abs' }] }, 'InvalidSubPath', /^error SubPath `\/abs` must not be an absolute path$/],
    [{ volumeMounts: [{ name: 'data', mountPath: '/x', subPath: 'a/../../b' }] }, 'InvalidSubPath', /^unable to provision SubPath `a\/..\/..\/b`: must not contain '..'$/],
    [{ volumeMounts: [{ name: 'data', mountPath: '/x', subPath: 'escape' }] }, 'InvalidSubPath', /failed to prepare subPath/],
    [{ volumeMounts: [{ name: 'data', mountPath: '/x', subPathExpr: '$(NOPE)' }] }, 'InvalidSubPath', /^missing value for NOPE$/],
  ];
  for (const [c, code, msg] of bad) {
    assert.throws(() => build({ command: ['x'], ...c }, { volumes }), (e: unknown) => e instanceof ContainerConfigError && e.code === code && msg.test(e.message), code);
  }
  assert.ok(!existsSync('/etc/x'));
});

test('security: merge, groups, capabilities, image USER resolution', () => {
  const s = build(
    { command: ['x'], securityContext: { runAsUser: 7, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false } },
    { sc: { runAsUser: 5, runAsGroup: 6, fsGroup: 2000, supplementalGroups: [3000, 2000] } },
  ).security;
  assert.deepEqual(s, { runAsUser: 7, runAsGroup: 6, supplementalGroups: [6, 2000, 3000], privileged: false, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilitiesAdd: ['NET_ADMIN'], capabilitiesDrop: ['ALL'] });
  // Supplementary groups as containerd: the primary gid, then the image's group memberships.
  const users: Array<[string | undefined, { runAsUser: number; runAsGroup: number; supplementalGroups: number[] }]> = [
    [undefined, { runAsUser: 0, runAsGroup: 0, supplementalGroups: [0, 10] }],
    ['1000', { runAsUser: 1000, runAsGroup: 1001, supplementalGroups: [1001, 50, 10] }], // gid from passwd
    ['4242', { runAsUser: 4242, runAsGroup: 0, supplementalGroups: [0] }],
    ['1000:7', { runAsUser: 1000, runAsGroup: 7, supplementalGroups: [7, 50, 10] }],
    ['app', { runAsUser: 1000, runAsGroup: 1001, supplementalGroups: [1001, 50, 10] }],
    ['app:staff', { runAsUser: 1000, runAsGroup: 50, supplementalGroups: [50, 10] }],
  ];
  for (const [user, want] of users) assert.deepEqual(build({ command: ['x'] }, { config: { user } }).security, want, user);
  assert.throws(() => build({ command: ['x'] }, { config: { user: 'ghost' } }), /unable to find user ghost/);
});

test('runAsNonRoot checks with upstream messages', () => {
  const who = '(pod: "p_default(u1)", container: c)';
  const cases: Array<[string | undefined, PodSecurityContext, string | undefined]> = [
    [undefined, { runAsNonRoot: true }, `container has runAsNonRoot and image will run as root ${who}`],
    ['0', { runAsNonRoot: true }, `container has runAsNonRoot and image will run as root ${who}`],
    ['0:0', { runAsNonRoot: true }, `container has runAsNonRoot and image will run as root ${who}`],
    ['root', { runAsNonRoot: true }, `container has runAsNonRoot and image has non-numeric user (root), cannot verify user is non-root ${who}`],
    ['app', { runAsNonRoot: true }, `container has runAsNonRoot and image has non-numeric user (app), cannot verify user is non-root ${who}`],
    [undefined, { runAsNonRoot: true, runAsUser: 0 }, `container's runAsUser breaks non-root policy ${who}`],
    ['1000', { runAsNonRoot: true }, undefined],
    ['root', { runAsNonRoot: true, runAsUser: 1000 }, undefined],
    [undefined, { runAsNonRoot: false }, undefined],
  ];
  for (const [user, sc, msg] of cases) {
    const run = () => build({ command: ['x'] }, { config: { user }, sc });
    if (msg === undefined) assert.doesNotThrow(run);
    else assert.throws(run, (e: unknown) => e instanceof ContainerConfigError && e.message === msg && e.reason === 'CreateContainerConfigError', `${user} ${JSON.stringify(sc)}`);
  }
  // container-level runAsNonRoot false overrides the pod's true
  assert.doesNotThrow(() => build({ command: ['x'], securityContext: { runAsNonRoot: false } }, { sc: { runAsNonRoot: true } }));
});
