import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

import { test, expect, type Page } from '@playwright/test';

import { hydrated, home } from './support';

// A third installation, which this story starts, stops and starts again
// itself (keeping its database), to see an open page live through a restart.
const port = Number(process.env.PORCHLIGHT_E2E_PORT ?? 3100) + 2;
const base = `http://127.0.0.1:${port}`;
test.use({ baseURL: base });

function serve(keepData: boolean): ChildProcess {
  const args = ['end2end/serve.sh', String(port), 'mailbox', ...(keepData ? ['keep'] : [])];
  return spawn('bash', args, { cwd: path.join(__dirname, '..', '..'), stdio: 'ignore' });
}

async function isUp(): Promise<boolean> {
  try {
    return (await fetch(`${base}/healthz`)).ok;
  } catch {
    return false;
  }
}

/** SIGTERM, as a service manager stops a server; how many ms it took to
 * exit (10 s at most: then it is still running). */
async function stop(server: ChildProcess): Promise<number> {
  const started = Date.now();
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  server.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  return Date.now() - started;
}

/** Adds a client through the API, not through the open page, which must
 * learn of it live. */
async function addClientOverApi(page: Page, first: string, last: string) {
  const created = await page.request.post('/api/create_client', {
    headers: { accept: 'application/json' },
    form: { first_name: first, last_name: last, email: `${first.toLowerCase()}@harbour.test`, role: "client", request_key: `harbour-${first}` },
  });
  expect(created.ok()).toBeTruthy();
}

test('an open client list comes back by itself after the server restarts', async ({ page }) => {
  let server = serve(false);
  try {
    await expect.poll(isUp, { timeout: 30_000 }).toBe(true);
    await page.goto('/setup');
    await hydrated(page);
    await page.getByLabel('Organization name').fill('Harbour Rowing Club');
    await page.getByLabel('Portal address').fill('harbour-rowing');
    await page.getByLabel('Your name').fill('Hal Harbour');
    await page.getByLabel('Email', { exact: true }).fill('hal@harbour.test');
    await page.getByLabel('Password').fill('oars in the water');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await expect(page).toHaveURL(home);
    await hydrated(page);
    await page.goto('/clients');
    await hydrated(page);

    await addClientOverApi(page, 'Nora', 'North');
    await expect(page.getByRole('row', { name: /Nora North/ })).toContainText('Invitation sent just now');
    // Gone if the page were reloaded.
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

    // Stopping does not wait for the open page's event stream to end.
    expect(await stop(server), 'ms the server took to stop').toBeLessThan(5_000);
    server = serve(true);
    await expect.poll(isUp, { timeout: 30_000 }).toBe(true);

    // A change after the restart reaches the page that stayed open.
    await addClientOverApi(page, 'Omar', 'Ocean');
    await expect(page.getByRole('row', { name: /Omar Ocean/ })).toContainText('Invitation sent just now', {
      timeout: 20_000,
    });
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);

    // Behind a proxy, a restarting server is a 502, after which a browser
    // gives the stream up for good; the page opens a new one later.
    await page.route('**/events', (route) => route.fulfill({ status: 502, body: 'Bad Gateway' }));
    const refused = page.waitForResponse((r) => r.url().endsWith('/events') && r.status() === 502);
    expect(await stop(server), 'ms the server took to stop').toBeLessThan(5_000);
    await refused;
    server = serve(true);
    await expect.poll(isUp, { timeout: 30_000 }).toBe(true);
    await page.unroute('**/events');
    await addClientOverApi(page, 'Pia', 'Pier');
    await expect(page.getByRole('row', { name: /Pia Pier/ })).toContainText('Invitation sent just now', {
      timeout: 20_000,
    });
  } finally {
    server.kill('SIGKILL');
  }
});
