import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestPanel, startPanel } from './support/panel';

/** The typed client is generated from packages/client/openapi.json, so that file must be what the panel serves. */
describe('OpenAPI document of the typed client', () => {
  let panel: TestPanel;

  beforeAll(async () => {
    panel = await startPanel();
  });

  afterAll(async () => {
    await panel.close();
  });

  it('is the document the panel serves (run `npm run openapi` after changing the API)', async () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', 'packages/client/openapi.json'), 'utf8'));
    const served = await panel.http().get('/docs-json').expect(200);
    expect(served.body).toEqual(committed);
  });
});
