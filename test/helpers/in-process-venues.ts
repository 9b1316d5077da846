/**
 * Sandbox venues wired straight to a pipeline, without a network: each is a real matching engine
 * with a seeded market maker and noise flow. Commands from the pipeline go to the book; the book's
 * execution reports for the pipeline's orders come back as inputs, as an order-entry adapter would
 * turn them into.
 */
import { type Rng, SeededRng } from '../../src/core/index.js';
import { type ExchangeEvent, OrderBook } from '../../src/exchange/index.js';
import type { OutboundCommand, PipelineInput, TickInput } from '../../src/pipeline/index.js';

const PIPELINE_OWNER = 'pipeline';

export class InProcessVenue {
  readonly id: string;
  readonly instrument: string;
  readonly book: OrderBook;
  readonly #rng: Rng;
  readonly #ours = new Set<string>();
  #feedSeq = 0;
  #flowNo = 0;
  #fillNo = 0;
  midPx: number;

  constructor(id: string, instrument: string, midPx: number, seed: number) {
    this.id = id;
    this.instrument = instrument;
    this.book = new OrderBook({ instrument });
    this.midPx = midPx;
    this.#rng = new SeededRng(seed);
    this.#quote();
  }

  /** Market maker: five levels each side around the mid; its quotes may trade with ours. */
  #quote(): PipelineInput[] {
    const answers: PipelineInput[] = [];
    for (let level = 1; level <= 5; level++) {
      for (const side of ['buy', 'sell'] as const) {
        const events = this.book.apply({
          type: 'new',
          orderId: `${this.id}-mm-${this.#flowNo++}`,
          side,
          orderType: 'limit',
          tif: 'day',
          qtyLots: 50 + Math.floor(this.#rng.next() * 100),
          priceTicks: side === 'buy' ? this.midPx - level : this.midPx + level,
          ownerId: 'mm',
        });
        answers.push(...this.#answers(events));
      }
    }
    return answers;
  }

  tick(): TickInput {
    const { bids, asks } = this.book.depth(1);
    const bid = bids[0];
    const ask = asks[0];
    return {
      kind: 'tick',
      venue: this.id,
      instrument: this.instrument,
      adapter: 'in-process',
      ...(bid === undefined ? {} : { bidPx: bid[0], bidQty: bid[1] }),
      ...(ask === undefined ? {} : { askPx: ask[0], askQty: ask[1] }),
      feedSeq: ++this.#feedSeq,
    };
  }

  /** One step of outside flow: a drift of the mid, a refresh of quotes, and a noise order. */
  step(): PipelineInput[] {
    const move = Math.floor(this.#rng.next() * 3) - 1;
    this.midPx += move;
    const quoted = this.#quote();
    const side = this.#rng.next() < 0.5 ? 'buy' : 'sell';
    const events = this.book.apply({
      type: 'new',
      orderId: `${this.id}-noise-${this.#flowNo++}`,
      side,
      orderType: 'market',
      tif: 'ioc',
      qtyLots: 5 + Math.floor(this.#rng.next() * 60),
      ownerId: 'noise',
    });
    return [...quoted, ...this.#answers(events), this.tick()];
  }

  handle(command: OutboundCommand): PipelineInput[] {
    if (command.kind === 'new-order') {
      this.#ours.add(command.orderId);
      return this.#answers(
        this.book.apply({
          type: 'new',
          orderId: command.orderId,
          side: command.side,
          orderType: command.orderType,
          tif: command.tif,
          qtyLots: command.qtyLots,
          ...(command.limitPx === undefined ? {} : { priceTicks: command.limitPx }),
          ownerId: PIPELINE_OWNER,
        }),
      );
    }
    return this.#answers(this.book.apply({ type: 'cancel', orderId: command.orderId }));
  }

  #answers(events: readonly ExchangeEvent[]): PipelineInput[] {
    const inputs: PipelineInput[] = [];
    for (const event of events) {
      if (!('orderId' in event) || !this.#ours.has(event.orderId)) continue;
      switch (event.type) {
        case 'ack':
          inputs.push({
            kind: 'ack',
            venue: this.id,
            orderId: event.orderId,
            venueOrderId: `${this.id}:${event.seq}`,
          });
          break;
        case 'reject':
          if (event.command !== 'new') break;
          inputs.push({
            kind: 'reject',
            venue: this.id,
            orderId: event.orderId,
            reason: event.reason,
          });
          break;
        case 'fill':
          inputs.push({
            kind: 'fill',
            venue: this.id,
            orderId: event.orderId,
            fillId: `${this.id}-F${++this.#fillNo}`,
            qtyLots: event.qtyLots,
            priceTicks: event.priceTicks,
            leavesLots: event.leavesLots,
            liquidity: event.liquidity,
          });
          break;
        case 'cancelled':
          inputs.push({
            kind: 'cancelled',
            venue: this.id,
            orderId: event.orderId,
            reason: event.reason,
            cancelledLots: event.cancelledLots,
          });
          break;
        case 'replaced':
          break;
      }
    }
    return inputs;
  }
}
