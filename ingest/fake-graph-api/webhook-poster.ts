import { setTimeout as sleep } from 'node:timers/promises';
import { signBody } from './webhook-payloads.js';

export interface WebhookDelivery {
  at: number;
  url: string;
  body: unknown;
  /** The raw text that was signed and sent. */
  rawBody: string;
  signature: string;
  /** HTTP status of the last attempt, or null when the receiver could not be reached. */
  status: number | null;
  attempts: number;
}

/**
 * Posts signed webhooks like Meta does: JSON body, X-Hub-Signature-256 over the exact
 * bytes sent, retried when the receiver does not answer 200 (Meta retries for days; the
 * fake retries a few times with short pauses so tests stay fast).
 */
export class WebhookPoster {
  readonly deliveries: WebhookDelivery[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly appSecret: string,
    private webhookUrl: string | undefined,
    private readonly retryDelaysMs: readonly number[] = [100, 500, 2000],
  ) {}

  setUrl(url: string | undefined) {
    this.webhookUrl = url;
  }

  get url() {
    return this.webhookUrl;
  }

  /** Posts and resolves with the delivery record; never rejects. */
  post(body: unknown): Promise<WebhookDelivery | null> {
    const promise = this.deliver(body);
    this.track(promise);
    return promise;
  }

  /** Keeps a background job (a status sequence) in the set that idle() waits for. */
  track(promise: Promise<unknown>) {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }

  /**
   * Gives up every post in flight and every retry: a stopping fake must not keep its owner
   * waiting on a receiver that has already closed (each attempt may wait 10 s for an answer).
   */
  abort() {
    this.stopping.abort();
  }

  /** Resolves when every webhook started so far (and the ones they start) has been posted. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async deliver(body: unknown): Promise<WebhookDelivery | null> {
    const url = this.webhookUrl;
    if (!url) return null;
    const rawBody = JSON.stringify(body);
    const signature = signBody(this.appSecret, rawBody);
    const delivery: WebhookDelivery = {
      at: Date.now(),
      url,
      body,
      rawBody,
      signature,
      status: null,
      attempts: 0,
    };
    this.deliveries.push(delivery);
    for (let attempt = 0; ; attempt++) {
      delivery.attempts = attempt + 1;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
          body: rawBody,
          signal: AbortSignal.any([AbortSignal.timeout(10_000), this.stopping.signal]),
        });
        delivery.status = response.status;
        await response.arrayBuffer().catch(() => undefined);
        if (response.status === 200) return delivery;
      } catch {
        delivery.status = null;
      }
      const delay = this.retryDelaysMs[attempt];
      if (delay === undefined || this.stopping.signal.aborted) return delivery;
      await sleep(delay, undefined, { signal: this.stopping.signal }).catch(() => undefined);
    }
  }
}
