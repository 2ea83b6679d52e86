import { beforeEach, describe, expect, it } from 'vitest';
import { StraightLineTravel } from '../../../../lambdas/adapters/travel/straight-line-travel.ts';
import type { WorkOrder } from '../../../../lambdas/domain/work-orders/work-order.ts';
import { runWorkflowStep } from '../../../../lambdas/domain/work-orders/workflow-steps.ts';
import type { WorkflowStep } from '../../../../lambdas/schemas/workflow-tasks.ts';
import { aPartUsage } from '../../../fixtures/part-records.ts';
import {
  aCustomer,
  aLaborEntry,
  aLocation,
  aNote,
  anEquipment,
  anInvoice,
  aPhoto,
  aServiceType,
  aTechnician,
  aTenant,
  aWorkOrder,
  aWorkOrderAt,
} from '../../../fixtures/unit-records.ts';
import { InMemoryAgreementCoverage } from '../../fakes/in-memory-agreement-coverage.ts';
import { InMemoryBlobStore } from '../../fakes/in-memory-blob-store.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryLocationHistory } from '../../fakes/in-memory-location-history.ts';
import { InMemoryNotificationLog } from '../../fakes/in-memory-notification-log.ts';
import { InMemoryPhotoStore } from '../../fakes/in-memory-photo-store.ts';
import { InMemoryPricingSources } from '../../fakes/in-memory-pricing-sources.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { RecordingEventPublisher } from '../../fakes/recording-event-publisher.ts';
import { RecordingNotifier } from '../../fakes/recording-notifier.ts';
import { RecordingPayments } from '../../fakes/recording-payments.ts';
import { RecordingScheduler } from '../../fakes/recording-scheduler.ts';
import { RecordingWorkflow } from '../../fakes/recording-workflow.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const now = '2025-03-14T15:05:00.000Z';

