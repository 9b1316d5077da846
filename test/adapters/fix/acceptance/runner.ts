/**
 * Runs QuickFIX acceptance scripts against our acceptor over real TCP: each script gets its own
 * acceptor on port 0, and the runner plays the counterparty step by step. A result names the
 * first failing step (script line) and the tag that differed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import path from 'node:path';

import { FixFramer } from '../../../../src/adapters/fix/index.js';
import { compareMessage, type CompareMode } from './compare.js';
import { startAcceptanceAcceptor } from './fixture.js';
import { completeMessage, parseScript, type Step, substituteTime } from './script.js';

export interface ScriptFailure {
  readonly line: number;
  readonly tag?: number;
  readonly message: string;
}

export interface ScriptResult {
  readonly name: string;
  readonly passed: boolean;
  readonly failure?: ScriptFailure;
  readonly durationMs: number;
}

export interface RunOptions {
  readonly mode: CompareMode;
  /** How long an expected message may take (6_SendTestRequest waits 7.2 s for one). */
  readonly expectTimeoutMs?: number;
  /** How long the acceptor may take to close a connection (the README says 10 s). */
  readonly disconnectTimeoutMs?: number;
}

type Received =
  { readonly kind: 'message'; readonly bytes: Uint8Array } | { readonly kind: 'closed' };

/** One runner-side connection: messages framed as they arrive, waited for with timeouts. */
class Connection {
  readonly #socket: Socket;
  readonly #framer = new FixFramer();
  readonly #inbox: Received[] = [];
  #waiter: ((received: Received) => void) | undefined;
  #closed = false;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      for (const event of this.#framer.push(chunk)) {
        if (event.type === 'message') this.#deliver({ kind: 'message', bytes: event.bytes });
      }
    });
    const onClosed = (): void => {
      if (this.#closed) return;
      this.#closed = true;
      this.#deliver({ kind: 'closed' });
    };
    socket.on('end', onClosed);
    socket.on('close', onClosed);
    socket.on('error', () => {});
  }

  static open(port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.setNoDelay(true);
        resolve(new Connection(socket));
      });
    });
  }

  #deliver(received: Received): void {
    const waiter = this.#waiter;
    if (waiter === undefined) {
      this.#inbox.push(received);
    } else {
      this.#waiter = undefined;
      waiter(received);
    }
  }

  /** The next message or the close, or undefined after `timeoutMs`. */
  next(timeoutMs: number): Promise<Received | undefined> {
    const queued = this.#inbox.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        resolve(undefined);
      }, timeoutMs);
      this.#waiter = (received) => {
        clearTimeout(timer);
        resolve(received);
      };
    });
  }

  write(bytes: Uint8Array): void {
    if (!this.#closed) this.#socket.write(bytes);
  }

  close(): Promise<void> {
    if (this.#socket.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.#socket.once('close', () => resolve());
      this.#socket.destroy();
    });
  }
}

const decodeText = (bytes: Uint8Array): string =>
  new TextDecoder().decode(bytes).replaceAll('\x01', '|');

async function runSteps(
  steps: readonly Step[],
  port: number,
  options: RunOptions,
  connections: Map<number, Connection>,
): Promise<ScriptFailure | undefined> {
  const expectTimeoutMs = options.expectTimeoutMs ?? 20_000;
  const disconnectTimeoutMs = options.disconnectTimeoutMs ?? 10_000;
  for (const step of steps) {
    const fail = (message: string, tag?: number): ScriptFailure => ({
      line: step.line,
      ...(tag === undefined ? {} : { tag }),
      message,
    });
    const connection = connections.get(step.connection);
    if (step.kind === 'connect') {
      connections.set(step.connection, await Connection.open(port));
      continue;
    }
    if (connection === undefined) return fail(`connection ${step.connection} is not open`);
    switch (step.kind) {
      case 'disconnect':
        await connection.close();
        connections.delete(step.connection);
        break;
      case 'send':
        connection.write(completeMessage(substituteTime(step.text, Date.now())));
        break;
      case 'expect': {
        const received = await connection.next(expectTimeoutMs);
        if (received === undefined) return fail('timed out waiting for a message');
        if (received.kind === 'closed') return fail('connection closed; a message was expected');
        const mismatch = compareMessage(step.text, received.bytes, options.mode);
        if (mismatch !== undefined) return fail(mismatch.message, mismatch.tag);
        break;
      }
      case 'expect-disconnect': {
        const received = await connection.next(disconnectTimeoutMs);
        if (received === undefined) return fail('the acceptor did not disconnect');
        if (received.kind === 'message') {
          return fail(`expected a disconnect, received ${decodeText(received.bytes)}`);
        }
        connections.delete(step.connection);
        break;
      }
    }
  }
  return undefined;
}

/** Runs one `.def` script against a fresh acceptor. */
export async function runScript(file: string, options: RunOptions): Promise<ScriptResult> {
  const name = path.basename(file, '.def');
  const started = Date.now();
  const acceptor = await startAcceptanceAcceptor();
  const connections = new Map<number, Connection>();
  let failure: ScriptFailure | undefined;
  try {
    failure = await runSteps(
      parseScript(readFileSync(file, 'latin1')),
      acceptor.port,
      options,
      connections,
    );
  } catch (error) {
    failure = { line: 0, message: error instanceof Error ? error.message : String(error) };
  } finally {
    await Promise.all([...connections.values()].map((connection) => connection.close()));
    await acceptor.close();
  }
  return {
    name,
    passed: failure === undefined,
    ...(failure === undefined ? {} : { failure }),
    durationMs: Date.now() - started,
  };
}

/** The `.def` scripts of a folder, sorted by name. */
export function listScripts(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.def'))
    .sort()
    .map((name) => path.join(dir, name));
}

/** One line per script: name, pass/fail, and for a failure the step's line and tag. */
export function formatResult(result: ScriptResult): string {
  if (result.failure === undefined) return `${result.name}: pass (${result.durationMs} ms)`;
  const { line, tag, message } = result.failure;
  return `${result.name}: FAIL at line ${line}${tag === undefined ? '' : ` tag ${tag}`}: ${message}`;
}
