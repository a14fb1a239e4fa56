import { randomUUID } from 'node:crypto';
import type { QueueMessage } from '../../shared/email/queue';

type Consumer = (messages: QueueMessage[]) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

export interface LocalQueueSettings {
  batchSize: number;
  /** How long a received message stays hidden before it is delivered again. */
  visibilityMs: number;
  /** Receives before a message goes to the dead-letter queue (the redrive policy). */
  maxReceives: number;
}

interface Held {
  id: string;
  body: string;
  receives: number;
  visibleAt: number;
}

/**
 * The mail queue, locally: SQS's semantics as the mailer meets them, in
 * memory. Batches of visible messages go to one consumer at a time; a
 * message it reports back (or all of them, if it throws) comes back after
 * the visibility timeout with its receive count up; past `maxReceives` it
 * goes to the dead letters instead. Tests pause it to look at the queued
 * state, and send duplicates as SQS's at-least-once delivery may.
 */
export class LocalQueue {
  readonly deadLetters: { id: string; body: string }[] = [];
  private held: Held[] = [];
  private paused = false;
  private stopped = false;
  private consuming: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly settings: LocalQueueSettings,
    private readonly consume: Consumer,
  ) {}

  send(body: string): void {
    this.held.push({ id: randomUUID(), body, receives: 0, visibleAt: Date.now() });
    this.schedule(0);
  }

  /** Messages waiting or in flight. */
  get depth(): number {
    return this.held.length;
  }

  pause(): void {
    this.paused = true;
  }

  /** Drops every waiting message, as SQS's PurgeQueue (the bench starts its mailer run from an empty queue). */
  purge(): void {
    this.held = [];
  }

  resume(): void {
    this.paused = false;
    this.schedule(0);
  }

  /** Resolves once no message is waiting or in flight (at once while paused). */
  idle(): Promise<void> {
    if (this.paused || this.stopped || (this.held.length === 0 && !this.consuming)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops receiving, and waits for the batch in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.consuming;
    this.wake();
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.paused || this.consuming) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.receive(), Math.max(0, delayMs));
  }

  private wake(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  private receive(): void {
    if (this.stopped || this.paused || this.consuming) return;
    const now = Date.now();
    // SQS moves a message to the dead-letter queue when it would be received once too often.
    for (const message of this.held.filter((candidate) => candidate.receives >= this.settings.maxReceives)) {
      this.deadLetters.push({ id: message.id, body: message.body });
    }
    this.held = this.held.filter((message) => message.receives < this.settings.maxReceives);
    const batch = this.held.filter((message) => message.visibleAt <= now).slice(0, this.settings.batchSize);
    if (batch.length === 0) {
      const next = Math.min(...this.held.map((message) => message.visibleAt));
      if (Number.isFinite(next)) this.schedule(next - now);
      else this.wake();
      return;
    }
    for (const message of batch) {
      message.receives += 1;
      message.visibleAt = now + this.settings.visibilityMs;
    }
    this.consuming = this.deliver(batch).finally(() => {
      this.consuming = undefined;
      this.schedule(0);
    });
  }

  private async deliver(batch: Held[]): Promise<void> {
    let failed: Set<string>;
    try {
      const { batchItemFailures } = await this.consume(
        batch.map((message) => ({
          messageId: message.id,
          body: message.body,
          attributes: { ApproximateReceiveCount: String(message.receives) },
        })),
      );
      failed = new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
    } catch {
      // A failed invocation: the whole batch comes back.
      failed = new Set(batch.map((message) => message.id));
    }
    const done = new Set(batch.filter((message) => !failed.has(message.id)));
    this.held = this.held.filter((message) => !done.has(message));
  }
}
