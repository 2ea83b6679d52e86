import { beforeEach, describe, expect, it } from 'vitest';
import { receiveInboundSms, smsKeywordOf } from '../../../../lambdas/domain/notifications/sms-opt-out.ts';
import { aCustomer, aTenant } from '../../../fixtures/unit-records.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';

const now = '2025-03-12T15:30:00.000Z';

describe('SMS opt-out', () => {
  describe('smsKeywordOf', () => {
    it.each(['STOP', 'stop', ' Stop. ', 'STOPALL', 'unsubscribe', 'Cancel', 'END', 'quit!'])(
      'when the text is %j, it opts out',
      (body) => {
        // Arrange

        // Act
        const keyword = smsKeywordOf(body);

        // Assert
        expect(keyword).toBe('opt_out');
      },
    );

    it.each(['START', 'start', 'Unstop'])('when the text is %j, it opts back in', (body) => {
      // Arrange

      // Act
      const keyword = smsKeywordOf(body);

      // Assert
      expect(keyword).toBe('opt_in');
    });

    it.each(['Please stop by at 9', 'Thanks!', 'STOP IT', 'HELP', ''])(
      'when the text is %j, it asks for nothing',
      (body) => {
        // Arrange

        // Act
        const keyword = smsKeywordOf(body);

        // Assert
        expect(keyword).toBeUndefined();
      },
    );
  });

  describe('receiveInboundSms', () => {
    let directory: InMemoryDirectory;
    let clock: SettableClock;

    beforeEach(() => {
      directory = new InMemoryDirectory().addTenant(aTenant()).addCustomer(aCustomer());
      clock = new SettableClock(now);
    });

    it('when the customer texts STOP from any written form of their phone, they are opted out of SMS from now', async () => {
      // Arrange

      // Act
      const outcome = await receiveInboundSms(
        { directory, clock },
        { tenantId: 'ten_acme', from: '(617) 555-0101', body: 'STOP' },
      );

      // Assert
      expect(outcome).toEqual({ keyword: 'opt_out', customerIds: ['cus_existing'] });
      expect((await directory.getCustomer('ten_acme', 'cus_existing'))?.optedOut).toEqual({ sms: now });
    });

    it('when they text STOP again later, the time of the first is kept', async () => {
      // Arrange
      await receiveInboundSms(
        { directory, clock },
        { tenantId: 'ten_acme', from: '+16175550101', body: 'STOP' },
      );
      clock.advance(3_600_000);

      // Act
      const outcome = await receiveInboundSms(
        { directory, clock },
        { tenantId: 'ten_acme', from: '+16175550101', body: 'stop' },
      );

      // Assert
      expect(outcome.customerIds).toEqual([]);
      expect((await directory.getCustomer('ten_acme', 'cus_existing'))?.optedOut).toEqual({ sms: now });
    });

    it('when an opted-out customer texts START, texts are allowed again and an email opt-out is kept', async () => {
      // Arrange
      directory.addCustomer(aCustomer({ optedOut: { sms: now, email: now } }));

      // Act
      const outcome = await receiveInboundSms(
        { directory, clock },
        { tenantId: 'ten_acme', from: '+16175550101', body: 'START' },
      );

      // Assert
      expect(outcome).toEqual({ keyword: 'opt_in', customerIds: ['cus_existing'] });
      expect((await directory.getCustomer('ten_acme', 'cus_existing'))?.optedOut).toEqual({ email: now });
    });

    it('when the phone belongs to no customer of the tenant, nothing changes', async () => {
      // Arrange

      // Act
      const outcome = await receiveInboundSms(
        { directory, clock },
        { tenantId: 'ten_acme', from: '+16175550199', body: 'STOP' },
      );

      // Assert
      expect(outcome).toEqual({ keyword: 'opt_out', customerIds: [] });
      expect((await directory.getCustomer('ten_acme', 'cus_existing'))?.optedOut).toBeUndefined();
    });

    it('when the text is not a keyword, nobody is changed', async () => {
      // Arrange

      // Act
      const outcome = await receiveInboundSms(
        { directory, clock },
        { tenantId: 'ten_acme', from: '+16175550101', body: 'See you tomorrow' },
      );

      // Assert
      expect(outcome).toEqual({ customerIds: [] });
      expect((await directory.getCustomer('ten_acme', 'cus_existing'))?.optedOut).toBeUndefined();
    });
  });
});
