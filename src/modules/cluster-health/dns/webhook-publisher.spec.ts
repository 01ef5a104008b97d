import { Webhook } from 'standardwebhooks';
import { publishWebhook, PostSigned } from './webhook-publisher';

const secret = `whsec_${Buffer.alloc(24, 5).toString('base64')}`;
const body = { cluster_id: 'c1', host: 'vpn.example.test', addresses: ['192.0.2.1', '192.0.2.2'] };

describe('publishWebhook', () => {
  it('posts the address set signed so a Standard Webhooks receiver verifies it', async () => {
    const sent: Array<{ url: string; body: string; headers: Record<string, string> }> = [];
    const post: PostSigned = async (url, text, headers) => {
      sent.push({ url, body: text, headers });
      return { statusCode: 204, error: null };
    };
    await publishWebhook(post, { url: 'https://dns.example.test/hook', secret }, body);
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0].body)).toEqual(body);
    expect(new Webhook(secret).verify(sent[0].body, sent[0].headers)).toEqual(body);
    expect(JSON.stringify(sent[0])).not.toContain(secret);
  });

  it('fails on a non-2xx answer or a delivery error, without naming the secret', async () => {
    const refused: PostSigned = async () => ({ statusCode: 500, error: null });
    await expect(publishWebhook(refused, { url: 'https://x.test', secret }, body)).rejects.toThrow(
      'HTTP 500',
    );
    const down: PostSigned = async () => ({ error: 'connect ECONNREFUSED' });
    const error = await publishWebhook(down, { url: 'https://x.test', secret }, body).catch((e: Error) => e);
    expect(String(error)).toMatch(/not delivered: connect ECONNREFUSED/);
    expect(String(error)).not.toContain(secret);
  });

  it('never publishes an empty set', async () => {
    const post: PostSigned = jest.fn();
    await expect(
      publishWebhook(post, { url: 'https://x.test', secret }, { ...body, addresses: [] }),
    ).rejects.toThrow(/empty/);
    expect(post).not.toHaveBeenCalled();
  });
});
