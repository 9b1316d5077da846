/**
 * A program under test in a child process: its stdout lines collected, every wait bounded by a
 * timeout, and a stop that always ends it (SIGTERM, then SIGKILL). Programs still running when the
 * test process exits are killed too, so a failing test leaves no orphan behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const KILL_GRACE_MS = 3000;

export class ChildProgram {
  readonly name: string;
  /** stdout, line by line. */
  readonly lines: string[] = [];
  stderr = '';
  readonly #child: ChildProcess;
  readonly #exit: Promise<Exit>;
  readonly #wakers = new Set<() => void>();
  #exited: Exit | undefined;

  constructor(file: string, args: readonly string[], cwd: string) {
    this.name = file.split('/').pop() ?? file;
    const child = spawn(file, [...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child = child;
    running.add(child);
    createInterface({ input: child.stdout }).on('line', (line) => {
      this.lines.push(line);
      this.#wake();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => {
      this.stderr += `${error.message}\n`;
    });
    // 'close' comes after stdout has ended, so every line is in by then.
    this.#exit = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        running.delete(child);
        this.#exited = { code, signal };
        this.#wake();
        resolve(this.#exited);
      });
    });
  }

  /** Resolves with the first stdout line that matches; fails on exit or timeout. */
  waitForLine(matches: (line: string) => boolean, timeoutMs: number): Promise<string> {
    return this.#until(() => this.lines.find(matches), 'a matching line', timeoutMs, true);
  }

  /** Resolves with the exit status; fails (and kills the program) after `timeoutMs`. */
  async exited(timeoutMs: number): Promise<Exit> {
    try {
      return await this.#until(() => this.#exited, 'exit', timeoutMs, false);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  closeStdin(): void {
    this.#child.stdin?.end();
  }

  /** Ends the program if it still runs: SIGTERM, then SIGKILL after a grace period. */
  async stop(): Promise<Exit> {
    if (this.#exited !== undefined) return this.#exited;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), KILL_GRACE_MS);
    const exit = await this.#exit;
    clearTimeout(timer);
    return exit;
  }

  #until<T>(
    value: () => T | undefined,
    what: string,
    timeoutMs: number,
    failOnExit: boolean,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = value();
        if (found !== undefined) {
          finish();
          resolve(found);
          return true;
        }
        if (failOnExit && this.#exited !== undefined) {
          finish();
          reject(new Error(`${this.name} exited before ${what}:\n${this.stderr}`));
          return true;
        }
        return false;
      };
      const finish = (): void => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
      };
      const wake = (): void => void check();
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out waiting for ${what} from ${this.name}:\n${this.stderr}`));
      }, timeoutMs);
      this.#wakers.add(wake);
      check();
    });
  }

  #wake(): void {
    for (const wake of [...this.#wakers]) wake();
  }
}

/** A port free a moment ago: bound on 0 and released, for a program that cannot be told 0. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
