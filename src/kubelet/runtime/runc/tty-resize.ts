// Terminal resizes for exec and attach: the process's stdin is the slave of the pty runc made for
// it, and `stty -F /proc/<pid>/fd/0 rows R cols C` sets that pty's window size, upon which the kernel
// sends SIGWINCH to the process group in front on it — what a resize of a real terminal does. (conmon
// offers resizes through its `ctl` fifo, but 2.1.6 handles only the first of several lines that
// arrive in one read, and kubectl attach sends two sizes at once: size+1, then size, to force a
// redraw.)
import { execFile } from 'node:child_process';

/**
 * Applies window sizes in order, skipping sizes superseded while one is being applied. An exec's
 * pid may not be known yet when the first size arrives (runc writes its pid file once the process
 * runs): then it waits for the pid, a few seconds at most.
 */
export class TtyResizer {
  private wanted?: { width: number; height: number };
  private busy = false;

  constructor(private readonly pid: () => number | undefined, private readonly closed: () => boolean) {}

  resize(width: number, height: number): void {
    if (!(width > 0 && height > 0)) return;
    this.wanted = { width: Math.floor(width), height: Math.floor(height) };
    if (!this.busy) void this.apply();
  }

  private async apply(): Promise<void> {
    this.busy = true;
    try {
      for (let waited = 0; this.wanted && !this.closed(); ) {
        const pid = this.pid();
        if (!pid) {
          if (waited > 5000) break;
          await new Promise((r) => setTimeout(r, 20));
          waited += 20;
          continue;
        }
        const { width, height } = this.wanted;
        this.wanted = undefined;
        await new Promise<void>((resolve) => {
          execFile('stty', ['-F', `/proc/${pid}/fd/0`, 'rows', String(height), 'cols', String(width)], () => resolve());
        });
      }
    } finally {
      this.busy = false;
    }
  }
}
