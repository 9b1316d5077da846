/**
 * @module
 * A pipeline wired straight to a sandbox Venue, with no protocol in between: the venue's
 * top-of-book changes become ticks, its reports on the pipeline's orders become acks, fills,
 * cancels and rejects, and the pipeline's commands are submitted to it (after the venue's own
 * processing latency). For backtests, benchmarks and tests; the live path goes through the FIX
 * and WebSocket adapters instead.
 */
import { toFeeDecimal, type Venue, type VenueReport } from '../exchange/index.js';
import type { OutboundCommand, PipelineInput } from './inputs.js';

export interface DirectVenueOptions {
  readonly venue: Venue;
  /** Called with every input for the pipeline, in the venue's order. */
  readonly deliver: (input: PipelineInput) => void;
  /** Owner id of the pipeline's orders at the venue (self-trade prevention works on it). */
  readonly ownerId?: string;
  /** Adapter name recorded on ticks (default `direct`). */
  readonly adapter?: string;
  /**
   * Whether the venue's top-of-book changes become ticks (default true). A backtest that moves the
   * book to each recorded tick feeds the recorded ticks itself.
   */
  readonly marketData?: boolean;
  /** The venue's id as the pipeline knows it (default the venue's MIC). */
  readonly venueId?: string;
}

export class DirectVenueLink {
  readonly #venue: Venue;
  readonly #deliver: (input: PipelineInput) => void;
  readonly #ownerId: string;
  readonly #adapter: string;
  readonly #marketData: boolean;
  readonly #venueId: string;
  readonly #ours = new Set<string>();
  readonly #feedSeq = new Map<string, number>();
  #fillNo = 0;
  readonly #unsubscribe: () => void;

  constructor(options: DirectVenueOptions) {
    this.#venue = options.venue;
    this.#deliver = options.deliver;
    this.#ownerId = options.ownerId ?? 'pipeline';
    this.#adapter = options.adapter ?? 'direct';
    this.#marketData = options.marketData ?? true;
    this.#venueId = options.venueId ?? options.venue.mic;
    this.#unsubscribe = options.venue.onReport((report) => this.#onReport(report));
  }

  get venueId(): string {
    return this.#venueId;
  }

  /** The current top of book of every instrument, as ticks (what a new subscriber first sees). */
  snapshot(): void {
    for (const instrument of this.#venue.instruments) {
      const { bids, asks } = this.#venue.depth(instrument, 1);
      this.#tick(instrument, bids[0], asks[0]);
    }
  }

  send(command: OutboundCommand): void {
    if (command.kind === 'new-order') {
      this.#ours.add(command.orderId);
      this.#venue.submit(command.instrument, {
        type: 'new',
        orderId: command.orderId,
        side: command.side,
        orderType: command.orderType,
        tif: command.tif,
        qtyLots: command.qtyLots,
        ...(command.limitPx === undefined ? {} : { priceTicks: command.limitPx }),
        ownerId: this.#ownerId,
      });
    } else {
      this.#venue.submit(command.instrument, { type: 'cancel', orderId: command.orderId });
    }
  }

  close(): void {
    this.#unsubscribe();
  }

  #tick(
    instrument: string,
    bid: readonly [number, number] | undefined,
    ask: readonly [number, number] | undefined,
  ): void {
    const feedSeq = (this.#feedSeq.get(instrument) ?? 0) + 1;
    this.#feedSeq.set(instrument, feedSeq);
    this.#deliver({
      kind: 'tick',
      venue: this.#venueId,
      instrument,
      adapter: this.#adapter,
      ...(bid === undefined ? {} : { bidPx: bid[0], bidQty: bid[1] }),
      ...(ask === undefined ? {} : { askPx: ask[0], askQty: ask[1] }),
      feedSeq,
    });
  }

  #onReport(report: VenueReport): void {
    const venue = this.#venueId;
    for (const event of report.events) {
      switch (event.type) {
        case 'book':
          if (!this.#marketData) break;
          this.#tick(
            report.instrument,
            event.bidPriceTicks === null ? undefined : [event.bidPriceTicks, event.bidQtyLots],
            event.askPriceTicks === null ? undefined : [event.askPriceTicks, event.askQtyLots],
          );
          break;
        case 'ack':
          if (this.#ours.has(event.orderId)) {
            this.#deliver({
              kind: 'ack',
              venue,
              orderId: event.orderId,
              venueOrderId: `${venue}-${report.seq}`,
            });
          }
          break;
        case 'reject':
          // A refused cancel or replace leaves the order as it was: only a refused order is a reject.
          if (event.command === 'new' && this.#ours.has(event.orderId)) {
            this.#deliver({
              kind: 'reject',
              venue,
              orderId: event.orderId,
              reason: event.reason,
              code: event.reason,
            });
          }
          break;
        case 'fill':
          if (this.#ours.has(event.orderId)) {
            this.#deliver({
              kind: 'fill',
              venue,
              orderId: event.orderId,
              fillId: `${venue}-F${++this.#fillNo}`,
              qtyLots: event.qtyLots,
              priceTicks: event.priceTicks,
              leavesLots: event.leavesLots,
              liquidity: event.liquidity,
              fee: toFeeDecimal(event.feeCentiTicks),
            });
          }
          break;
        case 'cancelled':
          if (this.#ours.has(event.orderId)) {
            this.#deliver({
              kind: 'cancelled',
              venue,
              orderId: event.orderId,
              reason: event.reason,
              cancelledLots: event.cancelledLots,
            });
          }
          break;
        case 'trade':
        case 'replaced':
          break;
      }
    }
  }
}
