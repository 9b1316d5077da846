import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  FileSessionStore,
  MemorySessionStore,
  type SessionStore,
} from '../../../src/adapters/fix/index.js';
import { expectErrorCode } from '../../helpers/errors.js';
import { SessionHarness, show } from './session-harness.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fix-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

const BACKENDS: [string, () => SessionStore][] = [
  ['MemorySessionStore', () => new MemorySessionStore()],
  ['FileSessionStore', () => new FileSessionStore(path.join(dir, 'session.store'))],
];

describe.each(BACKENDS)('%s', (_name, open) => {
  it('starts at 1 and 1', () => {
    const store = open();
    expect([store.nextSenderSeq, store.nextTargetSeq]).toEqual([1, 1]);
    store.close();
  });

  it('tracks sent numbers and keeps application messages only', () => {
    const store = open();
    store.recordSent(1, undefined);
    store.recordSent(2, bytes('two'));
    store.recordSent(3, undefined);
    store.recordSent(4, bytes('four'));
    store.setNextTargetSeq(9);
    expect(store.nextSenderSeq).toBe(5);
    expect(store.nextTargetSeq).toBe(9);
    expect(store.sentMessages(1, 4).map((m) => [m.seq, new TextDecoder().decode(m.bytes)])).toEqual(
      [
        [2, 'two'],
        [4, 'four'],
      ],
    );
    expect(store.sentMessages(3, 3)).toEqual([]);
    store.close();
  });

  it('forgets everything on reset', () => {
    const store = open();
    store.recordSent(1, bytes('one'));
    store.setNextTargetSeq(4);
    store.reset();
    expect([store.nextSenderSeq, store.nextTargetSeq]).toEqual([1, 1]);
    expect(store.sentMessages(1, 10)).toEqual([]);
    store.close();
  });
});

describe('FileSessionStore durability', () => {
  const file = (): string => path.join(dir, 'session.store');

  it('reopens where it left off', () => {
    const store = new FileSessionStore(file());
    store.recordSent(1, undefined);
    store.recordSent(2, bytes('order'));
    store.setNextTargetSeq(7);
    store.close();
    const reopened = new FileSessionStore(file(), { sync: 'never' });
    expect([reopened.nextSenderSeq, reopened.nextTargetSeq]).toEqual([3, 7]);
    expect(reopened.sentMessages(1, 2).map((m) => m.seq)).toEqual([2]);
    reopened.recordSent(3, bytes('more'));
    reopened.close();
    expect(new FileSessionStore(file()).nextSenderSeq).toBe(4);
  });

  it('cuts off a torn last record', () => {
    const store = new FileSessionStore(file());
    store.recordSent(1, bytes('kept'));
    store.close();
    const goodSize = statSync(file()).size;
    appendFileSync(file(), Buffer.from([1, 2, 0, 0, 0, 40, 0, 0]));
    const reopened = new FileSessionStore(file());
    expect(reopened.nextSenderSeq).toBe(2);
    expect(statSync(file()).size).toBe(goodSize);
    reopened.recordSent(2, bytes('next'));
    reopened.close();
    expect(new FileSessionStore(file()).sentMessages(1, 2)).toHaveLength(2);
  });

  it('reports STORE_CORRUPT for a damaged record before the end', () => {
    const store = new FileSessionStore(file());
    store.recordSent(1, bytes('first'));
    store.recordSent(2, bytes('second'));
    store.close();
    const data = readFileSync(file());
    const at = data.indexOf('first');
    data[at] = 0x46; // 'F'
    writeFileSync(file(), data);
    expectErrorCode(() => new FileSessionStore(file()), 'STORE_CORRUPT');
  });

  it('reports STORE_CORRUPT for a file that is not a store', () => {
    writeFileSync(file(), 'hello');
    expectErrorCode(() => new FileSessionStore(file()), 'STORE_CORRUPT');
  });

  it('reports STORE_IO when the file cannot be opened', () => {
    expectErrorCode(() => new FileSessionStore(path.join(dir, 'missing', 'x.store')), 'STORE_IO');
  });

  it('lets a restarted session continue its sequence and answer a ResendRequest', () => {
    const first = new SessionHarness({
      store: new FileSessionStore(file()),
      application: {
        onMessage: (message, session) => {
          session.send({ msgType: 'D', body: [[11, message.get(11) ?? '']] });
        },
      },
    });
    first.logon();
    first.send('D', [
      [11, 'a'],
      [40, '1'],
      [54, '1'],
      [60, '20240102-03:04:05'],
    ]);
    first.take();
    first.store.close();

    const second = new SessionHarness({ store: new FileSessionStore(file()) });
    second.peerSeq = 3;
    expect(second.logon().map(show)).toEqual(['35=A|34=3|49=ISLD|52=*|56=TW44|98=0|108=30']);
    second.send('2', [
      [7, '1'],
      [16, '0'],
    ]);
    expect(second.take().map(show)).toEqual([
      '35=4|34=1|43=Y|49=ISLD|52=*|56=TW44|122=*|36=2|123=Y',
      '35=D|34=2|43=Y|49=ISLD|52=*|56=TW44|122=*|11=a',
      '35=4|34=3|43=Y|49=ISLD|52=*|56=TW44|122=*|36=4|123=Y',
    ]);
    second.store.close();
  });
});
