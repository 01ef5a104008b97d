import { Inject, Injectable } from '@nestjs/common';
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { assertDeliverableUrl, UndeliverableUrlError } from './domain/address-guard';
import { AttemptResult, RESPONSE_EXCERPT_BYTES, responseExcerpt } from './delivery-outcome';

export const DELIVERY_TIMEOUT_MS = 10_000;

/** Posts one signed body to a subscriber; never throws: every failure is an AttemptResult to log. */
@Injectable()
export class WebhookSender {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(url: string, body: string, headers: Record<string, string>): Promise<AttemptResult> {
    const started = Date.now();
    const took = () => Date.now() - started;
    let target: Awaited<ReturnType<typeof assertDeliverableUrl>>;
    try {
      // Checked again at every attempt: DNS may have moved the host since the subscription was created.
      target = await assertDeliverableUrl(url, { allowPrivate: this.config.webhookAllowPrivate });
    } catch (error) {
      const message = error instanceof UndeliverableUrlError ? error.message : 'url could not be checked';
      return { durationMs: took(), responseExcerpt: null, error: message };
    }
    try {
      const answer = await post(target.url, target.addresses, body, headers);
      return { ...answer, durationMs: took(), error: null };
    } catch (error) {
      return { durationMs: took(), responseExcerpt: null, error: (error as Error).message };
    }
  }
}

interface Answer {
  statusCode: number;
  retryAfter: string | null;
  responseExcerpt: string | null;
}

function post(url: URL, addresses: string[], body: string, headers: Record<string, string>): Promise<Answer> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<Answer>((resolve, reject) => {
    const request = transport.request(url, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'wgfleet-webhooks/1',
      },
      lookup: pinnedLookup(addresses),
    });
    const deadline = setTimeout(
      () => request.destroy(new Error(`no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`)),
      DELIVERY_TIMEOUT_MS,
    );
    const settle = () => clearTimeout(deadline);
    request.on('error', (error) => {
      settle();
      reject(error);
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        settle();
        const retryAfter = response.headers['retry-after'];
        resolve({
          statusCode: response.statusCode ?? 0,
          retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
          responseExcerpt: responseExcerpt(Buffer.concat(chunks)),
        });
      };
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        // Enough for the log; the rest of a large answer is not worth waiting for.
        if (size >= RESPONSE_EXCERPT_BYTES) {
          finish();
          response.destroy();
        }
      });
      response.on('end', finish);
      response.on('error', finish);
    });
    request.end(body);
  });
}

/** Connects only to the addresses the URL guard approved, so a DNS answer cannot change after the check. */
function pinnedLookup(addresses: string[]): LookupFunction {
  const entries = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  return (_hostname, options, callback) => {
    if (options.all) callback(null, entries);
    else callback(null, entries[0].address, entries[0].family);
  };
}
