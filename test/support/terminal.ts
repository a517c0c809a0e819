// Test helper: runs a program on a real terminal, as a user at a shell would, so that kubectl puts
// it in raw mode, sends its size and follows SIGWINCH. util-linux `script` provides the pty; the
// program is exec'd by script's shell, so it is script's child and /proc/<pid>/fd/0 is the pty,
// on which `stty -F` sets a new size (the kernel then sends the program SIGWINCH, as a window
// resize would). Input is typed through script's stdin, which stays open until the program ends:
// at EOF script would type end-of-file characters into the terminal.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { shellQuote } from '../../src/kubelet/runtime/runc/exec.js';

export interface TerminalSession {
  /** Everything the terminal showed so far (output and echo, with \r\n line ends). */
  out(): string;
  type(text: string): void;
  resize(rows: number, cols: number): void;
  /** Resolves when the program's output matches `re`; rejects after `ms` with the output. */
  waitFor(re: RegExp, ms?: number): Promise<void>;
  /** The program's exit code. */
  exit: Promise<number>;
  kill(): void;
}

export function onTerminal(argv: string[], rows: number, cols: number, env: NodeJS.ProcessEnv = process.env): TerminalSession {
  const command = `stty rows ${rows} cols ${cols}; exec ${argv.map(shellQuote).join(' ')}`;
  const proc = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number>((resolve) => proc.on('close', (code) => {
    proc.stdin!.destroy();
    resolve(code ?? -1);
  }));
  const programPid = (): number => {
    const children = readFileSync(`/proc/${proc.pid}/task/${proc.pid}/children`, 'utf8').trim().split(/\s+/);
    return Number(children[0]);
  };
  return {
    out: () => out,
    type: (text) => proc.stdin!.write(text),
    resize: (r, c) => {
      execFileSync('stty', ['-F', `/proc/${programPid()}/fd/0`, 'rows', String(r), 'cols', String(c)]);
    },
    waitFor: async (re, ms = 30_000) => {
      const deadline = Date.now() + ms;
      while (!re.test(out)) {
        if (Date.now() > deadline) throw new Error(`terminal never showed ${re}; it shows:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    exit,
    kill: () => proc.kill('SIGKILL'),
  };
}
