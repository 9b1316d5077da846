/**
 * Shared pieces of the storage tests: how a suite reaches a backend, a fixed clock, and ledger
 * appends of generated events.
 */
import { expect } from 'vitest';

import {
  type Clock,
  createCoreRegistry,
  type EventStore,
  Ledger,
  verifyLog,
} from '../../src/core/index.js';
import type { EventFactory, GeneratedEvent } from '../helpers/event-factory.js';

export interface StoreFactory {
  create(dir: string, origin: string): Promise<EventStore>;
  open(dir: string, options?: { readonly?: boolean }): Promise<EventStore>;
  /** Makes the backend's appends fail after part of the batch has reached the disk. */
  breakWrites(dir: string): void;
  repairWrites(dir: string): void;
}

export const FIXED_CLOCK: Clock = { wallNs: () => 1_767_225_600_000_000_000n, monoNs: () => 0n };

/** Appends `count` generated events in batches; returns them in log order. */
export async function appendEvents(
  ledger: Ledger,
  events: EventFactory,
  count: number,
  batch = 100,
): Promise<GeneratedEvent[]> {
  const appended: GeneratedEvent[] = [];
  for (let done = 0; done < count; done += batch) {
    const part = events.take(Math.min(batch, count - done));
    await ledger.append(ledger.parseInputs(part.map((event) => event.input)));
    appended.push(...part);
  }
  return appended;
}

export function openLedger(store: EventStore): Promise<Ledger> {
  return Ledger.open(store, { registry: createCoreRegistry(), clock: FIXED_CLOCK });
}

export async function collect(chunks: AsyncIterable<readonly string[]>): Promise<string[][]> {
  const all: string[][] = [];
  for await (const chunk of chunks) all.push([...chunk]);
  return all;
}

export async function verifyClean(store: EventStore): Promise<number> {
  const report = await verifyLog(store, {
    openCheckpoint: () => {
      throw new Error('no checkpoints expected');
    },
  });
  expect(report.findings).toEqual([]);
  expect(report.ok).toBe(true);
  return report.entries_scanned;
}
