import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../../machinery/object.js';
import { getValidator } from './index.js';
import { cronScheduleError } from './cron.js';
import { lines } from './helpers.test-util.js';
import { podTemplate } from './fixtures.test-util.js';

function job(mut: (j: Job) => void = () => {}): KubeObject {
  const j: Job = {
    metadata: { name: 'pi', namespace: 'default' },
    spec: {
      backoffLimit: 6,
      completions: 1,
      parallelism: 1,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } },
      template: podTemplate({ 'batch.kubernetes.io/controller-uid': 'u1', 'job-name': 'pi' }, 'Never'),
    },
  };
  mut(j);
  return j as unknown as KubeObject;
}

const jv = getValidator('batch', 'Job');

test('Job validate', () => {
  assert.deepEqual(jv.validate(job()), []);
  assert.deepEqual(jv.validate(job((j) => delete j.spec!.selector)), []);
  assert.deepEqual(lines(jv.validate(job((j) => (j.spec!.template.spec!.restartPolicy = 'Always')))), [
    'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
  ]);
  assert.deepEqual(lines(jv.validate(job((j) => ((j.spec!.backoffLimit = -1), (j.spec!.parallelism = -2))))), [
    'spec.parallelism: Invalid value: -2: must be greater than or equal to 0',
    'spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0',
  ]);
  assert.deepEqual(lines(jv.validate(job((j) => (j.spec!.template.metadata!.labels = { a: 'b' })))), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"a":"b"}: `selector` does not match template `labels`',
  ]);
});

test('Job update: template and selector immutable', () => {
  assert.deepEqual(jv.validateUpdate(job((j) => (j.spec!.parallelism = 3)), job()), []);
  assert.deepEqual(lines(jv.validateUpdate(job((j) => (j.spec!.template.spec!.containers[0]!.image = 'busybox')), job())), [
    'spec.template: Invalid value: core.PodTemplateSpec{…}: field is immutable',
  ]);
  assert.deepEqual(lines(jv.validateUpdate(job((j) => (j.spec!.completions = 2)), job())), ['spec.completions: Invalid value: 2: field is immutable']);
  // A suspended Job that never started may change its scheduling directives.
  const suspended = job((j) => (j.spec!.suspend = true));
  assert.deepEqual(jv.validateUpdate(job((j) => ((j.spec!.suspend = true), (j.spec!.template.spec!.nodeSelector = { zone: 'a' }))), suspended), []);
});

function cronJob(mut: (c: CronJob) => void = () => {}): KubeObject {
  const c: CronJob = {
    metadata: { name: 'hello' },
    spec: { schedule: '*/5 * * * *', concurrencyPolicy: 'Allow', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, jobTemplate: { spec: { template: podTemplate({}, 'OnFailure'), backoffLimit: 6 } } },
  };
  mut(c);
  return c as unknown as KubeObject;
}

test('CronJob validate', () => {
  const v = getValidator('batch', 'CronJob');
  assert.deepEqual(v.validate(cronJob()), []);
  assert.deepEqual(lines(v.validate(cronJob((c) => (c.spec!.schedule = 'x')))), ['spec.schedule: Invalid value: "x": expected exactly 5 fields, found 1: [x]']);
  assert.deepEqual(lines(v.validate(cronJob((c) => (c.spec!.schedule = '')))), ['spec.schedule: Required value']);
  assert.deepEqual(lines(v.validate(cronJob((c) => (c.spec!.timeZone = 'Mars/Olympus')))), ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']);
  assert.deepEqual(v.validate(cronJob((c) => (c.spec!.timeZone = 'Europe/Paris'))), []);
  assert.deepEqual(lines(v.validate(cronJob((c) => (c.spec!.concurrencyPolicy = 'Sometimes')))), [
    'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
  ]);
  assert.deepEqual(lines(v.validate(cronJob((c) => (c.spec!.jobTemplate.spec!.template.spec!.restartPolicy = 'Always')))), [
    'spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
  ]);
  assert.deepEqual(lines(v.validate(cronJob((c) => (c.metadata!.name = 'a'.repeat(53))))), [`metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`]);
});

test('cron schedule parser', () => {
  const table: Array<[string, string | undefined]> = [
    ['*/5 * * * *', undefined],
    ['0 0 1 jan,jul mon-fri', undefined],
    ['@hourly', undefined],
    ['@every 1h30m', undefined],
    ['0 0 ? * *', undefined],
    ['@foo', 'unrecognized descriptor: @foo'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['a * * * *', 'failed to parse int from a: strconv.Atoi: parsing "a": invalid syntax'],
    ['* * * * * *', 'expected exactly 5 fields, found 6: [* * * * * *]'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['', 'empty spec string'],
  ];
  for (const [spec, want] of table) assert.equal(cronScheduleError(spec), want, spec);
});
