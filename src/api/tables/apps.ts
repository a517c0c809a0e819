// Tables for apps/v1 kinds (printDeployment, printReplicaSet, printDaemonSet, printStatefulSet,
// printControllerRevision).
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import { labelSelectorAsString } from '../../machinery/labels.js';
import { ageCol, ageOf, col, containerCells, formatLabels, int, nameCol, nameOf, table, wide } from './columns.js';

/** LabelSelectorAsSelector(...).String(), '' when it cannot be parsed (the printers then error out). */
function selectorString(s: Parameters<typeof labelSelectorAsString>[0]): string {
  try {
    return labelSelectorAsString(s);
  } catch {
    return '<error>';
  }
}

const WIDE_CIS = () => [wide('Containers', 'string', 'Names of each container in the template.'), wide('Images', 'string', 'Images referenced by each container in the template.'), wide('Selector')];

export const deploymentTable = table<Deployment>(
  [nameCol(), col('Ready'), col('Up-to-date', 'integer'), col('Available', 'integer'), ageCol(), ...WIDE_CIS()],
  (d, now) => {
    const [names, images] = containerCells(d.spec?.template?.spec?.containers);
    return [
      nameOf(d), `${int(d.status?.readyReplicas)}/${int(d.spec?.replicas)}`, int(d.status?.updatedReplicas),
      int(d.status?.availableReplicas), ageOf(d, now), names, images, selectorString(d.spec?.selector),
    ];
  },
);

export const replicaSetTable = table<ReplicaSet>(
  [nameCol(), col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), ageCol(), ...WIDE_CIS()],
  (rs, now) => {
    const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
    return [
      nameOf(rs), int(rs.spec?.replicas), int(rs.status?.replicas), int(rs.status?.readyReplicas), ageOf(rs, now),
      names, images, selectorString(rs.spec?.selector),
    ];
  },
);

export const daemonSetTable = table<DaemonSet>(
  [
    nameCol(), col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), col('Up-to-date', 'integer'),
    col('Available', 'integer'), col('Node Selector'), ageCol(), ...WIDE_CIS(),
  ],
  (ds, now) => {
    const s = ds.status;
    const [names, images] = containerCells(ds.spec?.template?.spec?.containers);
    return [
      nameOf(ds), int(s?.desiredNumberScheduled), int(s?.currentNumberScheduled), int(s?.numberReady),
      int(s?.updatedNumberScheduled), int(s?.numberAvailable), formatLabels(ds.spec?.template?.spec?.nodeSelector),
      ageOf(ds, now), names, images, selectorString(ds.spec?.selector),
    ];
  },
);

export const statefulSetTable = table<StatefulSet>(
  [nameCol(), col('Ready'), ageCol(), wide('Containers'), wide('Images')],
  (sts, now) => {
    const [names, images] = containerCells(sts.spec?.template?.spec?.containers);
    return [nameOf(sts), `${int(sts.status?.readyReplicas)}/${int(sts.spec?.replicas)}`, ageOf(sts, now), names, images];
  },
);

export const controllerRevisionTable = table<ControllerRevision>(
  [nameCol(), col('Controller'), col('Revision', 'integer'), ageCol()],
  (cr, now) => {
    const ref = (cr.metadata?.ownerReferences ?? []).find((r) => r.controller);
    let controller = '<none>';
    if (ref) {
      const slash = ref.apiVersion.indexOf('/');
      const group = slash >= 0 ? ref.apiVersion.slice(0, slash) : '';
      controller = `${(group ? `${ref.kind}.${group}` : ref.kind).toLowerCase()}/${ref.name}`;
    }
    return [nameOf(cr), controller, cr.revision, ageOf(cr, now)];
  },
);
