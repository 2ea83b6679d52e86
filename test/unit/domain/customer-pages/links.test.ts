import { beforeEach, describe, expect, it } from 'vitest';
import type { LinkKeyring } from '../../../../lambdas/domain/customer-pages/link-tokens.ts';
import {
  issueInvoiceLink,
  issueWorkOrderLink,
  type LinkDependencies,
  LinkRefusedError,
  linkState,
  openLink,
  revokeInvoiceLinks,
  revokeWorkOrderLinks,
} from '../../../../lambdas/domain/customer-pages/links.ts';
import type { Invoice } from '../../../../lambdas/domain/invoicing/invoice.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../../lambdas/shared/errors.ts';
import { aDispatcher, anInvoice, aTechnicianUser, aWorkOrderAt } from '../../../fixtures/unit-records.ts';
import { InMemoryCustomerLinks } from '../../fakes/in-memory-customer-links.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const dayMs = 86_400_000;

describe('customer links', () => {
  let links: InMemoryCustomerLinks;
  let workOrders: InMemoryWorkOrderStore;
  let invoices: Invoice[];
  let clock: SettableClock;
  let keyring: LinkKeyring;
  let ids: SequentialIds;

  const dependencies = (): LinkDependencies => ({
    links,
    keys: async () => keyring,
    workOrders,
    findInvoice: async (tenantId, invoiceId) =>
      invoices.find((invoice) => invoice.tenantId === tenantId && invoice.invoiceId === invoiceId),
    clock,
    ids,
    pagesUrl: 'https://pages.example/',
  });

  /** The token at the end of a link's URL. */
  const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

  beforeEach(() => {
    links = new InMemoryCustomerLinks();
    workOrders = new InMemoryWorkOrderStore();
    invoices = [];
    clock = new SettableClock('2025-03-12T15:30:00.000Z');
    keyring = { current: { kid: 'k1', secret: 'k'.repeat(48) } };
    ids = new SequentialIds();
  });

  describe('issueWorkOrderLink', () => {
    it('when the office asks for an appointment link, it writes the link for 30 days with an audit event and answers its page URL', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));

      // Act
      const { link, url } = await issueWorkOrderLink(dependencies(), aDispatcher(), 'wo_existing', 'view');

      // Assert
      expect(url).toMatch(/^https:\/\/pages\.example\/pages\/appointment\/k1\.[\w-]+\.[\w-]+$/);
      expect(link).toMatchObject({
        tenantId: 'ten_acme',
        workOrderId: 'wo_existing',
        purpose: 'view',
        customerId: 'cus_existing',
        issuedBy: 'user-dispatcher-1',
        issuerRole: 'dispatcher',
        expiresAt: '2025-04-11T15:30:00.000Z',
      });
      expect(links.events).toEqual([
        expect.objectContaining({
          action: 'customer_link_issued',
          workOrderId: 'wo_existing',
          changes: { details: { after: expect.objectContaining({ linkId: link.linkId, purpose: 'view' }) } },
        }),
      ]);
    });

    it('when a sign-off link is asked for work not in progress, it refuses with 409 and writes nothing', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('dispatched'));

      // Act
      const error = await rejectionOf(
        issueWorkOrderLink(dependencies(), aDispatcher(), 'wo_existing', 'sign'),
      );

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect(links.links.size).toBe(0);
    });

    it('when the assigned technician asks for a sign-off link of work in progress, it is issued for 3 days', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));

      // Act
      const { link } = await issueWorkOrderLink(dependencies(), aTechnicianUser(), 'wo_existing', 'sign');

      // Assert
      expect(link).toMatchObject({
        purpose: 'sign',
        issuerRole: 'technician',
        expiresAt: '2025-03-15T15:30:00.000Z',
      });
    });

    it('when a technician asks for an appointment link, it is refused with 403', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));

      // Act
      const error = await rejectionOf(
        issueWorkOrderLink(dependencies(), aTechnicianUser(), 'wo_existing', 'view'),
      );

      // Assert
      expect(error).toBeInstanceOf(ForbiddenError);
    });

    it('when the work order is another tenant’s, it is not found', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled', { tenantId: 'ten_other' }));

      // Act
      const error = await rejectionOf(
        issueWorkOrderLink(dependencies(), aDispatcher(), 'wo_existing', 'view'),
      );

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
    });

    it('when the same seed asks again (a retried step), it answers the same link and writes it once', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));
      const first = await issueWorkOrderLink(dependencies(), aDispatcher(), 'wo_existing', 'view', {
        linkSeed: 'confirmation-wo_existing-1',
      });

      // Act
      const again = await issueWorkOrderLink(dependencies(), aDispatcher(), 'wo_existing', 'view', {
        linkSeed: 'confirmation-wo_existing-1',
      });

      // Assert
      expect(again.url).toBe(first.url);
      expect(again.link.linkId).toMatch(/^lnk_[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(links.links.size).toBe(1);
    });
  });

  describe('issueInvoiceLink', () => {
    it('when the invoice is sent, the link names the invoice and opens the invoice page for 60 days', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('invoiced'));
      invoices.push(anInvoice({ status: 'sent' }));

      // Act
      const { link, url } = await issueInvoiceLink(dependencies(), aDispatcher(), 'inv_existing');

      // Assert
      expect(url).toContain('/pages/invoice/k1.');
      expect(link).toMatchObject({
        purpose: 'pay',
        invoiceId: 'inv_existing',
        expiresAt: '2025-05-11T15:30:00.000Z',
      });
    });

    it('when the invoice is still a draft, it refuses with 409', async () => {
      // Arrange
      invoices.push(anInvoice({ status: 'draft' }));

      // Act
      const error = await rejectionOf(issueInvoiceLink(dependencies(), aDispatcher(), 'inv_existing'));

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
    });
  });

  describe('openLink', () => {
    it('when a link is opened for its own page, it answers a customer acting on its work order only', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));
      const { url, link } = await issueWorkOrderLink(dependencies(), aDispatcher(), 'wo_existing', 'view');

      // Act
      const opened = await openLink(dependencies(), tokenOf(url), 'view');

      // Assert
      expect(opened.actor).toEqual({
        tenantId: 'ten_acme',
        id: link.linkId,
        role: 'customer',
        workOrderId: 'wo_existing',
      });
      expect(opened.claims).toMatchObject({ purpose: 'view', workOrderId: 'wo_existing' });
    });

    it('when an appointment link is opened on the sign-off page, it is refused as for another page (404)', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));
      const { url } = await issueWorkOrderLink(dependencies(), aDispatcher(), 'wo_existing', 'view');

      // Act
      const error = await rejectionOf(openLink(dependencies(), tokenOf(url), 'sign'));

      // Assert
      expect(error).toBeInstanceOf(LinkRefusedError);
      expect(error).toMatchObject({ reason: 'wrongPurpose', status: 404 });
    });

    it('when the link has expired, it is refused as expired (410)', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));
      const { url } = await issueWorkOrderLink(dependencies(), aDispatcher(), 'wo_existing', 'sign');
      clock.advance(3 * dayMs);

      // Act
      const error = await rejectionOf(openLink(dependencies(), tokenOf(url), 'sign'));

      // Assert
      expect(error).toMatchObject({ reason: 'expired', status: 410 });
    });

    it('when the link was revoked, it is refused as revoked (410)', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));
      const { url, link } = await issueWorkOrderLink(dependencies(), aDispatcher(), 'wo_existing', 'view');
      await revokeWorkOrderLinks(dependencies(), aDispatcher(), 'wo_existing', link.linkId);

      // Act
      const error = await rejectionOf(openLink(dependencies(), tokenOf(url), 'view'));

      // Assert
      expect(error).toMatchObject({ reason: 'revoked', status: 410 });
    });

    it('when the signature is right but no such link was ever written, it is refused as not valid', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));
      const { url, link } = await issueWorkOrderLink(dependencies(), aDispatcher(), 'wo_existing', 'view');
      links.links.delete(`ten_acme/wo_existing/${link.linkId}`);

      // Act
      const error = await rejectionOf(openLink(dependencies(), tokenOf(url), 'view'));

      // Assert
      expect(error).toMatchObject({ reason: 'notValid', status: 404 });
    });

    it('when the keys were rotated since the link was sent, it still opens', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));
      const { url } = await issueWorkOrderLink(dependencies(), aDispatcher(), 'wo_existing', 'view');
      keyring = { current: { kid: 'k2', secret: 'n'.repeat(48) }, previous: keyring.current };

      // Act
      const opened = await openLink(dependencies(), tokenOf(url), 'view');

      // Assert
      expect(opened.claims.workOrderId).toBe('wo_existing');
    });
  });

  describe('revoking', () => {
    it('when the office revokes a work order’s links, every open one of it and its invoice is revoked with one audit event', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('invoiced'));
      invoices.push(anInvoice({ status: 'sent' }));
      await issueWorkOrderLink(dependencies(), aDispatcher(), 'wo_existing', 'view');
      await issueInvoiceLink(dependencies(), aDispatcher(), 'inv_existing');

      // Act
      const after = await revokeWorkOrderLinks(dependencies(), aDispatcher(), 'wo_existing');

      // Assert
      expect(after.map((link) => linkState(link, clock.now()))).toEqual(['revoked', 'revoked']);
      expect(links.events.filter((event) => event.action === 'customer_links_revoked')).toHaveLength(1);
    });

    it('when links are revoked again, nothing more is written', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));
      await issueWorkOrderLink(dependencies(), aDispatcher(), 'wo_existing', 'view');
      await revokeWorkOrderLinks(dependencies(), aDispatcher(), 'wo_existing');

      // Act
      await revokeWorkOrderLinks(dependencies(), aDispatcher(), 'wo_existing');

      // Assert
      expect(links.events.filter((event) => event.action === 'customer_links_revoked')).toHaveLength(1);
    });

    it('when an invoice’s links are revoked, the work order’s appointment link stays open', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('invoiced'));
      invoices.push(anInvoice({ status: 'sent' }));
      const appointment = await issueWorkOrderLink(dependencies(), aDispatcher(), 'wo_existing', 'view');
      await issueInvoiceLink(dependencies(), aDispatcher(), 'inv_existing');

      // Act
      const revoked = await revokeInvoiceLinks(dependencies(), aDispatcher(), 'inv_existing');

      // Assert
      expect(revoked.map((link) => link.purpose)).toEqual(['pay']);
      expect(
        (await openLink(dependencies(), tokenOf(appointment.url), 'view')).link.revokedAt,
      ).toBeUndefined();
    });

    it('when an unknown link id is named, it is not found', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));

      // Act
      const error = await rejectionOf(
        revokeWorkOrderLinks(dependencies(), aDispatcher(), 'wo_existing', 'lnk_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3'),
      );

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
    });
  });
});