describe('runWorkflowStep', () => {
  let directory: InMemoryDirectory;
  let workOrders: InMemoryWorkOrderStore;
  let workflow: RecordingWorkflow;
  let events: RecordingEventPublisher;
  let notifier: RecordingNotifier;
  let clock: SettableClock;
  let photos: InMemoryPhotoStore;
  let blobs: InMemoryBlobStore;
  let payments: RecordingPayments;
  let pricing: InMemoryPricingSources;
  let agreements: InMemoryAgreementCoverage;
  let scheduler: RecordingScheduler;
  let dependencies: Parameters<typeof runWorkflowStep>[0];

  const run = (step: WorkflowStep, workOrderId = 'wo_existing') =>
    runWorkflowStep(dependencies, step, 'ten_acme', workOrderId);
  const stored = () => workOrders.get('ten_acme', 'wo_existing');
  const trail = () => workOrders.eventsOf('ten_acme', 'wo_existing');

  beforeEach(() => {
    directory = new InMemoryDirectory()
      .addTenant(aTenant())
      .addCustomer(aCustomer())
      .addLocation(aLocation())
      .addServiceType('ten_acme', aServiceType())
      .addTechnician('ten_acme', aTechnician());
    workOrders = new InMemoryWorkOrderStore(directory);
    workflow = new RecordingWorkflow();
    events = new RecordingEventPublisher();
    notifier = new RecordingNotifier();
    clock = new SettableClock(now);
    photos = new InMemoryPhotoStore();
    blobs = new InMemoryBlobStore();
    payments = new RecordingPayments();
    pricing = new InMemoryPricingSources(directory);
    agreements = new InMemoryAgreementCoverage();
    scheduler = new RecordingScheduler();
    dependencies = {
      workOrders,
      directory,
      locationHistory: new InMemoryLocationHistory(workOrders),
      photos,
      workflow,
      events,
      notifier,
      clock,
      ids: new SequentialIds(),
      reportFailure: () => {},
      jobDurations: workOrders.jobDurations,
      travelTimes: (settings) => new StraightLineTravel(settings.averageSpeedKmh),
      blobs,
      payments,
      pricing,
      agreements,
      scheduler,
      notifications: new InMemoryNotificationLog(workOrders),
      pause: async () => {},
    };
  });

  describe('EnrichWorkOrder', () => {
    it('when the work order has no estimate, it copies the duration and skills of the service type', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new', version: 1 }));

      // Act
      const result = await run('EnrichWorkOrder');

      // Assert
      expect(result).toEqual({
        enriched: true,
        estimatedMinutes: 90,
        durationBasis: 'service type',
        durationSamples: 0,
      });
      expect(await stored()).toMatchObject({
        estimatedMinutes: 90,
        durationBasis: 'service type',
        requiredSkills: ['hvac'],
        version: 2,
      });
      expect(trail()).toEqual([
        expect.objectContaining({
          action: 'enriched',
          actorId: 'workflow',
          actorRole: 'system',
          changes: {
            estimatedMinutes: { before: undefined, after: 90 },
            durationBasis: { before: undefined, after: 'service type' },
          },
        }),
      ]);
    });

    it('when the tenant has done five jobs of the type, it estimates from their median instead', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new' }));
      [50, 62, 70, 95, 240].forEach((minutes, index) => {
        workOrders.jobDurations.put({
          tenantId: 'ten_acme',
          serviceTypeId: 'svc_ac_repair',
          workOrderId: `wo_past_${index}`,
          completedAt: `2025-03-0${index + 1}T16:00:00.000Z`,
          minutes,
        });
      });

      // Act
      const result = await run('EnrichWorkOrder');

      // Assert
      expect(result).toMatchObject({ estimatedMinutes: 75, durationBasis: 'past jobs', durationSamples: 5 });
      expect(await stored()).toMatchObject({ estimatedMinutes: 75, durationBasis: 'past jobs' });
    });

    it("when only another tenant's or another type's jobs are known, it keeps the catalogue's duration", async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new' }));
      const elsewhere = [
        { tenantId: 'ten_other', serviceTypeId: 'svc_ac_repair' },
        { tenantId: 'ten_acme', serviceTypeId: 'svc_drain_cleaning' },
      ];
      for (const owner of elsewhere) {
        for (let job = 1; job <= 5; job += 1) {
          workOrders.jobDurations.put({
            ...owner,
            workOrderId: `wo_${owner.tenantId}_${owner.serviceTypeId}_${job}`,
            completedAt: `2025-03-0${job}T16:00:00.000Z`,
            minutes: 30,
          });
        }
      }

      // Act
      const result = await run('EnrichWorkOrder');

      // Assert
      expect(result).toMatchObject({
        estimatedMinutes: 90,
        durationBasis: 'service type',
        durationSamples: 0,
      });
    });

    it('when run again, it changes nothing more', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new' }));
      await run('EnrichWorkOrder');

      // Act
      const result = await run('EnrichWorkOrder');

      // Assert
      expect(result).toEqual({ enriched: false });
      expect((await stored())?.version).toBe(2);
      expect(trail()).toHaveLength(1);
    });

    it('when the work order has no service type, it leaves it as it is', async () => {
      // Arrange
      const workOrder = aWorkOrder({ status: 'new', serviceTypeId: undefined });
      workOrders.put(workOrder);

      // Act
      const result = await run('EnrichWorkOrder');

      // Assert
      expect(result).toEqual({ enriched: false });
      expect(await stored()).toEqual(workOrder);
    });
  });

  describe('SendConfirmation', () => {
    it('when the customer has a phone and an email and no preference, it texts and emails them the day and arrival window in the tenant’s time', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));

      // Act
      const result = await run('SendConfirmation');

      // Assert
      expect(notifier.sent).toEqual([
        {
          tenantId: 'ten_acme',
          workOrderId: 'wo_existing',
          channel: 'sms',
          to: '+16175550101',
          subject: 'Your AC repair visit on Fri Mar 14 at 9:00 AM',
          body: expect.stringContaining(
            'Hi Dana, Acme Heating & Cooling has booked your AC repair visit for Fri Mar 14 at 9:00 AM.',
          ),
        },
        expect.objectContaining({
          channel: 'email',
          to: 'dana@example.com',
          subject: 'Your AC repair visit on Fri Mar 14 at 9:00 AM',
          attachments: [expect.objectContaining({ filename: 'appointment.ics' })],
        }),
      ]);
      expect(result).toEqual({
        sent: true,
        channel: 'sms,email',
        status: 'sent,sent',
        messageId: 'msg-1,msg-2',
      });
    });

    it('when the confirmation is texted, it ends with how to opt out', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));

      // Act
      await run('SendConfirmation');

      // Assert
      expect(notifier.sent[0]?.body).toMatch(/Reply STOP to opt out\.$/);
    });

    it('when the confirmation is emailed, the calendar entry holds the visit under the work order’s UID', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));

      // Act
      await run('SendConfirmation');

      // Assert
      const calendar = notifier.sent.find((message) => message.channel === 'email')?.attachments?.[0];
      expect(calendar?.contentType).toMatch(/^text\/calendar/);
      expect(calendar?.content.split('\r\n')).toEqual(
        expect.arrayContaining([
          'UID:wo_existing@acme-heating-cooling.work-orders',
          'DTSTART:20250314T130000Z',
          'LOCATION:12 Elm Street\\, Boston\\, MA 02118',
        ]),
      );
    });

    it('when it runs again for the same booking, the customer is not told twice', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));
      await run('SendConfirmation');

      // Act
      const result = await run('SendConfirmation');

      // Assert
      expect(notifier.sent).toHaveLength(2);
      expect(result).toMatchObject({ sent: false, status: 'duplicate,duplicate' });
    });

    it('when the booking fell in one of the tenant’s arrival windows, the customer is promised the window', async () => {
      // Arrange: 13:00Z is 9:00 AM in Boston on 14 March 2025; the 8–12 window.
      workOrders.put({
        ...aWorkOrderAt('scheduled'),
        arrivalWindow: { start: '2025-03-14T12:00:00.000Z', end: '2025-03-14T16:00:00.000Z' },
      });

      // Act
      await run('SendConfirmation');

      // Assert
      expect(notifier.sent.find((message) => message.channel === 'email')?.subject).toBe(
        'Your AC repair visit on Fri Mar 14 between 8:00 AM and 12:00 PM',
      );
    });

    it('when the message is sent, an audit event records the channel and the provider’s message id', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));

      // Act
      await run('SendConfirmation');

      // Assert
      expect(trail()).toEqual([
        {
          tenantId: 'ten_acme',
          workOrderId: 'wo_existing',
          eventId: expect.stringMatching(/^evt_/),
          action: 'customer_confirmation_sent',
          actorId: 'workflow',
          actorRole: 'system',
          at: now,
          changes: { details: { after: { channel: 'sms', notificationId: 'ntf_0001', messageId: 'msg-1' } } },
        },
        expect.objectContaining({
          action: 'customer_confirmation_sent',
          changes: {
            details: { after: { channel: 'email', notificationId: 'ntf_0002', messageId: 'msg-2' } },
          },
        }),
        expect.objectContaining({ action: 'schedule_confirmed', actorId: 'workflow' }),
      ]);
    });

    it('when the confirmation is sent, the booking it named is recorded as confirmed', async () => {
      // Arrange
      const workOrder = aWorkOrderAt('scheduled');
      workOrders.put(workOrder);

      // Act
      await run('SendConfirmation');

      // Assert
      const stored = await workOrders.get('ten_acme', 'wo_existing');
      expect(stored?.confirmedStart).toBe(workOrder.scheduledStart);
      expect(stored?.version).toBe(workOrder.version + 1);
    });

    it('when the customer has only an email address, it emails them', async () => {
      // Arrange
      directory.addCustomer(aCustomer({ phone: undefined, email: 'dana@example.com' }));
      workOrders.put(aWorkOrderAt('scheduled'));

      // Act
      await run('SendConfirmation');

      // Assert
      expect(notifier.sent).toEqual([expect.objectContaining({ channel: 'email', to: 'dana@example.com' })]);
      expect(trail()[0]?.changes.details?.after).toEqual({
        channel: 'email',
        notificationId: expect.stringMatching(/^ntf_/),
        messageId: 'msg-1',
      });
    });

    it('when the customer has neither, it sends nothing and records why', async () => {
      // Arrange
      directory.addCustomer(aCustomer({ phone: undefined, email: undefined }));
      workOrders.put(aWorkOrderAt('scheduled'));

      // Act
      const result = await run('SendConfirmation');

      // Assert
      expect(notifier.sent).toEqual([]);
      expect(result).toEqual({ sent: false, reason: 'no phone or email on file' });
      expect(trail()).toEqual([
        expect.objectContaining({
          action: 'customer_not_notified',
          changes: { details: { after: { reason: 'no phone or email on file' } } },
        }),
        expect.objectContaining({ action: 'schedule_confirmed' }),
      ]);
    });
  });

  describe('NotifyTechnician', () => {
    it('when the technician has a phone, it texts them the job with access notes and directions', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('dispatched', { accessNotes: 'Gate code 4412; dog in the yard' }));

      // Act
      await run('NotifyTechnician');

      // Assert
      expect(notifier.sent).toHaveLength(1);
      const [message] = notifier.sent;
      expect(message).toMatchObject({ channel: 'sms', to: '+16175550142', subject: 'New job wo_existing' });
      expect(message?.body.split('\n')).toEqual([
        'Job wo_existing, Fri Mar 14 at 9:00 AM',
        'Dana Whitfield, +16175550101',
        '12 Elm Street, Boston, MA 02118',
        'Problem: AC blows warm air',
        'Access: Gate code 4412; dog in the yard',
        'Photos: 0',
        'Directions: https://www.google.com/maps/dir/?api=1&destination=12%20Elm%20Street%2C%20Boston%2C%20MA%2002118',
        'Package: /v1/work-orders/wo_existing/dispatch-package',
      ]);
      expect(trail()).toEqual([
        expect.objectContaining({
          action: 'technician_notified',
          changes: { details: { after: { channel: 'sms', messageId: 'msg-1' } } },
        }),
      ]);
    });

    it('when the location has equipment, history and photos, the text names them from the dispatch package', async () => {
      // Arrange
      directory.addEquipment(anEquipment());
      workOrders
        .put(
          aWorkOrderAt('completed', {
            workOrderId: 'wo_earlier',
            equipmentId: 'eqp_condenser',
            createdAt: '2024-07-01T14:00:00.000Z',
            summary: 'Replaced the run capacitor',
          }),
        )
        .putNote(aNote({ workOrderId: 'wo_earlier', text: 'Coil dirty; recommend a cleaning' }))
        .put(
          aWorkOrderAt('dispatched', {
            equipmentId: 'eqp_condenser',
            specialInstructions: 'Call before arriving',
          }),
        );
      photos
        .put(aPhoto({ photoId: 'pho_0001' }))
        .put(aPhoto({ photoId: 'pho_0002' }))
        .put(aPhoto({ workOrderId: 'wo_earlier', photoId: 'pho_0003' }));

      // Act
      await run('NotifyTechnician');

      // Assert
      const lines = notifier.sent[0]?.body.split('\n') ?? [];
      expect(lines).toEqual(
        expect.arrayContaining([
          'Instructions: Call before arriving',
          'Equipment: AC condenser (Carrier 24ACC636) [this job], under warranty to 2029-02-28, 1 earlier job(s)',
          'Earlier notes: 1 from 1 earlier visit(s)',
          'Photos: 2, and 1 from earlier visits',
          'Package: /v1/work-orders/wo_existing/dispatch-package',
        ]),
      );
    });

    it('when it runs again, it sends the same message again and records each sending', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('dispatched'));

      // Act
      await run('NotifyTechnician');
      await run('NotifyTechnician');

      // Assert
      expect(notifier.sent).toHaveLength(2);
      expect(notifier.sent[1]?.body).toBe(notifier.sent[0]?.body);
      expect(await stored()).toEqual(aWorkOrderAt('dispatched'));
      expect(trail().map((event) => event.action)).toEqual(['technician_notified', 'technician_notified']);
    });

    it('when the location has coordinates, the directions point at them', async () => {
      // Arrange
      directory.addLocation(aLocation({ latitude: 42.3429, longitude: -71.0726 }));
      workOrders.put(aWorkOrderAt('dispatched'));

      // Act
      await run('NotifyTechnician');

      // Assert
      expect(notifier.sent[0]?.body).toContain(
        'Directions: https://www.google.com/maps/dir/?api=1&destination=42.3429,-71.0726',
      );
    });

    it('when the technician has only an email address, it emails them', async () => {
      // Arrange
      directory.addTechnician('ten_acme', aTechnician({ phone: undefined }));
      workOrders.put(aWorkOrderAt('dispatched'));

      // Act
      await run('NotifyTechnician');

      // Assert
      expect(notifier.sent).toEqual([expect.objectContaining({ channel: 'email', to: 'ana@acme.example' })]);
    });

    it('when the technician can be reached neither way, it sends nothing and records why', async () => {
      // Arrange
      directory.addTechnician('ten_acme', aTechnician({ phone: undefined, email: undefined }));
      workOrders.put(aWorkOrderAt('dispatched'));

      // Act
      const result = await run('NotifyTechnician');

      // Assert
      expect(result).toEqual({ sent: false, reason: 'no phone or email on file' });
      expect(notifier.sent).toEqual([]);
      expect(trail()[0]?.action).toBe('technician_not_notified');
    });
  });

  describe('CompileSummary', () => {
    const reportKey = 'tenants/ten_acme/work-orders/wo_existing/completion-report.pdf';

    beforeEach(() => {
      workOrders
        .putNote(aNote({ noteId: 'not_0001', text: 'Capacitor swollen', at: '2025-03-14T13:40:00.000Z' }))
        .putNote(
          aNote({
            noteId: 'not_0002',
            text: 'Replaced capacitor; cooling restored',
            at: '2025-03-14T14:20:00.000Z',
          }),
        )
        .putLaborEntry(aLaborEntry({ laborId: 'lab_0001', minutes: 60 }))
        .putLaborEntry(aLaborEntry({ laborId: 'lab_0002', minutes: 35 }));
    });

    it('when the work is signed off, the summary holds the problem, the notes in order, the labor, the signer and the hash', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed'));

      // Act
      const result = await run('CompileSummary');

      // Assert
      expect(result).toEqual({
        notes: 2,
        photos: 0,
        parts: 0,
        laborMinutes: 95,
        summaryHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        completionReportKey: reportKey,
      });
      expect((await stored())?.summary?.split('\n')).toEqual([
        'Problem reported: AC blows warm air',
        'Work notes:',
        expect.stringMatching(/^- .*Capacitor swollen$/),
        expect.stringMatching(/^- .*Replaced capacitor; cooling restored$/),
        'Labor: 1 h 35 min (Ana Reyes 1 h 35 min)',
        expect.stringMatching(/^Signed by Dana Whitfield /),
        `Summary hash: ${result.summaryHash}`,
      ]);
    });

    it('when the work is signed off, it writes the completion report PDF under the tenant prefix and records its key', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed'));

      // Act
      await run('CompileSummary');

      // Assert
      expect(blobs.writes).toEqual([reportKey]);
      expect(blobs.objects.get(reportKey)?.contentType).toBe('application/pdf');
      expect(new TextDecoder().decode(blobs.bytesOf(reportKey)?.slice(0, 5))).toBe('%PDF-');
      expect(await stored()).toMatchObject({ completionReportKey: reportKey });
      expect(trail()).toEqual([
        expect.objectContaining({
          action: 'summary_compiled',
          changes: expect.objectContaining({ completionReportKey: { before: undefined, after: reportKey } }),
        }),
      ]);
    });

    it('when the customer did not sign, the summary gives the reason', async () => {
      // Arrange
      workOrders.put(
        aWorkOrderAt('completed', { signature: undefined, noSignatureReason: 'Customer at work' }),
      );

      // Act
      await run('CompileSummary');

      // Assert
      expect((await stored())?.summary).toContain('Not signed: Customer at work');
    });

    it('when run again, it writes the summary and the report once', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed', { version: 8 }));
      await run('CompileSummary');

      // Act
      await run('CompileSummary');

      // Assert
      expect((await stored())?.version).toBe(9);
      expect(trail().map((event) => event.action)).toEqual(['summary_compiled']);
      expect(blobs.writes).toHaveLength(1);
    });

    it('when the uploaded signature image cannot be read, the report is still written', async () => {
      // Arrange
      const imageKey =
        'tenants/ten_acme/work-orders/wo_existing/signatures/sig_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3.png';
      blobs.seed(imageKey, Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'image/png');
      workOrders.put(
        aWorkOrderAt('completed', {
          signature: { signerName: 'Dana Whitfield', signedAt: '2025-03-14T15:00:00.000Z', imageKey },
        }),
      );

      // Act
      const result = await run('CompileSummary');

      // Assert: the damaged image is noted in the report, the step does not fail
      expect(result.completionReportKey).toBe(reportKey);
      expect(blobs.writes).toEqual([reportKey]);
    });
  });

  describe('TallyPartsAndLabor', () => {
    it('when there are labor entries, it adds up their minutes', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed'));
      workOrders
        .putLaborEntry(aLaborEntry({ laborId: 'lab_0001', minutes: 60 }))
        .putLaborEntry(aLaborEntry({ laborId: 'lab_0002', minutes: 35, technicianId: 'tec_bo' }));

      // Act
      const result = await run('TallyPartsAndLabor');

      // Assert
      expect(result).toEqual({
        laborMinutes: 95,
        laborEntries: 2,
        partCount: 0,
        partsCost: 0,
        partsPrice: 0,
      });
    });

    it('when parts were used and one corrected, it tallies them from the usage items, net of the correction', async () => {
      // Arrange: counters on the work order that disagree with the items are not what is reported
      workOrders.put(aWorkOrderAt('completed', { partCount: 9, partsCost: 1, partsPrice: 1 }));
      workOrders
        .putPartUsage(aPartUsage({ quantity: 3, correctedQuantity: 1 }))
        .putPartUsage(
          aPartUsage({
            usageId: 'use_0001',
            partId: 'prt_copper',
            quantity: 2.5,
            unit: 'ft',
            unitCost: 310,
            unitPrice: 899,
          }),
        )
        .putPartUsage(
          aPartUsage({ usageId: 'use_0002', quantity: -1, correctionOf: 'use_0000', reason: 'Spare' }),
        );

      // Act
      const result = await run('TallyPartsAndLabor');

      // Assert: 2 capacitors (2 500 / 7 800) and 2.5 ft of copper (775 / 2 248)
      expect(result).toEqual({
        laborMinutes: 0,
        laborEntries: 0,
        partCount: 2,
        partsCost: 3275,
        partsPrice: 10048,
      });
    });
  });

  describe('CreateFollowUps', () => {
    const withFollowUp = (overrides: Partial<WorkOrder> = {}) =>
      aWorkOrderAt('completed', {
        followUpRequest: {
          description: 'Quote a new condenser',
          priority: 'urgent',
          workOrderId: 'wo_follow_up',
        },
        ...overrides,
      });

    it('when a follow-up was asked for, it creates it under the allocated id for the same customer and place', async () => {
      // Arrange
      workOrders.put(withFollowUp());

      // Act
      const result = await run('CreateFollowUps');

      // Assert
      expect(result).toEqual({ followUps: 1, followUpWorkOrderId: 'wo_follow_up' });
      expect(await workOrders.get('ten_acme', 'wo_follow_up')).toMatchObject({
        workOrderId: 'wo_follow_up',
        followUpOf: 'wo_existing',
        customerId: 'cus_existing',
        locationId: 'loc_home',
        serviceTypeId: 'svc_ac_repair',
        description: 'Quote a new condenser',
        priority: 'urgent',
        status: 'new',
        createdBy: 'workflow',
      });
      expect(workflow.executions.has('wo_follow_up')).toBe(true);
    });

    it('when created, it links the follow-up from the work order it follows', async () => {
      // Arrange
      workOrders.put(withFollowUp({ version: 9 }));

      // Act
      await run('CreateFollowUps');

      // Assert
      expect(await stored()).toMatchObject({ followUpWorkOrderIds: ['wo_follow_up'], version: 10 });
      expect(trail()).toEqual([
        expect.objectContaining({
          action: 'follow_up_created',
          changes: { followUpWorkOrderIds: { before: undefined, after: ['wo_follow_up'] } },
        }),
      ]);
    });

    it('when run again, it neither creates a second follow-up nor links it twice', async () => {
      // Arrange
      workOrders.put(withFollowUp());
      await run('CreateFollowUps');

      // Act
      await run('CreateFollowUps');

      // Assert
      expect(
        workOrders
          .all()
          .map((workOrder) => workOrder.workOrderId)
          .sort(),
      ).toEqual(['wo_existing', 'wo_follow_up']);
      expect((await stored())?.followUpWorkOrderIds).toEqual(['wo_follow_up']);
      expect(workOrders.eventsOf('ten_acme', 'wo_follow_up').map((event) => event.action)).toEqual([
        'created',
      ]);
      expect(events.ofType('WorkOrder.Created')).toHaveLength(1);
    });

    it('when an earlier run created the follow-up but did not link it, it only links it', async () => {
      // Arrange
      workOrders.put(withFollowUp());
      workOrders.put(aWorkOrder({ workOrderId: 'wo_follow_up', followUpOf: 'wo_existing' }));

      // Act
      await run('CreateFollowUps');

      // Assert
      expect((await stored())?.followUpWorkOrderIds).toEqual(['wo_follow_up']);
      expect(workflow.executions.size).toBe(0);
    });

    it('when no follow-up was asked for, it creates nothing', async () => {
      // Arrange
      const workOrder = aWorkOrderAt('completed');
      workOrders.put(workOrder);

      // Act
      const result = await run('CreateFollowUps');

      // Assert
      expect(result).toEqual({ followUps: 0 });
      expect(workOrders.all()).toEqual([workOrder]);
    });
  });

  describe('GenerateInvoice', () => {
    beforeEach(() => {
      workOrders
        .putLaborEntry(aLaborEntry({ laborId: 'lab_0001', minutes: 60 }))
        .putLaborEntry(aLaborEntry({ laborId: 'lab_0002', minutes: 35 }));
    });

    it('when the work is completed, it prices the labor and trip into a draft invoice due in 14 days', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed', { invoiceId: undefined }));

      // Act
      const result = await run('GenerateInvoice');

      // Assert: 95 min × 14 500 / 60 = 22 958.33 → 22 958; + trip 8 900 = 31 858.
      expect(result).toEqual({ invoiceId: 'inv_existing', total: 31858 });
      expect(await workOrders.getInvoice('ten_acme', 'wo_existing', 'inv_existing')).toEqual({
        tenantId: 'ten_acme',
        workOrderId: 'wo_existing',
        invoiceId: 'inv_existing',
        customerId: 'cus_existing',
        status: 'draft',
        currency: 'USD',
        lines: [
          {
            kind: 'labor',
            description: 'Labor: AC repair',
            quantity: 95 / 60,
            unit: 'hour',
            unitPrice: 14500,
            amount: 22958,
            taxable: false,
          },
          {
            kind: 'trip',
            description: 'Trip charge',
            quantity: 1,
            unit: 'visit',
            unitPrice: 8900,
            amount: 8900,
            taxable: false,
          },
        ],
        subtotal: 31858,
        taxableSubtotal: 0,
        taxRatePerMillion: 0,
        tax: 0,
        total: 31858,
        amountPaid: 0,
        dueDate: '2025-03-28',
        pricedAt: now,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
    });

    it('when parts were used, they are priced on the invoice at the price captured when used', async () => {
      // Arrange: 2 capacitors at $39.00, then one taken back by a correction.
      workOrders.put(aWorkOrderAt('completed', { invoiceId: undefined }));
      workOrders.putPartUsage(aPartUsage({ usageId: 'use_0001' })).putPartUsage(
        aPartUsage({
          usageId: 'use_0002',
          quantity: -1,
          correctionOf: 'use_0001',
          reason: 'one unused',
        }),
      );

      // Act
      const result = await run('GenerateInvoice');

      // Assert: 22,958 labor + 3,900 part + 8,900 trip.
      expect(result).toEqual({ invoiceId: 'inv_existing', total: 35758 });
      const invoice = await workOrders.getInvoice('ten_acme', 'wo_existing', 'inv_existing');
      expect(invoice?.lines).toContainEqual({
        kind: 'part',
        description: 'Run capacitor 45/5 µF (CAP-45-5)',
        quantity: 1,
        unit: 'each',
        unitPrice: 3900,
        amount: 3900,
        taxable: true,
      });
    });

    it('when the tenant has pricing rules, it prices by them: the technician’s level, fees, tax and terms', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed', { invoiceId: undefined }));
      workOrders.putPartUsage(aPartUsage({ usageId: 'use_0001' }));
      pricing
        .setRules('ten_acme', {
          levelMultipliersBasisPoints: { senior: 12_000 },
          taxRatePerMillion: 62_500,
          paymentTermsDays: 30,
        })
        .setLevel('ten_acme', 'tec_ana', 'senior')
        .addServiceType('ten_acme', {
          serviceTypeId: 'svc_ac_repair',
          name: 'AC repair',
          laborRatePerHour: 14_500,
          tripCharge: 8_900,
          flatFees: [{ name: 'Refrigerant handling', amount: 2_500, taxable: true }],
        });

      // Act
      const result = await run('GenerateInvoice');

      // Assert: senior rate 14 500 × 1.2 = 17 400; 95 min → 27 550. Parts 2 × 3 900 = 7 800 (taxable),
      // fee 2 500 (taxable), trip 8 900: 46 750. Tax 6.25 % of 10 300 = 643.75 → 644. Total 47 394.
      const invoice = await workOrders.getInvoice('ten_acme', 'wo_existing', 'inv_existing');
      expect(result).toEqual({ invoiceId: 'inv_existing', total: 47394 });
      expect(invoice).toMatchObject({
        subtotal: 46750,
        taxableSubtotal: 10300,
        tax: 644,
        dueDate: '2025-04-13',
      });
      expect(invoice?.lines[0]).toMatchObject({
        description: 'Labor: AC repair (senior technician)',
        unitPrice: 17400,
        amount: 27550,
      });
    });

    it('when the customer has an agreement that includes the visit, it asks about this visit and charges no labor or trip', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed', { invoiceId: undefined }));
      workOrders.putPartUsage(aPartUsage({ usageId: 'use_0001' }));
      agreements.cover('ten_acme', 'cus_existing', {
        agreementId: 'agr_gold',
        memberDiscountBasisPoints: 1_000,
        coversVisit: true,
      });

      // Act
      const result = await run('GenerateInvoice');

      // Assert: labor and trip at 0; parts 7 800 less the member's 10 % (780) = 7 020.
      expect(agreements.asked).toEqual([
        {
          tenantId: 'ten_acme',
          customerId: 'cus_existing',
          locationId: 'loc_home',
          serviceTypeId: 'svc_ac_repair',
          workOrderId: 'wo_existing',
          at: '2025-03-14T15:00:00.000Z',
        },
      ]);
      expect(result).toEqual({ invoiceId: 'inv_existing', total: 7020 });
      const invoice = await workOrders.getInvoice('ten_acme', 'wo_existing', 'inv_existing');
      expect(invoice?.agreement).toEqual({
        agreementId: 'agr_gold',
        memberDiscountBasisPoints: 1000,
        coversVisit: true,
      });
      expect(
        invoice?.lines
          .filter((line) => line.kind === 'labor' || line.kind === 'trip')
          .map((line) => line.amount),
      ).toEqual([0, 0]);
    });

    it('when generated, it links the invoice to the work order and records both in the audit trail', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed', { invoiceId: undefined }));

      // Act
      await run('GenerateInvoice');

      // Assert
      expect((await stored())?.invoiceId).toBe('inv_existing');
      expect(trail()).toEqual([
        expect.objectContaining({
          action: 'invoice_generated',
          changes: { invoice: { after: { invoiceId: 'inv_existing', total: 31858, currency: 'USD' } } },
        }),
        expect.objectContaining({
          action: 'invoice_linked',
          changes: { invoiceId: { before: undefined, after: 'inv_existing' } },
        }),
      ]);
    });

    it('when it is late evening in the tenant’s zone, the due date counts from the local day', async () => {
      // Arrange
      clock.advance(11 * 60 * 60 * 1000); // 02:05 UTC on the 15th, still the 14th in Boston
      workOrders.put(aWorkOrderAt('completed', { invoiceId: undefined }));

      // Act
      await run('GenerateInvoice');

      // Assert
      expect((await workOrders.getInvoice('ten_acme', 'wo_existing', 'inv_existing'))?.dueDate).toBe(
        '2025-03-28',
      );
    });

    it('when run twice, it creates the invoice once and leaves it as it was', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed', { invoiceId: undefined }));
      await run('GenerateInvoice');
      const first = await workOrders.getInvoice('ten_acme', 'wo_existing', 'inv_existing');
      clock.advance(60_000);

      // Act
      const result = await run('GenerateInvoice');

      // Assert
      expect(result).toEqual({ invoiceId: 'inv_existing', total: 31858 });
      expect(workOrders.invoicesOf('ten_acme', 'wo_existing')).toEqual([first]);
      expect(trail().map((event) => event.action)).toEqual(['invoice_generated', 'invoice_linked']);
    });

    it('when two runs price the work at once, one invoice is written and both answer with it', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed', { invoiceId: undefined }));

      // Act
      const results = await Promise.all([run('GenerateInvoice'), run('GenerateInvoice')]);

      // Assert
      expect(results).toEqual([
        { invoiceId: 'inv_existing', total: 31858 },
        { invoiceId: 'inv_existing', total: 31858 },
      ]);
      expect(workOrders.invoicesOf('ten_acme', 'wo_existing')).toHaveLength(1);
      expect((await stored())?.invoiceId).toBe('inv_existing');
      expect(trail().map((event) => event.action)).toEqual(['invoice_generated', 'invoice_linked']);
    });

    it('when an invoice was already approved, it keeps it as it is', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('invoiced'));
      const approved = anInvoice({ status: 'approved', version: 2, total: 50000 });
      workOrders.putInvoice(approved);

      // Act
      const result = await run('GenerateInvoice');

      // Assert
      expect(result).toEqual({ invoiceId: 'inv_existing', total: 50000 });
      expect(workOrders.invoicesOf('ten_acme', 'wo_existing')).toEqual([approved]);
    });

    it('when the work order names a replacement of a voided invoice, it keeps that one and writes no other', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed', { invoiceId: 'inv_01JREPLACEMENT0000000000000' }));
      const replacement = anInvoice({
        invoiceId: 'inv_01JREPLACEMENT0000000000000',
        replaces: 'inv_existing',
      });
      workOrders.putInvoice(anInvoice({ status: 'void' })).putInvoice(replacement);

      // Act
      const result = await run('GenerateInvoice');

      // Assert
      expect(result).toEqual({ invoiceId: 'inv_01JREPLACEMENT0000000000000', total: 31858 });
      expect(workOrders.invoicesOf('ten_acme', 'wo_existing')).toHaveLength(2);
      expect(trail()).toEqual([]);
    });
  });

  describe('SendInvoice', () => {
    const pdfKey = 'tenants/ten_acme/invoices/inv_existing.pdf';

    it('when the invoice is sent, its first overdue check is arranged for 09:00 local the day after it is due', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('invoiced'));
      workOrders.putInvoice(anInvoice({ status: 'approved', version: 2, dueDate: '2025-03-28' }));

      // Act
      await run('SendInvoice');

      // Assert
      expect(scheduler.get('invoice-overdue-inv_existing')).toEqual({
        name: 'invoice-overdue-inv_existing',
        at: '2025-03-29T09:00:00',
        timeZone: 'America/New_York',
        payload: {
          kind: 'invoice-overdue',
          tenantId: 'ten_acme',
          workOrderId: 'wo_existing',
          invoiceId: 'inv_existing',
          check: 1,
        },
      });
    });

    it('when the invoice is approved, it sends it with the link to pay, writes its PDF and marks it sent', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('invoiced'));
      workOrders.putInvoice(anInvoice({ status: 'approved', version: 2 }));

      // Act
      const result = await run('SendInvoice');

      // Assert
      expect(result).toMatchObject({ sent: true, invoiceId: 'inv_existing', channels: 'sms,email', pdfKey });
      expect(await workOrders.getInvoice('ten_acme', 'wo_existing', 'inv_existing')).toMatchObject({
        status: 'sent',
        sentAt: now,
        pdfKey,
        version: 4,
        updatedAt: now,
      });
      expect(notifier.sent).toEqual([
        expect.objectContaining({
          channel: 'sms',
          to: '+16175550101',
          body: 'Hi Dana, your invoice inv_existing from Acme Heating & Cooling is $318.58, due 2025-03-28. Pay online: https://pay.example/inv_existing/31858 Reply STOP to opt out.',
        }),
        expect.objectContaining({
          channel: 'email',
          to: 'dana@example.com',
          subject: 'Invoice inv_existing from Acme Heating & Cooling',
          body: expect.stringContaining(
            'Balance due 2025-03-28: $318.58\nPay online: https://pay.example/inv_existing/31858',
          ),
        }),
      ]);
      expect(blobs.writes).toEqual([pdfKey]);
      expect(new TextDecoder().decode(blobs.bytesOf(pdfKey)?.slice(0, 5))).toBe('%PDF-');
      expect(trail().map((event) => [event.action, event.changes.details?.after])).toEqual([
        [
          'customer_invoice_sent',
          {
            channel: 'sms',
            notificationId: expect.stringMatching(/^ntf_/),
            messageId: 'msg-1',
            invoiceId: 'inv_existing',
            checkout: 'cs_inv_existing',
          },
        ],
        [
          'customer_invoice_sent',
          {
            channel: 'email',
            notificationId: expect.stringMatching(/^ntf_/),
            messageId: 'msg-2',
            invoiceId: 'inv_existing',
            checkout: 'cs_inv_existing',
          },
        ],
      ]);
    });

    it.each([
      ['sms', 'sms'],
      ['email', 'email'],
    ] as const)('when the customer prefers %s, it sends by %s only', async (preferred, channel) => {
      // Arrange
      directory.addCustomer(aCustomer({ contactPreferences: { channel: preferred } }));
      workOrders.put(aWorkOrderAt('invoiced'));
      workOrders.putInvoice(anInvoice({ status: 'approved', version: 2 }));

      // Act
      await run('SendInvoice');

      // Assert
      expect(notifier.sent.map((message) => message.channel)).toEqual([channel]);
    });

    it('when the customer prefers a channel they have no address for, it sends by the one on file', async () => {
      // Arrange
      directory.addCustomer(aCustomer({ phone: undefined, contactPreferences: { channel: 'sms' } }));
      workOrders.put(aWorkOrderAt('invoiced'));
      workOrders.putInvoice(anInvoice({ status: 'approved', version: 2 }));

      // Act
      await run('SendInvoice');

      // Assert
      expect(notifier.sent.map((message) => [message.channel, message.to])).toEqual([
        ['email', 'dana@example.com'],
      ]);
    });

    it('when a deposit was paid before it was sent, it asks for the balance and keeps it partially paid', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('invoiced'));
      workOrders.putInvoice(anInvoice({ status: 'partially_paid', amountPaid: 10_000, version: 3 }));

      // Act
      const result = await run('SendInvoice');

      // Assert
      expect(result).toMatchObject({ sent: true });
      expect(payments.checkouts.map(({ invoice }) => invoice.total - invoice.amountPaid)).toEqual([21_858]);
      expect(notifier.sent[0]?.body).toContain('is $218.58');
      expect(await workOrders.getInvoice('ten_acme', 'wo_existing', 'inv_existing')).toMatchObject({
        status: 'partially_paid',
        sentAt: now,
      });
    });

    it.each([
      ['draft', {}],
      ['sent', { sentAt: now }],
      ['partially_paid', { sentAt: now, amountPaid: 100 }],
      ['paid', { sentAt: now, amountPaid: 31858 }],
    ] as const)('when the invoice is %s, it sends nothing and leaves it as it is', async (status, rest) => {
      // Arrange
      workOrders.put(aWorkOrderAt('invoiced'));
      const invoice = anInvoice({ status, ...rest });
      workOrders.putInvoice(invoice);

      // Act
      const result = await run('SendInvoice');

      // Assert
      expect(result).toEqual({ sent: false, status });
      expect(notifier.sent).toEqual([]);
      expect(blobs.writes).toEqual([]);
      expect(await workOrders.getInvoice('ten_acme', 'wo_existing', 'inv_existing')).toEqual(invoice);
    });

    it('when run twice, it sends the invoice once and writes its PDF once', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('invoiced'));
      workOrders.putInvoice(anInvoice({ status: 'approved', version: 2 }));
      await run('SendInvoice');

      // Act
      await run('SendInvoice');

      // Assert
      expect(notifier.sent).toHaveLength(2);
      expect(blobs.writes).toEqual([pdfKey]);
    });

    it('when the first delivery attempt fails, it tries again and the customer receives the invoice once by each channel', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('invoiced'));
      workOrders.putInvoice(anInvoice({ status: 'approved', version: 2 }));
      notifier.failNextSendWith(new Error('SNS throttled'));

      // Act
      const result = await run('SendInvoice');

      // Assert
      expect(result).toMatchObject({ sent: true });
      expect(notifier.sent.map((message) => message.channel)).toEqual(['sms', 'email']);
      expect(blobs.writes).toEqual([pdfKey]);
      expect(await workOrders.getInvoice('ten_acme', 'wo_existing', 'inv_existing')).toMatchObject({
        status: 'sent',
        pdfKey,
      });
    });

    it('when every delivery attempt by a channel fails, the invoice is still sent by the others and the failure is on the timeline', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('invoiced'));
      workOrders.putInvoice(anInvoice({ status: 'approved', version: 2 }));
      for (let attempt = 0; attempt < 3; attempt += 1) notifier.failNextSendWith(new Error('SNS throttled'));

      // Act
      await run('SendInvoice');

      // Assert
      expect(notifier.sent.map((message) => message.channel)).toEqual(['email']);
      expect(
        trail().map((event) => [
          event.action,
          (event.changes.details?.after as { channel?: string } | undefined)?.channel,
        ]),
      ).toEqual([
        ['customer_message_failed', 'sms'],
        ['customer_invoice_sent', 'email'],
      ]);
      expect(await workOrders.getInvoice('ten_acme', 'wo_existing', 'inv_existing')).toMatchObject({
        status: 'sent',
      });
    });

    it('when the customer has neither phone nor email, it records why and leaves the invoice approved', async () => {
      // Arrange
      directory.addCustomer(aCustomer({ phone: undefined, email: undefined }));
      workOrders.put(aWorkOrderAt('invoiced'));
      workOrders.putInvoice(anInvoice({ status: 'approved', version: 2 }));

      // Act
      const result = await run('SendInvoice');

      // Assert
      expect(result).toMatchObject({ sent: false, reason: 'no phone or email on file' });
      expect(notifier.sent).toEqual([]);
      expect(payments.checkouts).toEqual([]);
      expect(await workOrders.getInvoice('ten_acme', 'wo_existing', 'inv_existing')).toMatchObject({
        status: 'approved',
        pdfKey,
      });
      expect(trail().map((event) => event.action)).toEqual(['customer_not_notified']);
    });

    it('when the work order has no invoice, it throws WorkOrder.NotFound', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('invoiced', { invoiceId: undefined }));

      // Act
      const error = await rejectionOf(run('SendInvoice'));

      // Assert
      expect(error).toMatchObject({ name: 'WorkOrder.NotFound' });
    });
  });

  describe('the end of the workflow', () => {
    it('when closing a paid work order, it records the Closed state, drops any token and publishes WorkOrder.Closed', async () => {
      // Arrange
      workOrders.put(
        aWorkOrderAt('paid', { version: 12, workflowState: 'AwaitPayment', taskToken: 'token-old' }),
      );

      // Act
      const result = await run('CloseWorkOrder');

      // Assert
      expect(result).toEqual({ closed: true });
      const saved = await stored();
      expect(saved).toMatchObject({ workflowState: 'Closed', workflowStateSince: now, status: 'paid' });
      expect(saved).not.toHaveProperty('taskToken');
      expect(events.published).toEqual([
        {
          type: 'WorkOrder.Closed',
          version: 1,
          tenantId: 'ten_acme',
          occurredAt: now,
          detail: {
            workOrderId: 'wo_existing',
            status: 'paid',
            version: 12,
            actorId: 'workflow',
            actorRole: 'system',
            invoiceId: 'inv_existing',
          },
        },
      ]);
    });

    it('when recording a cancellation, it records the WorkOrderCancelled state of the execution', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('cancelled', { version: 4 }));

      // Act
      const result = await run('RecordCancellation');

      // Assert
      expect(result).toEqual({ cancelled: true });
      expect(await stored()).toMatchObject({
        status: 'cancelled',
        workflowState: 'WorkOrderCancelled',
        workflowStateSince: now,
        version: 4,
      });
    });
  });

  describe('on a cancelled work order', () => {
    it.each<WorkflowStep>([
      'EnrichWorkOrder',
      'SendConfirmation',
      'NotifyTechnician',
      'CompileSummary',
      'TallyPartsAndLabor',
      'CreateFollowUps',
      'GenerateInvoice',
      'SendInvoice',
      'CloseWorkOrder',
    ])('when %s runs, it throws WorkOrder.Cancelled and does nothing', async (step) => {
      // Arrange
      const cancelled = aWorkOrderAt('cancelled', { scheduledStart: '2025-03-14T13:00:00.000Z' });
      workOrders.put(cancelled);

      // Act
      const error = await rejectionOf(run(step));

      // Assert
      expect(error).toMatchObject({ name: 'WorkOrder.Cancelled' });
      expect(await stored()).toEqual(cancelled);
      expect(trail()).toEqual([]);
      expect(notifier.sent).toEqual([]);
      expect(events.published).toEqual([]);
    });
  });

  it('when the work order does not exist, it throws WorkOrder.NotFound', async () => {
    // Act
    const error = await rejectionOf(run('SendConfirmation', 'wo_gone'));

    // Assert
    expect(error).toMatchObject({ name: 'WorkOrder.NotFound' });
    expect(notifier.sent).toEqual([]);
  });
});
