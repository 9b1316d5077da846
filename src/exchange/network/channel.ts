/**
 * @module
 * One direction of a simulated link. Every frame gets its fate at send time — dropped (partition,
 * loss, closed socket) or scheduled for `max(previous delivery, send + latency + jitter)` — from
 * the direction's own seeded Rng, so the schedule depends only on what was sent and when. In
 * socket mode the frame is also written to a real socket at once, and released to the receiver
 * only when it has both arrived off that socket and reached its delivery time.
 */
import { InputError, IntegrityError, type Rng, type Scheduler } from '../../core/index.js';
import { drawLatencyNs, FifoReleaseClock, type LatencyModel } from '../latency.js';
import { type Frame, framesEqual, isPartitioned, type Partition } from './link-profile.js';
import type { DirectionStats, DropReason, NetEvent, SendResult } from './net-events.js';

/** Writes one frame to a real socket, at once; the composition root implements it per protocol. */
export interface FrameWriter {
  write(frame: Frame): void;
}

/** A sending endpoint's attachment to a real socket. */
export interface SocketBinding {
  readonly closed: boolean;
  /**
   * Ends the binding: frames written and not arrived are lost (`abandoned`), later sends are
   * dropped (`closed`) until a new binding. Call it once the receiving socket has closed, so no
   * frame of this binding can still arrive.
   */
  close(): void;
}

/** Frames written to sockets and not arrived, across a simulator, and who waits for zero. */
export class InFlightTracker {
  #count = 0;
  #waiters: (() => void)[] = [];

  get count(): number {
    return this.#count;
  }

