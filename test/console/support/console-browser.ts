/**
 * Debian's Chromium driven by playwright-core, for the console's browser tests and benchmark. Every page
 * records what it asked of other hosts and what the browser complained about (a CSP violation is a console
 * error), so a test can assert there was none.
 */
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: the tests run as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] });
}

export interface ConsolePage {
  page: Page;
  /** Requests to anything but the panel's origin. */
  foreignRequests: string[];
  /** Console errors and uncaught exceptions of the page. */
  problems: string[];
  close: () => Promise<void>;
}

export async function openConsole(
  browser: Browser,
  baseUrl: string,
  viewport = { width: 1280, height: 800 },
): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport, colorScheme: 'light' });
  const page = await context.newPage();
  const foreignRequests: string[] = [];
  const problems: string[] = [];
  const origin = new URL(baseUrl).origin;
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:'))
      foreignRequests.push(url);
  });
  page.on('console', (message) => {
    // A refused API call (401 on a bad login, 400 on a bad override) is logged by the browser; it is expected.
    if (message.type() === 'error' && !/status of (400|401|403|409)/.test(message.text())) {
      problems.push(message.text());
    }
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(baseUrl + '/');
  return { page, foreignRequests, problems, close: () => context.close() };
}

export async function logIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor();
}

/**
 * One Chromium for a test file and a console page per test: `open` gives the page, and after the test it is
 * closed once checked (nothing asked of other hosts, no browser error).
 */
export function useConsolePages(): {
  open: (baseUrl: string, viewport?: { width: number; height: number }) => Promise<ConsolePage>;
} {
  let browser: Browser | undefined;
  let current: ConsolePage | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    const checked = current;
    current = undefined;
    await closeChecked(checked);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    open: async (baseUrl, viewport) => {
      if (!browser) throw new Error('the browser did not start');
      current = await openConsole(browser, baseUrl, viewport);
      return current;
    },
  };
}

/** Closes a test's page after checking it asked nothing of other hosts and the browser raised no error. */
export async function closeChecked(consolePage: ConsolePage | undefined): Promise<void> {
  if (!consolePage) return;
  expect(consolePage.foreignRequests).toEqual([]);
  expect(consolePage.problems).toEqual([]);
  await consolePage.close();
}
