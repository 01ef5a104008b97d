import { toSlackMessage, type WebhookEvent } from './payload-format';

const driftEvent: WebhookEvent = {
  type: 'drift.detected',
  timestamp: '2025-03-01T12:00:00.000Z',
  data: {
    node_id: 'node-1',
    node_name: 'eu-west',
    summary: { expected: 2, actual: 2, missing: 1, mismatched: 1, unknown: 1 },
    scan_id: 'scan-42',
    url: 'https://panel.example.com/api/drift/scans/scan-42',
    actor: { kind: 'system', id: 'drift-scanner', name: 'drift-scanner', via: 'api', request_id: null },
  },
};

describe('toSlackMessage', () => {
  it('summarises node, event type, counts (labelled like drift everywhere) and link', () => {
    expect(toSlackMessage(driftEvent)).toEqual({
      text:
        'Drift detected on node eu-west — expected (panel) 2, actual (node) 2, missing 1, mismatched 1, unknown 1 — ' +
        'https://panel.example.com/api/drift/scans/scan-42',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':warning: Drift detected on node *eu-west*' } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*expected (panel)*\n2' },
            { type: 'mrkdwn', text: '*actual (node)*\n2' },
            { type: 'mrkdwn', text: '*missing*\n1' },
            { type: 'mrkdwn', text: '*mismatched*\n1' },
            { type: 'mrkdwn', text: '*unknown*\n1' },
          ],
        },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text:
                'drift.detected · 2025-03-01T12:00:00.000Z · ' +
                '<https://panel.example.com/api/drift/scans/scan-42|Open in wgfleet>',
            },
          ],
        },
      ],
    });
  });

  it('has a headline for every event type', () => {
    const types = [
      'drift.detected',
      'drift.changed',
      'drift.resolved',
      'node.unreachable',
      'node.recovered',
      'reconcile.succeeded',
      'reconcile.failed',
    ] as const;
    const headlines = types.map((type) => toSlackMessage({ ...driftEvent, type }).blocks[0]);

    expect(new Set(headlines.map((block) => JSON.stringify(block))).size).toBe(types.length);
    expect(toSlackMessage({ ...driftEvent, type: 'node.unreachable' }).text).toMatch(
      /^Node unreachable: eu-west/,
    );
  });

  it('escapes Slack control characters from names and values', () => {
    const message = toSlackMessage({
      ...driftEvent,
      data: { ...driftEvent.data, node_name: '<!channel> & co', summary: { error: 'refused <tls>' } },
    });
    const rendered = JSON.stringify(message.blocks);

    expect(rendered).toContain('*&lt;!channel&gt; &amp; co*');
    expect(rendered).toContain('refused &lt;tls&gt;');
    expect(rendered).not.toContain('<!channel>');
  });

  it('leaves out the fields block when there is no summary and caps fields at ten', () => {
    const empty = toSlackMessage({ ...driftEvent, data: { ...driftEvent.data, summary: {} } });
    expect(empty.blocks.map((block) => block.type)).toEqual(['section', 'context']);
    expect(empty.text).toBe(
      'Drift detected on node eu-west — https://panel.example.com/api/drift/scans/scan-42',
    );

    const wide = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, i]));
    const block = toSlackMessage({ ...driftEvent, data: { ...driftEvent.data, summary: wide } }).blocks[1];
    expect('fields' in block && block.fields).toHaveLength(10);
  });
});
