/**
 * The QuickFIX acceptance-script format (see ../shared/vectors/README.md, "The FIX acceptance
 * scripts"): one step per line, fields separated by SOH. Parsing, and the runner's fix-ups of a
 * message line (time placeholders, BodyLength, CheckSum).
 */

export type Step =
  | { readonly kind: 'connect'; readonly line: number; readonly connection: number }
  | { readonly kind: 'disconnect'; readonly line: number; readonly connection: number }
  | { readonly kind: 'expect-disconnect'; readonly line: number; readonly connection: number }
  | {
      readonly kind: 'send';
      readonly line: number;
      readonly connection: number;
      readonly text: string;
    }
  | {
      readonly kind: 'expect';
      readonly line: number;
      readonly connection: number;
      readonly text: string;
    };

const CONNECTION_PREFIX = /^(\d+),/;

/** Steps of a script, with 1-based line numbers. */
export function parseScript(source: string): Step[] {
  const steps: Step[] = [];
  const lines = source.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!.replace(/\r$/, '');
    const line = index + 1;
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const action = raw[0];
    let rest = raw.slice(1);
    let connection = 1;
    const prefix = CONNECTION_PREFIX.exec(rest);
    if (prefix !== null) {
      connection = Number(prefix[1]);
      rest = rest.slice(prefix[0].length);
    }
    if (action === 'i' && rest.trim() === 'CONNECT')
      steps.push({ kind: 'connect', line, connection });
    else if (action === 'i' && rest.trim() === 'DISCONNECT') {
      steps.push({ kind: 'disconnect', line, connection });
    } else if (action === 'e' && rest.trim() === 'DISCONNECT') {
      steps.push({ kind: 'expect-disconnect', line, connection });
    } else if (action === 'I') steps.push({ kind: 'send', line, connection, text: rest });
    else if (action === 'E') steps.push({ kind: 'expect', line, connection, text: rest });
    else throw new Error(`line ${line}: unknown step ${JSON.stringify(raw.slice(0, 20))}`);
  }
  return steps;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYYMMDD-HH:MM:SS` (UTC) of epoch milliseconds. */
export function formatScriptTime(epochMs: number): string {
  const d = new Date(epochMs);
  return (
    `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/**
 * Replaces `<TIME>`, `<TIME+n>` and `<TIME-n>`. The base is the current second rounded up: the
 * ±n offsets of scripts 2o (±121 s against a 120 s tolerance) then hold whatever the fraction of
 * the current second, instead of failing when the clock sits just before a second boundary.
 */
export function substituteTime(text: string, nowMs: number): string {
  const baseMs = Math.ceil(nowMs / 1000) * 1000;
  return text.replace(/<TIME([+-]\d+)?>/g, (_, offset: string | undefined) =>
    formatScriptTime(baseMs + Number(offset ?? '0') * 1000),
  );
}

const SOH = '\x01';

/** Byte sum mod 256, three digits. */
function checksumOf(bytes: Uint8Array): string {
  let sum = 0;
  for (const byte of bytes) sum = (sum + byte) & 0xff;
  return String(sum).padStart(3, '0');
}

/**
 * Inserts BodyLength (9) after BeginString when the line has none and appends CheckSum (10) when
 * it has none; lines that supply them (scripts testing broken framing) keep theirs.
 */
export function completeMessage(text: string): Uint8Array {
  const encoder = new TextEncoder();
  let message = text;
  const firstSoh = message.indexOf(SOH);
  if (message.startsWith('8=') && firstSoh >= 0 && !message.startsWith('9=', firstSoh + 1)) {
    const afterBegin = message.slice(firstSoh + 1);
    const trailerAt = afterBegin.lastIndexOf(`${SOH}10=`);
    const body = trailerAt >= 0 ? afterBegin.slice(0, trailerAt + 1) : afterBegin;
    const length = encoder.encode(body).length;
    message = `${message.slice(0, firstSoh + 1)}9=${length}${SOH}${afterBegin}`;
  }
  const lastField = message.slice(message.lastIndexOf(SOH, message.length - 2) + 1);
  if (!(message.endsWith(SOH) && lastField.startsWith('10='))) {
    message += `10=${checksumOf(encoder.encode(message))}${SOH}`;
  }
  return encoder.encode(message);
}
