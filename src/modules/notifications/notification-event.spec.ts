import { reconcileEvent, renderBody, scanAlertEvent, testEvent } from './notification-event';

const AT = new Date('2026-03-01T12:00:00.000Z');
const PUBLIC_URL = 'https://wgfleet.example.com';
const NODE = { id: '0b7e1f0c-3c52-4d5e-9a53-7f5cf0a4f6a1', name: 'edge-1' };

describe('webhook events', () => {
  it('links a scan alert to its stored scan', () => {
    const event = scanAlertEvent(
      'drift.detected',
      { nodeId: NODE.id, nodeName: NODE.name, scanId: 'scan-1', summary: { missing: 1 }, at: AT },
      PUBLIC_URL,
    );
    expect(event).toEqual({
      type: 'drift.detected',
      timestamp: '2026-03-01T12:00:00.000Z',
      data: {
        node_id: NODE.id,
        node_name: 'edge-1',
        summary: { missing: 1 },
        scan_id: 'scan-1',
        url: 'https://wgfleet.example.com/api/drift/scans/scan-1',
        actor: { kind: 'system', id: 'drift-scanner', name: 'drift-scanner', via: 'api', request_id: null },
      },
    });
  });

  it('links a reconcile outcome to its job, typed by success, naming who asked for it', () => {
    const actor = { kind: 'token' as const, id: 't-1', name: 'ci', via: 'cli' as const, request_id: 'r-1' };
    const outcome = { node: NODE, jobId: 'job-1', actor, summary: { added: 2 }, at: AT };
    expect(reconcileEvent({ ...outcome, succeeded: true }, PUBLIC_URL)).toMatchObject({
      type: 'reconcile.succeeded',
      data: { job_id: 'job-1', url: 'https://wgfleet.example.com/api/reconcile/jobs/job-1', actor },
    });
    expect(reconcileEvent({ ...outcome, succeeded: false }, PUBLIC_URL).type).toBe('reconcile.failed');
  });

  it('renders the JSON format as the event itself', () => {
    const event = testEvent('sub-1', PUBLIC_URL, AT);
    expect(JSON.parse(renderBody(event, 'json'))).toEqual(event);
  });

  it('renders the Slack format as a Slack message, the test event as plain text', () => {
    const alert = scanAlertEvent(
      'drift.resolved',
      { nodeId: NODE.id, nodeName: NODE.name, scanId: 'scan-2', summary: {}, at: AT },
      PUBLIC_URL,
    );
    const slack = JSON.parse(renderBody(alert, 'slack'));
    expect(slack.text).toContain('Drift resolved on node edge-1');
    expect(slack.blocks).toEqual(expect.any(Array));
    expect(JSON.parse(renderBody(testEvent('sub-1', PUBLIC_URL, AT), 'slack'))).toEqual({
      text: 'Test event from wgfleet: this subscription is reachable.',
    });
  });
});
