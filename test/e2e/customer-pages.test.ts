import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/local/platform.ts';
import { aTenant } from '../fixtures/tenants.ts';
import { freeSlots } from '../helpers/crew.ts';
import {
  act,
  aNewJob,
  linkFor,
  type Office,
  type WorkOrderBody,
  workflowIn,
} from '../helpers/customer-pages.ts';
import { api, eventually, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

/** Where the screenshots of each page go (git-ignored): what a reviewer looks at. */
const screenshots = join(projectRoot, 'test-results', 'pages');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');

interface OutboxBody {
  items: { workOrderId?: string; channel: string; body: string }[];
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}
interface TimelineBody {
  items: { action: string; actorRole: string; changes: Record<string, { after?: unknown }> }[];
}

describe('customer pages in a browser (headless Chromium over the local platform)', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let office: Office;
  /** What the browser reported against the pages' security policy, and script errors. */
  const problems: string[] = [];

  beforeAll(async () => {
    // Debian's Chromium, never a downloaded one.
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await mkdir(screenshots, { recursive: true });
    const tenant = await aTenant(entities);
    const [dispatcher, technician] = await Promise.all([
      tokenFor('dispatcher', tenant.tenantId),
      tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId }),
    ]);
    office = { tenant, dispatcher, technician, nextSlot: freeSlots() };
  });

  afterAll(async () => {
    await browser?.close();
  });

  const status = async (id: string) =>
    (await api<WorkOrderBody>('GET', `/v1/work-orders/${id}`, { token: office.dispatcher })).body;

  /** The link to `path` in the newest message of the work order that has one. */
  const linkInOutbox = (id: string, path: string) =>
    eventually(async () => {
      const outbox = await api<OutboxBody>('GET', '/local/outbox', { token: office.dispatcher });
      const pattern = new RegExp(`(http://127\\.0\\.0\\.1:\\d+${path}[\\w.-]+)`);
      const found = outbox.body.items
        .filter((item) => item.workOrderId === id)
        .map((item) => pattern.exec(item.body)?.[1])
        .filter((link): link is string => link !== undefined);
      return found.at(-1);
    });

  /** Runs axe-core on the page shown: no serious or critical violation; keeps a screenshot of it. */
  async function checkPage(name: string) {
    // Evaluated through the browser's debugging protocol, not injected as a script tag: the page
    // keeps its own security policy (which refuses any script without the response's nonce).
    await page.evaluate(axeSource);
    const violations = (await page.evaluate(
      'axe.run(document).then((result) => result.violations)',
    )) as AxeViolation[];
    await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
    const serious = violations.filter((violation) =>
      ['serious', 'critical'].includes(violation.impact ?? ''),
    );
    expect(
      serious.map(
        (violation) =>
          `${violation.id}: ${violation.help} (${JSON.stringify(violation.nodes.map((node) => node.target))})`,
      ),
      `accessibility of ${name}`,
    ).toEqual([]);
  }

  it('when the customer follows their links from booking to payment, each page works and the work order follows every step', async () => {
    // Arrange: a visit booked by the office; its confirmation carries the appointment link.
    const { id } = await aNewJob(office);
    const booked = await act(office.dispatcher, id, 'schedule', {
      start: office.nextSlot(),
      technicianId: office.tenant.technicianId,
    });
    expect(booked.status).toBe(200);
    await workflowIn(office.dispatcher, id, 'AwaitDispatch');
    const appointmentLink = await linkInOutbox(id, '/pages/appointment/');

    // Act & Assert: the appointment page.
    await page.goto(appointmentLink);
    await expect(page.locator('h1').textContent()).resolves.toBe('Your appointment');
    await expect(page.locator('.status').textContent()).resolves.toBe('Booked');
    await checkPage('appointment');

    // Access notes, saved through the form (303 back to the page).
    await page.getByLabel('Notes for the technician').fill('Side gate, code 2468. The dog is friendly.');
    await page.getByRole('button', { name: 'Save notes' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('your notes are saved');
    expect((await status(id)).accessNotes).toContain('Side gate, code 2468');
    await checkPage('appointment-notes-saved');

    // Another time, from the real open slots.
    await page.getByRole('link', { name: 'Choose another time' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Choose another time');
    await checkPage('reschedule');
    const chosen = page.locator('input[name="slot"]').nth(1);
    const [start] = ((await chosen.getAttribute('value')) ?? '').split('~');
    await chosen.check();
    await page.getByRole('button', { name: 'Move my appointment' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('moved to the new time');
    const moved = await workflowIn(office.dispatcher, id, 'AwaitDispatch');
    expect(moved.status).toBe('scheduled');
    expect(Date.parse(moved.schedule?.start ?? '')).toBe(Date.parse(start ?? ''));

    // The cancel page asks first (and the customer keeps the appointment).
    await page.getByRole('link', { name: 'Cancel the appointment' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Cancel your appointment');
    await checkPage('cancel');
    await page.getByRole('link', { name: 'Keep my appointment' }).click();

    // The technician sets out: the page shows them on the way.
    expect((await act(office.dispatcher, id, 'dispatch')).status).toBe(200);
    const eta = new Date(Date.now() + 45 * 60_000).toISOString();
    expect((await act(office.technician, id, 'field-status', { status: 'en_route', eta })).status).toBe(200);
    await page.reload();
    await expect(page.locator('.status').textContent()).resolves.toBe('On the way');
    expect((await status(id)).status).toBe('en_route');
    await checkPage('appointment-en-route');

    // On site, the work recorded; the technician hands over the sign-off link.
    for (const [verb, body] of [
      ['field-status', { status: 'arrived' }],
      ['field-status', { status: 'in_progress' }],
      ['notes', { text: 'Replaced the run capacitor; cooling restored' }],
      ['labor', { minutes: 75 }],
    ] as const) {
      expect((await act(office.technician, id, verb, body)).status).toBeLessThan(300);
    }
    const { url: signLink } = await linkFor(office.technician, `/v1/work-orders/${id}/links`, {
      purpose: 'sign',
    });
    await page.goto(signLink);
    await expect(page.locator('h1').textContent()).resolves.toBe('Review and sign');
    await checkPage('sign-off');

    // A signature drawn with the mouse, the name typed, the work confirmed.
    await page.getByLabel('Your full name').fill('Pat Doe');
    const pad = page.locator('#signature-pad');
    await pad.scrollIntoViewIfNeeded();
    const box = await pad.boundingBox();
    if (!box) throw new Error('The signature pad is not shown');
    await page.mouse.move(box.x + 20, box.y + box.height * 0.7);
    await page.mouse.down();
    for (const [x, y] of [
      [0.2, 0.3],
      [0.35, 0.75],
      [0.5, 0.25],
      [0.65, 0.7],
      [0.8, 0.35],
    ] as const) {
      await page.mouse.move(box.x + box.width * x, box.y + box.height * y, { steps: 6 });
    }
    await page.mouse.up();
    const strokes = JSON.parse((await page.locator('#strokes').inputValue()) || '[]') as number[][][];
    expect(strokes).toHaveLength(1);
    expect(strokes[0]?.length).toBeGreaterThan(10);
    await page.screenshot({ path: join(screenshots, 'sign-off-drawn.png'), fullPage: true });
    await page.getByLabel('I confirm that the work described above was done.').check();
    await page.getByRole('button', { name: 'Sign and finish' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Thank you');
    await checkPage('sign-off-signed');
    expect((await status(id)).status).toBe('completed');
    const timeline = await api<TimelineBody>('GET', `/v1/work-orders/${id}/timeline?limit=100`, {
      token: office.dispatcher,
    });
    expect(timeline.body.items.find((event) => event.action === 'complete')).toMatchObject({
      actorRole: 'customer',
      changes: { signature: { after: { signerName: 'Pat Doe', strokeCount: 1 } } },
    });

    // The office approves the invoice; its message carries the invoice page.
    await workflowIn(office.dispatcher, id, 'AwaitApproval');
    expect((await act(office.dispatcher, id, 'invoice/approve')).status).toBe(200);
    await workflowIn(office.dispatcher, id, 'AwaitPayment');
    const invoiceLink = await linkInOutbox(id, '/pages/invoice/');
    await page.goto(invoiceLink);
    await expect(page.locator('h1').textContent()).resolves.toBe('Invoice from Test Heating & Air');
    await checkPage('invoice');
    expect((await status(id)).status).toBe('invoiced');

    // Paying: the checkout made on the spot (the local pay page), then back to the invoice, paid.
    await page.getByRole('button', { name: /^Pay \$/ }).click();
    await page.waitForURL(/\/local\/pay\//);
    await page.screenshot({ path: join(screenshots, 'local-pay-page.png'), fullPage: true });
    await page.getByRole('button', { name: /^Pay \$/ }).click();
    await page.waitForURL(/\/pages\/invoice\/.*\?paid=1$/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Paid in full');
    await checkPage('invoice-paid');
    const closed = await workflowIn(office.dispatcher, id, 'Closed');
    expect(closed.status).toBe('paid');

    // Nothing the browser did was refused by the pages' security policy.
    expect(problems).toEqual([]);
  });

  it('when a link is tampered with, revoked or opened on another page, the browser shows a friendly page with nothing of the job', async () => {
    // Arrange
    const { id } = await aNewJob(office);
    const { url, linkId } = await linkFor(office.dispatcher, `/v1/work-orders/${id}/links`, {
      purpose: 'view',
    });
    const tampered = `${url.slice(0, -3)}${url.endsWith('AAA') ? 'BBB' : 'AAA'}`;

    // Act & Assert: tampered.
    const refused = await page.goto(tampered);
    expect(refused?.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('This link is not valid');
    await checkPage('refused-not-valid');
    expect(await page.content()).not.toMatch(/Test Heating|Pat|wo_/);

    // Another page's link.
    const other = await page.goto(url.replace('/pages/appointment/', '/pages/invoice/'));
    expect(other?.status()).toBe(404);

    // Revoked.
    await api('POST', `/v1/work-orders/${id}/links/revoke`, { token: office.dispatcher, body: { linkId } });
    const revoked = await page.goto(url);
    expect(revoked?.status()).toBe(410);
    await expect(page.locator('h1').textContent()).resolves.toBe('This link is no longer active');
    await checkPage('refused-revoked');
    expect(await page.content()).not.toMatch(/Test Heating|Pat|wo_/);
  });
});
