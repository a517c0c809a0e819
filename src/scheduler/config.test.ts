// Unit tests for the KubeSchedulerConfiguration subset: what is honoured and what is refused by field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSchedulerConfig } from './config.js';

const head = 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n';

test('scheduler config: MostAllocated, percentageOfNodesToScore and the scheduler name', () => {
  const cfg = parseSchedulerConfig(`${head}percentageOfNodesToScore: 20
profiles:
- schedulerName: bin-packer
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
`);
  assert.deepEqual(cfg, { percentageOfNodesToScore: 20, schedulerName: 'bin-packer', scoringStrategy: 'MostAllocated' });
  assert.deepEqual(parseSchedulerConfig(head), {});
});

test('scheduler config: what cannot be honoured is refused, naming the field', () => {
  const bad: Array<[string, RegExp]> = [
    ['apiVersion: v1\nkind: KubeSchedulerConfiguration\n', /apiVersion: must be kubescheduler.config.k8s.io\/v1/],
    [`${head}percentageOfNodesToScore: 150\n`, /percentageOfNodesToScore: must be an integer from 0 to 100/],
    [`${head}profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args: {scoringStrategy: {type: RequestedToCapacityRatio}}\n`, /scoringStrategy.type: must be one of LeastAllocated, MostAllocated/],
    [`${head}profiles:\n- plugins: {score: {disabled: [{name: '*'}]}}\n`, /profiles\[0\].plugins: enabling or disabling plugins is not supported/],
    [`${head}profiles:\n- schedulerName: a\n- schedulerName: b\n`, /only one profile is supported/],
  ];
  for (const [text, re] of bad) assert.throws(() => parseSchedulerConfig(text, 'cfg.yaml'), re);
});
