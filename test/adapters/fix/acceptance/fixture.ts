/**
 * The acceptor the acceptance scripts talk to: SenderCompID ISLD, TargetCompID TW44, sequence
 * numbers reset on every Logon, 120 s SendingTime tolerance, real clock and timers.
 */
import {
  FixAcceptor,
  FixSession,
  MemorySessionStore,
  type SessionEvent,
} from '../../../../src/adapters/fix/index.js';
import { SystemClock } from '../../../../src/cli/context.js';
import { SystemScheduler } from '../../../../src/runtime/system-scheduler.js';
import { AcceptanceApplication } from './application.js';

export interface AcceptanceAcceptor {
  readonly port: number;
  readonly session: FixSession;
  readonly events: readonly SessionEvent[];
  close(): Promise<void>;
}

export async function startAcceptanceAcceptor(): Promise<AcceptanceAcceptor> {
  const scheduler = new SystemScheduler(new SystemClock());
  const events: SessionEvent[] = [];
  const session = new FixSession({
    config: {
      role: 'acceptor',
      senderCompId: 'ISLD',
      targetCompId: 'TW44',
      resetOnLogon: true,
      sendingTimeToleranceMs: 120_000,
    },
    scheduler,
    store: new MemorySessionStore(),
    application: new AcceptanceApplication(),
    observer: { onEvent: (event) => events.push(event) },
  });
  const acceptor = new FixAcceptor({ sessions: [session], scheduler });
  const port = await acceptor.listen();
  return {
    port,
    session,
    events,
    close: async () => {
      await acceptor.close();
      scheduler.cancelAll();
    },
  };
}
