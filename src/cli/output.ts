/**
 * What the CLI prints. stdout carries JSON only: one envelope `{"ok":true,"data","meta"}` or
 * `{"ok":false,"error":{code,message,details},"meta"}`, or NDJSON for lists. `--pretty` indents
 * for people. Progress and human summaries go to stderr.
 */
import {
  DeltaTraceError,
  ERROR_CODES,
  EXIT_CODE,
  type ExitCode,
  type JsonObject,
} from '../core/errors.js';

export interface OutputOptions {
  readonly pretty: boolean;
  readonly debug: boolean;
}

export interface Output {
  /** Prints the success envelope. */
  ok(data: unknown, meta?: Record<string, unknown>): void;
  /** Prints one NDJSON record. */
  record(value: unknown): void;
  /** Prints raw text to stdout (exported formats). */
  raw(text: string): void;
  /** A line for people on stderr. */
  info(text: string): void;
  readonly progress: Progress;
}

export interface Progress {
  /** Shows `label: done/total` (total optional) on stderr, at most a few times a second. */
  update(label: string, done: number, total?: number): void;
  done(): void;
}

const VERSION_META = { tool: 'deltatrace', version: '0.1.0' };

function stringify(value: unknown, pretty: boolean): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
    pretty ? 2 : undefined,
  );
}

export function createOutput(
  options: OutputOptions,
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): Output {
  const isTty = (stderr as NodeJS.WriteStream).isTTY === true;
  let lastDraw = 0;
  let drawn = false;
  let tick = 0;
  return {
    ok(data, meta = {}) {
      stdout.write(
        `${stringify({ ok: true, data, meta: { ...VERSION_META, ...meta } }, options.pretty)}\n`,
      );
    },
    record(value) {
      stdout.write(`${stringify(value, options.pretty)}\n`);
    },
    raw(text) {
      stdout.write(text);
    },
    info(text) {
      if (drawn && isTty) stderr.write('\r\x1b[K');
      drawn = false;
      stderr.write(`${text}\n`);
    },
    progress: {
      update(label, done, total) {
        // Throttle by call count, not by reading the clock on every call.
        tick++;
        if (tick % 64 !== 0 && !(total !== undefined && done >= total)) return;
        const now = Number(process.hrtime.bigint() / 1_000_000n);
        if (now - lastDraw < 200 && !(total !== undefined && done >= total)) return;
        lastDraw = now;
        const text =
          total === undefined
            ? `${label}: ${done.toLocaleString('en-US')}`
            : `${label}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${Math.floor((done * 100) / Math.max(total, 1))}%)`;
        if (isTty) {
          stderr.write(`\r\x1b[K${text}`);
          drawn = true;
        } else {
          stderr.write(`${text}\n`);
        }
      },
      done() {
        if (drawn && isTty) stderr.write('\r\x1b[K');
        drawn = false;
        tick = 0;
      },
    },
  };
}

/** Prints the error envelope and returns the exit code for it. */
export function reportError(
  error: unknown,
  options: OutputOptions,
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): ExitCode {
  const known = error instanceof DeltaTraceError ? error : undefined;
  const code = known?.code ?? 'INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  const details: JsonObject = known?.details ?? {};
  stdout.write(
    `${stringify({ ok: false, error: { code, message, details }, meta: VERSION_META }, options.pretty)}\n`,
  );
  if (options.debug && error instanceof Error && error.stack !== undefined) {
    stderr.write(`${error.stack}\n`);
  }
  return known === undefined ? EXIT_CODE.other : ERROR_CODES[code].exit;
}
