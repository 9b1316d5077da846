/**
 * The application behind the acceptor in the QuickFIX acceptance suite (README, "The FIX
 * acceptance scripts"): it echoes every NewOrderSingle (D), SecurityDefinition (d) and Email (C),
 * drops a PossResend (97=Y) NewOrderSingle whose ClOrdID it has already seen in the session, and
 * answers anything else with a BusinessMessageReject (Unsupported Message Type). The echo keeps
 * the optional header fields and puts body fields in tag order, repeating groups kept whole (the
 * layout a QuickFIX field map produces).
 */
import {
  FIX44_HEADER_TAGS,
  fix44Message,
  type FixApplication,
  type FixField,
  type FixMessage,
  type FixSessionHandle,
} from '../../../../src/adapters/fix/index.js';
import { InputError } from '../../../../src/core/index.js';

const HEADER_TAGS = new Set(FIX44_HEADER_TAGS);
const TRAILER_TAGS = new Set([93, 89, 10]);

interface Item {
  readonly tag: number;
  readonly fields: FixField[];
}

/** Body fields in tag order, each repeating group (count and instances) moved as one item. */
function sortBody(msgType: string, body: readonly FixField[]): FixField[] {
  const groups = new Map<number, Set<number>>();
  const collect = (
    defs: NonNullable<ReturnType<typeof fix44Message>>['groups'],
    into: Set<number>,
  ) => {
    for (const def of defs ?? []) {
      for (const tag of def.memberTags) into.add(tag);
      collect(def.groups, into);
    }
  };
  for (const def of fix44Message(msgType)?.groups ?? []) {
    const members = new Set<number>();
    collect([def], members);
    groups.set(def.countTag, members);
  }
  const items: Item[] = [];
  for (let i = 0; i < body.length; i++) {
    const field = body[i]!;
    const item: Item = { tag: field[0], fields: [field] };
    const members = groups.get(field[0]);
    while (members !== undefined && i + 1 < body.length && members.has(body[i + 1]![0])) {
      item.fields.push(body[++i]!);
    }
    items.push(item);
  }
  return items.sort((a, b) => a.tag - b.tag).flatMap((item) => item.fields);
}

function echo(message: FixMessage, session: FixSessionHandle): void {
  const header: FixField[] = [];
  const body: FixField[] = [];
  for (const field of message.fields.slice(3)) {
    if (TRAILER_TAGS.has(field[0])) continue;
    if (HEADER_TAGS.has(field[0])) header.push(field);
    else body.push(field);
  }
  session.send({ msgType: message.msgType, header, body: sortBody(message.msgType, body) });
}

export class AcceptanceApplication implements FixApplication {
  readonly #clOrdIds = new Set<string>();

  onMessage(message: FixMessage, session: FixSessionHandle): void {
    switch (message.msgType) {
      case 'D': {
        const clOrdId = message.get(11) ?? '';
        if (message.get(97) === 'Y' && this.#clOrdIds.has(clOrdId)) return;
        this.#clOrdIds.add(clOrdId);
        echo(message, session);
        return;
      }
      case 'd':
      case 'C':
        echo(message, session);
        return;
      default:
        throw new InputError('FIX_UNSUPPORTED_MSG_TYPE', `unsupported MsgType ${message.msgType}`, {
          details: { tag: 35, actual: message.msgType },
        });
    }
  }
}
