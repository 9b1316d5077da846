/**
 * @module
 * Frames on the pipe between a capture and its writer process: a little-endian uint32 length,
 * then the frame. A records frame carries the encoded batch's arrays as raw bytes and its strings
 * as JSON, so that handing a batch over costs a few copies rather than a serialisation per value;
 * a flush frame carries its id.
 */
import { InternalError } from '../../core/index.js';
import type { ToWriter } from './capture-protocol.js';

const KIND_RECORDS = 1;
const KIND_FLUSH = 2;
/** kind, count, numbers bytes, times bytes, strings bytes, names bytes. */
const HEADER_BYTES = 4 + 4 * 5;

export function encodeFrame(message: ToWriter): Buffer {
  if (message.kind === 'flush') {
    const frame = Buffer.allocUnsafe(12);
    frame.writeUInt32LE(8, 0);
    frame.writeUInt32LE(KIND_FLUSH, 4);
    frame.writeUInt32LE(message.id, 8);
    return frame;
  }
  const { batch } = message;
  const numbers = Buffer.from(
    batch.numbers.buffer,
    batch.numbers.byteOffset,
    batch.numbers.byteLength,
  );
  const times = Buffer.from(batch.times.buffer, batch.times.byteOffset, batch.times.byteLength);
  const strings = JSON.stringify(batch.strings);
  const names = JSON.stringify(batch.newNames);
  const stringBytes = Buffer.byteLength(strings);
  const nameBytes = Buffer.byteLength(names);
  const length = HEADER_BYTES + numbers.length + times.length + stringBytes + nameBytes;
  const frame = Buffer.allocUnsafe(4 + length);
  frame.writeUInt32LE(length, 0);
  frame.writeUInt32LE(KIND_RECORDS, 4);
  frame.writeUInt32LE(batch.count, 8);
  frame.writeUInt32LE(numbers.length, 12);
  frame.writeUInt32LE(times.length, 16);
  frame.writeUInt32LE(stringBytes, 20);
  frame.writeUInt32LE(nameBytes, 24);
  let at = 4 + HEADER_BYTES;
  at += numbers.copy(frame, at);
  at += times.copy(frame, at);
  at += frame.write(strings, at, 'utf8');
  frame.write(names, at, 'utf8');
  return frame;
}

function decodeFrame(frame: Buffer): ToWriter {
  const kind = frame.readUInt32LE(0);
  if (kind === KIND_FLUSH) return { kind: 'flush', id: frame.readUInt32LE(4) };
  if (kind !== KIND_RECORDS)
    throw new InternalError('INTERNAL', `capture frame kind ${kind} unknown`);
  const count = frame.readUInt32LE(4);
  const sizes = [8, 12, 16, 20].map((offset) => frame.readUInt32LE(offset));
  let at = HEADER_BYTES;
  const part = (size: number): Buffer => {
    const slice = frame.subarray(at, at + size);
    at += size;
    return slice;
  };
  // Copies into fresh, aligned buffers: a typed-array view needs its element alignment.
  const numbersBytes = part(sizes[0]!);
  const timesBytes = part(sizes[1]!);
  const numbers = new Float64Array(numbersBytes.length / 8);
  Buffer.from(numbers.buffer).set(numbersBytes);
  const times = new BigInt64Array(timesBytes.length / 8);
  Buffer.from(times.buffer).set(timesBytes);
  return {
    kind: 'records',
    batch: {
      count,
      numbers,
      times,
      strings: JSON.parse(part(sizes[2]!).toString('utf8')) as string[],
      newNames: JSON.parse(part(sizes[3]!).toString('utf8')) as string[],
    },
  };
}

/** Cuts a stream into messages, whatever the chunking. */
export class FrameReader {
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): ToWriter[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const messages: ToWriter[] = [];
    let at = 0;
    while (this.#pending.length - at >= 4) {
      const length = this.#pending.readUInt32LE(at);
      if (this.#pending.length - at - 4 < length) break;
      messages.push(decodeFrame(this.#pending.subarray(at + 4, at + 4 + length)));
      at += 4 + length;
    }
    this.#pending = this.#pending.subarray(at);
    return messages;
  }
}
