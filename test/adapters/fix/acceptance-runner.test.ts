/**
 * The acceptance runner itself: it must be able to fail, at the right line and tag.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { compareMessage } from './acceptance/compare.js';
import { runScript } from './acceptance/runner.js';
import { completeMessage, parseScript, substituteTime } from './acceptance/script.js';

const soh = (text: string): string => text.replaceAll('|', '\x01');
const bytes = (text: string): Uint8Array => new TextEncoder().encode(soh(text));

const dir = mkdtempSync(path.join(tmpdir(), 'fix-defs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, lines: readonly string[]): string {
  const file = path.join(dir, `${name}.def`);
  writeFileSync(file, soh(lines.join('\n')), 'latin1');
  return file;
}

const LOGON = 'I8=FIX.4.4|35=A|34=1|49=TW44|52=<TIME>|56=ISLD|98=0|108=30|';
const LOGON_REPLY =
  'E8=FIX.4.4|9=63|35=A|34=1|49=ISLD|52=00000000-00:00:00.000|56=TW44|98=0|108=30|10=0|';

describe('acceptance script parsing', () => {
  it('reads steps with their lines and connection numbers', () => {
    const steps = parseScript(soh('# c\n\niCONNECT\nI1,8=FIX.4.4|35=0|\ne2,DISCONNECT\n'));
    expect(steps).toEqual([
      { kind: 'connect', line: 3, connection: 1 },
      { kind: 'send', line: 4, connection: 1, text: soh('8=FIX.4.4|35=0|') },
      { kind: 'expect-disconnect', line: 5, connection: 2 },
    ]);
  });

  it('fills in time, BodyLength and CheckSum, keeping those a line supplies', () => {
    const at = Date.UTC(2024, 0, 2, 3, 4, 5, 100);
    expect(substituteTime('<TIME>|<TIME-121>|<TIME+1>', at)).toBe(
      '20240102-03:04:06|20240102-03:02:05|20240102-03:04:07',
    );
    const text = new TextDecoder().decode(completeMessage(soh('8=FIX.4.4|35=0|')));
    expect(text).toBe(soh('8=FIX.4.4|9=5|35=0|10=163|'));
    expect(new TextDecoder().decode(completeMessage(soh('8=FIX.4.4|9=3|35=0|10=0|')))).toBe(
      soh('8=FIX.4.4|9=3|35=0|10=0|'),
    );
  });
});

describe('compareMessage', () => {
  const got = bytes(
    '8=FIX.4.4|9=61|35=0|34=2|49=ISLD|52=20240102-03:04:05.000|56=TW44|112=HELLO|10=093|',
  );

  it('ignores order, timestamps and framing in lenient mode', () => {
    expect(
      compareMessage(
        soh('8=FIX.4.4|35=0|49=ISLD|34=2|56=TW44|112=HELLO|52=x|10=0|'),
        got,
        'lenient',
      ),
    ).toBeUndefined();
  });

  it('names the tag that differs, is missing or is extra', () => {
    expect(
      compareMessage(soh('8=FIX.4.4|35=0|34=3|49=ISLD|56=TW44|112=HELLO|'), got, 'lenient')?.tag,
    ).toBe(34);
    expect(compareMessage(soh('8=FIX.4.4|35=0|34=2|49=ISLD|56=TW44|'), got, 'lenient')?.tag).toBe(
      112,
    );
    expect(
      compareMessage(soh('8=FIX.4.4|35=0|34=2|49=ISLD|56=TW44|112=HELLO|58=x|'), got, 'lenient')
        ?.tag,
    ).toBe(58);
  });

  it('matches Text as a prefix in lenient mode only', () => {
    const withText = bytes('8=FIX.4.4|9=20|35=5|34=2|58=too low, 3|10=000|');
    expect(
      compareMessage(soh('8=FIX.4.4|35=5|34=2|58=too low|'), withText, 'lenient'),
    ).toBeUndefined();
    expect(
      compareMessage(soh('8=FIX.4.4|9=20|35=5|34=2|58=too low|'), withText, 'strict')?.tag,
    ).toBe(58);
  });

  it('checks order and BodyLength in strict mode', () => {
    const expected =
      '8=FIX.4.4|9=61|35=0|34=2|49=ISLD|52=00000000-00:00:00.000|56=TW44|112=HELLO|10=0|';
    expect(compareMessage(soh(expected), got, 'strict')).toBeUndefined();
    expect(compareMessage(soh(expected.replace('9=61', '9=60')), got, 'strict')?.tag).toBe(9);
    expect(
      compareMessage(
        soh('8=FIX.4.4|9=61|35=0|49=ISLD|34=2|52=0|56=TW44|112=HELLO|10=0|'),
        got,
        'strict',
      )?.tag,
    ).toBe(49);
  });
});

describe('runScript', () => {
  it('passes a correct script', async () => {
    const result = await runScript(
      script('ok', [
        'iCONNECT',
        LOGON,
        LOGON_REPLY,
        'I8=FIX.4.4|35=5|34=2|49=TW44|52=<TIME>|56=ISLD|',
        'E8=FIX.4.4|35=5|34=2|49=ISLD|52=0|56=TW44|',
        'eDISCONNECT',
      ]),
      { mode: 'lenient' },
    );
    expect(result).toMatchObject({ name: 'ok', passed: true });
  });

  it('fails at the first mismatching step, naming its line and tag', async () => {
    const result = await runScript(
      script('wrong', ['iCONNECT', LOGON, LOGON_REPLY.replace('108=30', '108=31'), 'eDISCONNECT']),
      { mode: 'lenient' },
    );
    expect(result.passed).toBe(false);
    expect(result.failure).toMatchObject({ line: 3, tag: 108 });
  });

  it('fails when a disconnect is expected and a message arrives', async () => {
    const result = await runScript(script('chatty', ['iCONNECT', LOGON, 'eDISCONNECT']), {
      mode: 'lenient',
      disconnectTimeoutMs: 2000,
    });
    expect(result.failure).toMatchObject({ line: 3 });
    expect(result.failure?.message).toMatch(
      /expected a disconnect, received 8=FIX\.4\.4\|9=63\|35=A/,
    );
  });

  it('fails when an expected message does not come', async () => {
    const result = await runScript(
      script('silent', ['iCONNECT', LOGON, LOGON_REPLY, LOGON_REPLY]),
      { mode: 'lenient', expectTimeoutMs: 200 },
    );
    expect(result.failure).toMatchObject({ line: 4, message: 'timed out waiting for a message' });
  });
});
