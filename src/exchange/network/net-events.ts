/**
 * @module
 * What the network simulator reports: one event per frame sent, dropped or delivered, and per
 * change of a link's status. A capture layer can record them; tests compare them across runs.
 */

/** Why a frame never reached its receiver. */
export type DropReason =
  /** Lost at random, by the link's loss probability. */
  | 'loss'
  /** Sent while the link was partitioned. */
  | 'partition'
  /** Sent from a socket endpoint whose socket had been closed. */
  | 'closed'
  /** Written to a socket that was closed before the frame arrived. */
  | 'abandoned';

interface FrameRef {
  readonly link: string;
  readonly from: string;
  readonly to: string;
  /** 1-based per direction, counting every frame handed to `send`. */
  readonly frameNo: number;
}

export interface FrameSentEvent extends FrameRef {
  readonly type: 'sent';
  readonly sentAtNs: bigint;
  readonly deliverAtNs: bigint;
  /** True when the frame was written to a real socket. */
  readonly socket: boolean;
}

export interface FrameDroppedEvent extends FrameRef {
  readonly type: 'dropped';
  readonly atNs: bigint;
  readonly reason: DropReason;
}

export interface FrameDeliveredEvent extends FrameRef {
  readonly type: 'delivered';
  readonly atNs: bigint;
}

/** The link went down (a partition began) or came back up. */
export interface LinkStatusEvent {
  readonly type: 'link-down' | 'link-up';
  readonly link: string;
  readonly atNs: bigint;
}

export type NetEvent = FrameSentEvent | FrameDroppedEvent | FrameDeliveredEvent | LinkStatusEvent;

/** The result of one send. */
export type SendResult =
  | { readonly outcome: 'scheduled'; readonly frameNo: number; readonly deliverAtNs: bigint }
  | { readonly outcome: 'dropped'; readonly frameNo: number; readonly reason: DropReason };

/** Counters of one direction of a link. */
export interface DirectionStats {
  /** Frames handed to `send`, dropped or not. */
  readonly sent: number;
  readonly delivered: number;
  readonly dropped: Readonly<Record<DropReason, number>>;
  /** Written to a socket and not arrived yet. */
  readonly inFlight: number;
}
