// Entry point of the `skiff` command (bin/skiff imports the compiled file): dispatches to the
// subcommands and turns their results into the process exit code. Usage errors exit 2.
import { printVersion } from './version.js';
import { parseServerFlags, parseSimFlags } from './flags.js';
import { MAIN_USAGE, SERVER_USAGE, KUBECTL_USAGE, SIM_USAGE } from './usage.js';

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'server': {
      const flags = parseServerFlags(rest);
      if (flags === 'help') {
        process.stdout.write(SERVER_USAGE);
        return 0;
      }
      // Loaded lazily: the server pulls in the whole API machinery, which `kubectl`/`version` do not need.
      return (await import('./server.js')).runServer(flags);
    }
    case 'sim': {
      const flags = parseSimFlags(rest);
      if (flags === 'help') {
        process.stdout.write(SIM_USAGE);
        return 0;
      }
      return (await import('./sim.js')).runSim(flags);
    }
    case 'agent':
      return (await import('./agent.js')).runAgent(rest);
    case 'image':
      return (await import('./image.js')).runImage(rest);
    case 'kubectl':
      return (await import('./kubectl.js')).runKubectl(rest);
    case 'version':
    case '--version':
      return printVersion();
    case undefined:
    case 'help':
    case '--help':
    case '-h': {
      const topic = rest[0];
      process.stdout.write(topic === 'server' ? SERVER_USAGE : topic === 'kubectl' ? KUBECTL_USAGE : topic === 'sim' ? SIM_USAGE : MAIN_USAGE);
      return cmd === undefined ? 2 : 0;
    }
    default:
      process.stderr.write(`skiff: unknown command "${cmd}"\n\n${MAIN_USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = err as { code?: string; message?: string };
    // parseArgs reports unknown/malformed flags with ERR_PARSE_ARGS_* codes: a usage error.
    if (typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`skiff: ${e.message}\n`);
      process.exit(2);
    }
    // Operational errors users can fix get one line, not a stack trace.
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL' || e.code === 'EINVALIDCONFIG' || e.code === 'ENOENT') {
      process.stderr.write(`skiff: ${e.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`skiff: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
