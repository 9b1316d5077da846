/**
 * @module
 * Pre-trade risk checks on each child order: size, position, price collar and message rate. Every
 * check yields a result per rule with its limit and what was observed, which becomes a risk.check
 * event; an order is sent only when every rule passes.
 */
import { InputError, type Side } from '../core/index.js';

export interface RiskLimits {
  /** Largest child order. */
  readonly maxOrderLots: number;
  /** Largest absolute position, counting what is open on the same side. */
  readonly maxPositionLots: number;
  /** Farthest a limit price may be from the reference price, in ticks. */
  readonly priceCollarTicks: number;
  /** Most orders sent in any one second. */
  readonly maxOrdersPerSecond: number;
}

export interface RiskRuleResult {
  readonly rule: string;
  readonly passed: boolean;
  readonly limit: string;
  readonly observed: string;
}

export interface RiskVerdict {
  readonly outcome: 'pass' | 'fail';
  readonly rules: readonly RiskRuleResult[];
}

export interface OrderForRisk {
  readonly side: Side;
  readonly qtyLots: number;
  readonly limitPx: number | undefined;
}

export interface RiskState {
  /** Signed filled position. */
  readonly positionLots: number;
  /** Open quantity on the order's side. */
  readonly workingSameSideLots: number;
  /** Reference price for the collar (e.g. the touch on the other side); undefined when unknown. */
  readonly referencePx: number | undefined;
  readonly nowMonoNs: bigint;
}

const ONE_SECOND_NS = 1_000_000_000n;

/** @throws PIPELINE_INVALID_CONFIG for a limit that is not a positive integer. */
export function assertRiskLimits(limits: RiskLimits): void {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || (value as number) <= 0) {
      throw new InputError(
        'PIPELINE_INVALID_CONFIG',
        `risk limit ${name} must be a positive integer`,
        {
          details: { limit: name, value: String(value) },
        },
      );
    }
  }
}

export class RiskEngine {
  readonly limits: RiskLimits;
  /** Monotonic send times of the orders of the last second, oldest first. */
  readonly #sent: bigint[] = [];

  constructor(limits: RiskLimits) {
    assertRiskLimits(limits);
    this.limits = limits;
  }

  check(order: OrderForRisk, state: RiskState): RiskVerdict {
    const { limits } = this;
    while (this.#sent.length > 0 && this.#sent[0]! <= state.nowMonoNs - ONE_SECOND_NS)
      this.#sent.shift();
    const signed = order.side === 'buy' ? order.qtyLots : -order.qtyLots;
    const workingSigned =
      order.side === 'buy' ? state.workingSameSideLots : -state.workingSameSideLots;
    const projected = Math.abs(state.positionLots + workingSigned + signed);
    const distance =
      order.limitPx === undefined || state.referencePx === undefined
        ? undefined
        : Math.abs(order.limitPx - state.referencePx);
    const rules: RiskRuleResult[] = [
      {
        rule: 'max_order_size',
        passed: order.qtyLots <= limits.maxOrderLots,
        limit: String(limits.maxOrderLots),
        observed: String(order.qtyLots),
      },
      {
        rule: 'max_position',
        passed: projected <= limits.maxPositionLots,
        limit: String(limits.maxPositionLots),
        observed: String(projected),
      },
      {
        rule: 'price_collar',
        // No reference price (an empty book) fails closed for limit orders.
        passed: distance !== undefined && distance <= limits.priceCollarTicks,
        limit: String(limits.priceCollarTicks),
        observed: distance === undefined ? '-1' : String(distance),
      },
      {
        rule: 'message_rate',
        passed: this.#sent.length + 1 <= limits.maxOrdersPerSecond,
        limit: String(limits.maxOrdersPerSecond),
        observed: String(this.#sent.length + 1),
      },
    ];
    const outcome = rules.every((r) => r.passed) ? 'pass' : 'fail';
    return { outcome, rules };
  }

  /** Counts a sent order against the message rate. */
  noteSent(nowMonoNs: bigint): void {
    this.#sent.push(nowMonoNs);
  }

  /** Send times still inside the message-rate window, oldest first. */
  snapshot(): string[] {
    return this.#sent.map((ns) => ns.toString());
  }

  restore(sentMonoNs: readonly string[]): void {
    this.#sent.length = 0;
    for (const ns of sentMonoNs) this.#sent.push(BigInt(ns));
  }
}
