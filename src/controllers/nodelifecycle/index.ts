// Starts the node lifecycle controller together with taint-based eviction (and the minimal pod GC it
// needs), as kube-controller-manager runs node-lifecycle-controller and taint-eviction-controller.
import type { RunningController } from '../runner.js';
import type { StartController } from '../shared/context.js';
import { NodeLifecycleController, type NodeLifecycleOptions } from './node-lifecycle-controller.js';
import { TaintEvictionController, type TaintEvictionOptions } from './taint-eviction-controller.js';

export { NodeLifecycleController, type NodeLifecycleOptions } from './node-lifecycle-controller.js';
export { TaintEvictionController, type TaintEvictionOptions } from './taint-eviction-controller.js';

export function nodeLifecycleStarter(opts: NodeLifecycleOptions & { eviction?: TaintEvictionOptions } = {}): StartController {
  return (ctx) => {
    const running: RunningController[] = [new NodeLifecycleController(ctx, opts).run(), new TaintEvictionController(ctx, { onError: opts.onError, ...opts.eviction }).run()];
    return {
      async stop() {
        await Promise.all(running.map((r) => r.stop()));
      },
    };
  };
}

/** The registered starter: periods from ctx.config (--node-monitor-period / --node-monitor-grace-period). */
export const startNodeLifecycleController: StartController = nodeLifecycleStarter();
