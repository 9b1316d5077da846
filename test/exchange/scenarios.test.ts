import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { OrderBook, parseCommand } from '../../src/exchange/index.js';

const SCENARIO_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'scenarios');

const LevelSchema = z.tuple([z.number().int(), z.number().int()]);
const ScenarioSchema = z.strictObject({
  description: z.string().min(1),
  commands: z.array(z.unknown()).min(1),
  expected_events: z.array(z.looseObject({ seq: z.number().int(), type: z.string() })),
  expected_book: z.strictObject({ bids: z.array(LevelSchema), asks: z.array(LevelSchema) }),
});

const files = readdirSync(SCENARIO_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort();

describe('exchange scenarios', () => {
  it('has at least 30 scenario files', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  describe.each(files)('%s', (name) => {
    const scenario = ScenarioSchema.parse(
      JSON.parse(readFileSync(path.join(SCENARIO_DIR, name), 'utf8')),
    );

    it(`emits exactly the expected events and book: ${scenario.description}`, () => {
      const book = new OrderBook({ instrument: 'TEST' });
      const events = scenario.commands.flatMap((command) => book.apply(parseCommand(command)));
      expect(events).toEqual(scenario.expected_events);
      expect(book.depth()).toEqual(scenario.expected_book);
    });
  });
});