  add(delta: number): void {
    this.#count += delta;
    if (this.#count > 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }

  settled(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

export interface ChannelOptions {
  readonly link: string;
  readonly from: string;
  readonly to: string;
  readonly scheduler: Scheduler;
  readonly rng: Rng;
  readonly latency: LatencyModel;
  readonly lossProbability: number;
  readonly partitions: readonly Partition[];
  readonly tracker: InFlightTracker;
  readonly emit: (event: NetEvent) => void;
  readonly deliver: (frame: Frame) => void;
}

interface InFlight {
  readonly frameNo: number;
  readonly sent: Frame;
  /** The frame as it came off the socket; the sent frame itself in process mode. */
  received: Frame | undefined;
  due: boolean;
  abandoned: boolean;
}

/** A FIFO queue with O(1) amortised removal from the head. */
class Queue<T> {
  #items: T[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  peek(): T | undefined {
    return this.#items[this.#head];
  }

  shift(): T | undefined {
    const item = this.#items[this.#head];
    if (item === undefined) return undefined;
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}

export class Channel {
  readonly #o: ChannelOptions;
  readonly #release = new FifoReleaseClock();
  /** Every scheduled frame not yet released, in send order. */
  readonly #pending = new Queue<InFlight>();
  /** Socket frames not arrived yet, in send order (all of the current binding). */
  readonly #unarrived = new Queue<InFlight>();
  #writer: FrameWriter | undefined;
  #everBound = false;
  #frameNo = 0;
  #delivered = 0;
  readonly #dropped: Record<DropReason, number> = {
    loss: 0,
    partition: 0,
    closed: 0,
    abandoned: 0,
  };

  constructor(options: ChannelOptions) {
    this.#o = options;
  }

  send(frame: Frame): SendResult {
    const o = this.#o;
    const frameNo = ++this.#frameNo;
    const nowNs = o.scheduler.clock.monoNs();
    let reason: DropReason | undefined;
    if (isPartitioned(o.partitions, nowNs)) reason = 'partition';
    else if (this.#everBound && this.#writer === undefined) reason = 'closed';
    else if (o.lossProbability > 0 && o.rng.next() < o.lossProbability) reason = 'loss';
    if (reason !== undefined) {
      this.#dropped[reason]++;
      o.emit({
        type: 'dropped',
        link: o.link,
        from: o.from,
        to: o.to,
        frameNo,
        atNs: nowNs,
        reason,
      });
      return { outcome: 'dropped', frameNo, reason };
    }
    const deliverAtNs = this.#release.next(nowNs + drawLatencyNs(o.latency, o.rng));
    const writer = this.#writer;
    const item: InFlight = {
      frameNo,
      sent: frame,
      received: writer === undefined ? frame : undefined,
      due: false,
      abandoned: false,
    };
    this.#pending.push(item);
    o.emit({
      type: 'sent',
      link: o.link,
      from: o.from,
      to: o.to,
      frameNo,
      sentAtNs: nowNs,
      deliverAtNs,
      socket: writer !== undefined,
    });
    if (writer !== undefined) {
      this.#unarrived.push(item);
      o.tracker.add(1);
      writer.write(frame);
    }
    o.scheduler.setTimer(deliverAtNs - nowNs, () => {
      item.due = true;
      this.#drain();
    });
    return { outcome: 'scheduled', frameNo, deliverAtNs };
  }

  /** @throws InputError `NET_SOCKET_ALREADY_BOUND` while another binding is open. */
  bind(writer: FrameWriter): SocketBinding {
    if (this.#writer !== undefined) {
      throw new InputError(
        'NET_SOCKET_ALREADY_BOUND',
        'this endpoint is already bound to a socket',
        {
          details: { link: this.#o.link, endpoint: this.#o.from },
        },
      );
    }
    this.#writer = writer;
    this.#everBound = true;
    let closed = false;
    return {
      get closed() {
        return closed;
      },
      close: () => {
        if (closed) return;
        closed = true;
        this.#writer = undefined;
        this.#abandonUnarrived();
      },
    };
  }

  /**
   * A frame of this direction came off the receiving socket.
   * @throws IntegrityError `NET_UNEXPECTED_FRAME` when no written frame is awaited;
   * `NET_FRAME_MISMATCH` when it differs from the next frame written.
   */
  arrive(frame: Frame): void {
    const o = this.#o;
    const item = this.#unarrived.peek();
    if (item === undefined) {
      throw new IntegrityError('NET_UNEXPECTED_FRAME', 'a frame arrived that no socket link sent', {
        details: { link: o.link, from: o.from, to: o.to },
      });
    }
    if (!framesEqual(item.sent, frame)) {
      throw new IntegrityError('NET_FRAME_MISMATCH', 'the frame that arrived is not the one sent', {
        details: { link: o.link, from: o.from, to: o.to, frame_no: item.frameNo },
      });
    }
    this.#unarrived.shift();
    item.received = frame;
    o.tracker.add(-1);
    this.#drain();
  }

  stats(): DirectionStats {
    return {
      sent: this.#frameNo,
      delivered: this.#delivered,
      dropped: { ...this.#dropped },
      inFlight: this.#unarrived.length,
    };
  }

  #abandonUnarrived(): void {
    const o = this.#o;
    const nowNs = o.scheduler.clock.monoNs();
    let abandoned = 0;
    for (let item = this.#unarrived.shift(); item !== undefined; item = this.#unarrived.shift()) {
      item.abandoned = true;
      abandoned++;
      this.#dropped.abandoned++;
      o.emit({
        type: 'dropped',
        link: o.link,
        from: o.from,
        to: o.to,
        frameNo: item.frameNo,
        atNs: nowNs,
        reason: 'abandoned',
      });
    }
    if (abandoned > 0) o.tracker.add(-abandoned);
    this.#drain();
  }

  /** Releases frames from the head while they are both due and arrived: FIFO per direction. */
  #drain(): void {
    const o = this.#o;
    for (let item = this.#pending.peek(); item !== undefined; item = this.#pending.peek()) {
      if (item.abandoned) {
        this.#pending.shift();
        continue;
      }
      if (!item.due || item.received === undefined) return;
      this.#pending.shift();
      this.#delivered++;
      o.emit({
        type: 'delivered',
        link: o.link,
        from: o.from,
        to: o.to,
        frameNo: item.frameNo,
        atNs: o.scheduler.clock.monoNs(),
      });
      o.deliver(item.received);
    }
  }
}
