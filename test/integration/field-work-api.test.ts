import { beforeAll, describe, expect, it } from 'vitest';
import { aWorkOrderRequest } from '../fixtures/tenants.ts';
import { aCrew, type Crew, freeSlots } from '../helpers/crew.ts';
import { api, eventually, tableEntities } from '../helpers/local-platform.ts';

const entities = tableEntities();

interface WorkOrderBody {
  id: string;
  status: string;
  version: number;
  eta?: string;
  delay?: { reason: string; newEta?: string; at: string };
  pause?: { reason: string; at: string; from: string };
  pausedMinutes?: number;
  laborMinutes: number;
  followUpOf?: string;
  followUpWorkOrderIds?: string[];
  schedule?: { start: string; date: string };
  workflow: { state: string };
  allowedActions: string[];
}

interface ProblemBody {
  status: number;
  detail: string;
  currentStatus?: string;
  allowedActions?: string[];
  errors?: { field: string; message: string }[];
}

interface TimelineEvent {
  action: string;
  actorId: string;
  actorRole: string;
  at: string;
  changes: Record<string, { before?: unknown; after?: unknown }>;
}

const aFreeSlot = freeSlots();

const post = <T = WorkOrderBody>(
  token: string,
  path: string,
  body: unknown = {},
  headers?: Record<string, string>,
) => api<T>('POST', path, { token, body, ...(headers ? { headers } : {}) });
const get = <T>(token: string, path: string) => api<T>('GET', path, { token });
const act = <T = WorkOrderBody>(token: string, id: string, verb: string, body: unknown = {}) =>
  post<T>(token, `/v1/work-orders/${id}/${verb}`, body);

/** A new work order of the crew's customer, taken along the field path until `until`. */
async function aWorkOrderAt(
  crew: Crew,
  until: 'new' | 'dispatched' | 'en_route' | 'in_progress',
): Promise<string> {
  const created = await post<{ id: string }>(
    crew.dispatcher,
    '/v1/work-orders',
    aWorkOrderRequest(crew.tenant),
  );
  expect(created.status).toBe(201);
  const id = created.body.id;
  if (until === 'new') return id;
  const steps: [string, string, unknown, string][] = [
    [crew.dispatcher, 'schedule', { start: aFreeSlot() }, 'scheduled'],
    [crew.dispatcher, 'dispatch', { technicianId: crew.tenant.technicianId }, 'dispatched'],
    [crew.technician, 'field-status', { status: 'en_route', eta: aFreeSlot() }, 'en_route'],
    [crew.technician, 'field-status', { status: 'arrived' }, 'arrived'],
    [crew.technician, 'field-status', { status: 'in_progress' }, 'in_progress'],
  ];
  for (const [token, verb, body, status] of steps) {
    const response = await act(token, id, verb, body);
    expect(response.status, `${verb} ${JSON.stringify(body)}`).toBe(200);
    if (status === until) break;
  }
  return id;
}

interface UploadBody {
  id: string;
  upload: { url: string; fields: Record<string, string> };
}

/** Bytes that start as a PNG does; the platform checks the signature, not the pixels. */
const aPng = (size: number) =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(size - 8, 7)]);

/** Sends the presigned form as a browser would: its fields in order, then the file. */
async function upload(form: UploadBody['upload'], bytes: Buffer) {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append('file', new Blob([bytes], { type: form.fields['Content-Type'] }), 'photo');
  return fetch(form.url, { method: 'POST', body });
}

const timelineOf = async (token: string, id: string) =>
  (await get<{ items: TimelineEvent[] }>(token, `/v1/work-orders/${id}/timeline?limit=100`)).body.items;

describe('field execution through the API (local platform)', () => {
  let crew: Crew;

  beforeAll(async () => {
    crew = await aCrew(entities);
  });

  describe('pausing work', () => {
    it('when the technician pauses and resumes, the status, reason and paused minutes show on the work order, the board, the timeline and the field-status history', async () => {
      // Arrange
      const id = await aWorkOrderAt(crew, 'in_progress');

      // Act
      const paused = await act(crew.technician, id, 'pause', { reason: 'Waiting for parts' });
      const boardDay = paused.body.schedule?.date ?? '';
      const board = await get<{
        lanes: { technician: { technicianId: string }; workOrders: WorkOrderBody[] }[];
      }>(crew.dispatcher, `/v1/dispatch-board?date=${boardDay}`);
      const completeWhilePaused = await act<ProblemBody>(crew.technician, id, 'complete', {
        noSignatureReason: 'Customer away',
      });
      const resumed = await act(crew.technician, id, 'resume-work');
      const history = await get<{
        items: {
          action: string;
          status: string;
          reason?: string;
          eta?: string;
          actorRole: string;
          at: string;
        }[];
      }>(crew.dispatcher, `/v1/work-orders/${id}/field-status`);

      // Assert
      expect(paused.status).toBe(200);
      expect(paused.body).toMatchObject({
        status: 'paused',
        pause: { reason: 'Waiting for parts', from: 'in_progress' },
        allowedActions: ['resumeWork'],
      });
      const lane = board.body.lanes.find(
        (candidate) => candidate.technician.technicianId === crew.tenant.technicianId,
      );
      expect(lane?.workOrders.find((workOrder) => workOrder.id === id)).toMatchObject({
        status: 'paused',
        pause: { reason: 'Waiting for parts', from: 'in_progress' },
      });
      expect(completeWhilePaused.status).toBe(409);
      expect(completeWhilePaused.body).toMatchObject({ currentStatus: 'paused' });
      expect(resumed.status).toBe(200);
      expect(resumed.body).toMatchObject({ status: 'in_progress', pausedMinutes: 0 });
      expect(resumed.body).not.toHaveProperty('pause');
      const events = await timelineOf(crew.dispatcher, id);
      expect(events.find((event) => event.action === 'pause')).toMatchObject({
        actorRole: 'technician',
        changes: {
          status: { before: 'in_progress', after: 'paused' },
          pause: { after: { reason: 'Waiting for parts' } },
        },
      });
      expect(history.status).toBe(200);
      expect(history.body.items.map((change) => [change.action, change.status])).toEqual([
        ['dispatch', 'dispatched'],
        ['startTravel', 'en_route'],
        ['arrive', 'arrived'],
        ['startWork', 'in_progress'],
        ['pause', 'paused'],
        ['resumeWork', 'in_progress'],
      ]);
      expect(history.body.items[1]?.eta).toEqual(expect.any(String));
      expect(history.body.items[4]).toMatchObject({ reason: 'Waiting for parts', actorRole: 'technician' });
      const times = history.body.items.map((change) => change.at);
      expect(times).toEqual([...times].sort());
    });

    it('when the technician is running late, the board shows the job en route with the delay, its reason and the new ETA', async () => {
      // Arrange
      const id = await aWorkOrderAt(crew, 'en_route');
      const newEta = new Date(Date.now() + 3 * 60 * 60 * 1000).toISOString();

      // Act
      const delayed = await act(crew.technician, id, 'delay', { reason: 'Accident on I-90', newEta });
      const board = await get<{ lanes: { workOrders: WorkOrderBody[] }[] }>(
        crew.dispatcher,
        `/v1/dispatch-board?date=${delayed.body.schedule?.date ?? ''}`,
      );
      const history = await get<{ items: { action: string; reason?: string; eta?: string }[] }>(
        crew.dispatcher,
        `/v1/work-orders/${id}/field-status`,
      );

      // Assert
      const onBoard = board.body.lanes
        .flatMap((lane) => lane.workOrders)
        .find((workOrder) => workOrder.id === id);
      expect(onBoard).toMatchObject({
        status: 'en_route',
        eta: newEta,
        delay: { reason: 'Accident on I-90', newEta },
      });
      expect(history.body.items.at(-1)).toMatchObject({
        action: 'reportDelay',
        reason: 'Accident on I-90',
        eta: newEta,
      });
    });

    it('when the work is paused, the workflow keeps waiting in AwaitFieldWork with its token', async () => {
      // Arrange
      const id = await aWorkOrderAt(crew, 'in_progress');
      await eventually(async () => {
        const { body } = await get<WorkOrderBody>(crew.dispatcher, `/v1/work-orders/${id}`);
        return body.workflow.state === 'AwaitFieldWork' ? body : undefined;
      }, 15_000);

      // Act
      await act(crew.technician, id, 'pause', { reason: 'Lunch' });

      // Assert
      const stored = await entities.workOrder.get({ tenantId: crew.tenant.tenantId, workOrderId: id }).go();
      expect(stored.data).toMatchObject({ status: 'paused', workflowState: 'AwaitFieldWork' });
      expect(stored.data?.taskToken).toEqual(expect.any(String));
    });

    it('when the work is not on site, pausing is refused with 409 and resuming needs a pause', async () => {
      // Arrange
      const id = await aWorkOrderAt(crew, 'dispatched');

      // Act
      const pause = await act<ProblemBody>(crew.technician, id, 'pause', { reason: 'Lunch' });
      const resume = await act<ProblemBody>(crew.technician, id, 'resume-work');
      const noReason = await act<ProblemBody>(crew.technician, id, 'pause', {});

      // Assert
      expect([pause.status, resume.status, noReason.status]).toEqual([409, 409, 400]);
      expect(pause.body.currentStatus).toBe('dispatched');
      expect(noReason.body.errors?.map((problem) => problem.field)).toEqual(['body.reason']);
    });
  });

  describe('labor timers', () => {
    it('when the technician starts and stops a timer, the time is recorded with start, end and minutes; twice or without one is 409', async () => {
      // Arrange
      const id = await aWorkOrderAt(crew, 'in_progress');

      // Act
      const started = await post<{ technicianId: string; startedAt: string }>(
        crew.technician,
        `/v1/work-orders/${id}/labor/start`,
      );
      const startedAgain = await post<ProblemBody>(crew.technician, `/v1/work-orders/${id}/labor/start`);
      const running = await get<{ items: unknown[]; running: { technicianId: string }[] }>(
        crew.technician,
        `/v1/work-orders/${id}/labor`,
      );
      const stopped = await post<{ id: string; minutes: number; startedAt: string; endedAt: string }>(
        crew.technician,
        `/v1/work-orders/${id}/labor/stop`,
      );
      const stoppedAgain = await post<ProblemBody>(crew.technician, `/v1/work-orders/${id}/labor/stop`);
      const labor = await get<{ items: { id: string; minutes: number }[]; running: unknown[] }>(
        crew.dispatcher,
        `/v1/work-orders/${id}/labor`,
      );
      const workOrder = await get<WorkOrderBody>(crew.dispatcher, `/v1/work-orders/${id}`);

      // Assert
      expect(started.status).toBe(201);
      expect(started.body.technicianId).toBe(crew.tenant.technicianId);
      expect(startedAgain.status).toBe(409);
      expect(running.body.running.map((timer) => timer.technicianId)).toEqual([crew.tenant.technicianId]);
      expect(stopped.status).toBe(201);
      expect(stopped.body).toMatchObject({
        id: expect.stringMatching(/^lab_/),
        minutes: 1,
        startedAt: started.body.startedAt,
      });
      expect(Date.parse(stopped.body.endedAt)).toBeGreaterThanOrEqual(Date.parse(stopped.body.startedAt));
      expect(stoppedAgain.status).toBe(409);
      expect(labor.body).toEqual({
        items: [expect.objectContaining({ id: stopped.body.id, minutes: 1 })],
        running: [],
      });
      expect(workOrder.body.laborMinutes).toBe(1);
    });

    it('when a timer is still running, completion is refused naming it, and accepted once it is stopped', async () => {
      // Arrange
      const id = await aWorkOrderAt(crew, 'in_progress');
      await post(crew.technician, `/v1/work-orders/${id}/notes`, { text: 'Replaced the contactor' });
      await post(crew.technician, `/v1/work-orders/${id}/labor`, { minutes: 30 });
      await post(crew.technician, `/v1/work-orders/${id}/labor/start`);

      // Act
      const whileRunning = await post<ProblemBody & { missing?: string[] }>(
        crew.technician,
        `/v1/work-orders/${id}/complete`,
        { noSignatureReason: 'Customer not home' },
      );
      await post(crew.technician, `/v1/work-orders/${id}/labor/stop`);
      const afterStop = await post<WorkOrderBody>(crew.technician, `/v1/work-orders/${id}/complete`, {
        noSignatureReason: 'Customer not home',
      });

      // Assert
      expect(whileRunning.status).toBe(422);
      expect(whileRunning.body.missing).toEqual(['stoppedLaborTimers']);
      expect(afterStop.status).toBe(200);
      expect(afterStop.body.status).toBe('completed');
    });

    it('when the office times a helper, it may; a technician naming someone else is refused naming body.technicianId', async () => {
      // Arrange
      const id = await aWorkOrderAt(crew, 'in_progress');

      // Act
      const office = await post(crew.dispatcher, `/v1/work-orders/${id}/labor/start`, {
        technicianId: crew.tenant.unqualifiedTechnicianId,
      });
      const forOther = await post<ProblemBody>(crew.technician, `/v1/work-orders/${id}/labor/start`, {
        technicianId: crew.tenant.unqualifiedTechnicianId,
      });
      const stopped = await post<{ technicianId: string }>(
        crew.dispatcher,
        `/v1/work-orders/${id}/labor/stop`,
        {
          technicianId: crew.tenant.unqualifiedTechnicianId,
        },
      );

      // Assert
      expect(office.status).toBe(201);
      expect(forOther.status).toBe(400);
      expect(forOther.body.errors?.map((problem) => problem.field)).toEqual(['body.technicianId']);
      expect(stopped.body.technicianId).toBe(crew.tenant.unqualifiedTechnicianId);
    });
  });

  describe('recommendations', () => {
    it('when the technician recommends work and the office accepts it, both are listed with status and audited', async () => {
      // Arrange
      const id = await aWorkOrderAt(crew, 'in_progress');

      // Act
      const added = await post<{ id: string; status: string; currency: string; customerId: string }>(
        crew.technician,
        `/v1/work-orders/${id}/recommendations`,
        { description: 'Replace the corroded condenser coil', urgency: 'high', estimatedPrice: 185_000 },
      );
      const byTechnician = await post<ProblemBody>(
        crew.technician,
        `/v1/work-orders/${id}/recommendations/${added.body.id}/decision`,
        { decision: 'accepted' },
      );
      const decided = await post<{ status: string; decidedBy: string; decisionNote: string }>(
        crew.dispatcher,
        `/v1/work-orders/${id}/recommendations/${added.body.id}/decision`,
        { decision: 'accepted', note: 'Customer approved by phone' },
      );
      const again = await post<ProblemBody>(
        crew.dispatcher,
        `/v1/work-orders/${id}/recommendations/${added.body.id}/decision`,
        { decision: 'declined' },
      );
      const listed = await get<{ items: { id: string; status: string; urgency: string }[] }>(
        crew.technician,
        `/v1/work-orders/${id}/recommendations`,
      );

      // Assert
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({
        id: expect.stringMatching(/^rec_/),
        status: 'open',
        currency: 'USD',
        customerId: crew.tenant.customerId,
      });
      expect(byTechnician.status).toBe(403);
      expect(decided.status).toBe(200);
      expect(decided.body).toMatchObject({ status: 'accepted', decisionNote: 'Customer approved by phone' });
      expect(again.status).toBe(409);
      expect(listed.body.items).toEqual([
        expect.objectContaining({ id: added.body.id, status: 'accepted', urgency: 'high' }),
      ]);
      const actions = (await timelineOf(crew.dispatcher, id)).map((event) => event.action);
      expect(actions).toEqual(expect.arrayContaining(['recommendation_added', 'recommendation_accepted']));
    });

    it('when the urgency is not one of low, medium, high or safety, it is refused naming body.urgency', async () => {
      // Arrange
      const id = await aWorkOrderAt(crew, 'new');

      // Act
      const response = await post<ProblemBody>(crew.dispatcher, `/v1/work-orders/${id}/recommendations`, {
        description: 'Replace the filter',
        urgency: 'someday',
        estimatedPrice: 2_500,
      });

      // Assert
      expect(response.status).toBe(400);
      expect(response.body.errors?.map((problem) => problem.field)).toEqual(['body.urgency']);
    });
  });

  describe('messages', () => {
    it('when the office and the technician write 30 messages at once, all 30 are kept in time order with author and role', async () => {
      // Arrange
      const id = await aWorkOrderAt(crew, 'dispatched');
      const texts = Array.from({ length: 30 }, (_, index) => `Message ${index + 1}`);

      // Act
      const posted = await Promise.all(
        texts.map((text, index) =>
          post<{ id: string }>(
            index % 2 === 0 ? crew.dispatcher : crew.technician,
            `/v1/work-orders/${id}/messages`,
            {
              text,
            },
          ),
        ),
      );
      const listed = await get<{ items: { id: string; text: string; authorRole: string; at: string }[] }>(
        crew.technician,
        `/v1/work-orders/${id}/messages?limit=100`,
      );

      // Assert
      expect(posted.map((response) => response.status)).toEqual(texts.map(() => 201));
      const items = listed.body.items;
      expect(items).toHaveLength(30);
      expect(items.map((message) => message.text).sort()).toEqual([...texts].sort());
      const ids = items.map((message) => message.id);
      expect(ids).toEqual([...ids].sort());
      expect(new Set(ids).size).toBe(30);
      const times = items.map((message) => message.at);
      expect(times).toEqual([...times].sort());
      expect(new Set(items.map((message) => message.authorRole))).toEqual(
        new Set(['dispatcher', 'technician']),
      );
    });

    it('when a message is sent again with the same Idempotency-Key, it is kept once and answered the same', async () => {
      // Arrange
      const id = await aWorkOrderAt(crew, 'new');
      const headers = { 'idempotency-key': `message-${id}` };

      // Act
      const first = await post<{ id: string }>(
        crew.dispatcher,
        `/v1/work-orders/${id}/messages`,
        { text: 'Call first' },
        headers,
      );
      const second = await post<{ id: string }>(
        crew.dispatcher,
        `/v1/work-orders/${id}/messages`,
        { text: 'Call first' },
        headers,
      );
      const listed = await get<{ items: unknown[] }>(crew.dispatcher, `/v1/work-orders/${id}/messages`);

      // Assert
      expect(second.body.id).toBe(first.body.id);
      expect(listed.body.items).toHaveLength(1);
    });
  });

  describe('follow-ups', () => {
    it('when the office creates a follow-up work order, it is linked both ways and gets its own execution', async () => {
      // Arrange
      const id = await aWorkOrderAt(crew, 'in_progress');

      // Act
      const created = await post<{ kind: string; id: string; status: string }>(
        crew.dispatcher,
        `/v1/work-orders/${id}/follow-ups`,
        { kind: 'workOrder', description: 'Quote a new condenser', priority: 'routine' },
      );
      const followUp = await eventually(async () => {
        const { body } = await get<WorkOrderBody>(crew.dispatcher, `/v1/work-orders/${created.body.id}`);
        return body.workflow.state === 'AwaitScheduling' ? body : undefined;
      }, 15_000);
      const original = await get<WorkOrderBody>(crew.dispatcher, `/v1/work-orders/${id}`);
      const listed = await get<{ items: { kind: string; id: string }[] }>(
        crew.technician,
        `/v1/work-orders/${id}/follow-ups`,
      );

      // Assert
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe(`/v1/work-orders/${created.body.id}`);
      expect(created.body).toMatchObject({ kind: 'workOrder', status: 'new' });
      expect(followUp.followUpOf).toBe(id);
      expect(original.body.followUpWorkOrderIds).toEqual([created.body.id]);
      expect(listed.body.items).toEqual([
        expect.objectContaining({ kind: 'workOrder', id: created.body.id }),
      ]);
    });

    it('when the office creates tasks, they are listed on the work order and by due date for the tenant, and leave the list once done', async () => {
      // Arrange
      const tenantCrew = await aCrew(entities);
      const id = await aWorkOrderAt(tenantCrew, 'new');
      const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

      // Act
      const created = await Promise.all(
        [40, 3, 90].map((days) =>
          post<{ id: string; dueDate: string; kind: string }>(
            tenantCrew.dispatcher,
            `/v1/work-orders/${id}/follow-ups`,
            {
              kind: 'task',
              description: `Call back in ${days} days`,
              dueDate: inDays(days),
              assigneeId: tenantCrew.tenant.technicianId,
            },
          ),
        ),
      );
      const dueSoon = await get<{ items: { id: string; dueDate: string }[] }>(
        tenantCrew.dispatcher,
        `/v1/tasks?dueBefore=${inDays(60)}`,
      );
      const soonest = created[1]?.body.id ?? '';
      const done = await post<{ status: string }>(
        tenantCrew.dispatcher,
        `/v1/work-orders/${id}/follow-ups/${soonest}/done`,
      );
      const stillOpen = await get<{ items: { id: string }[] }>(tenantCrew.dispatcher, '/v1/tasks');
      const onWorkOrder = await get<{ items: { kind: string; id: string; status: string }[] }>(
        tenantCrew.dispatcher,
        `/v1/work-orders/${id}/follow-ups`,
      );
      const pastDue = await post<ProblemBody>(tenantCrew.dispatcher, `/v1/work-orders/${id}/follow-ups`, {
        kind: 'task',
        description: 'Too late',
        dueDate: inDays(-3),
      });

      // Assert
      expect(created.map((response) => response.status)).toEqual([201, 201, 201]);
      expect(created[0]?.body).toMatchObject({ kind: 'task', id: expect.stringMatching(/^tsk_/) });
      expect(dueSoon.body.items.map((task) => task.dueDate)).toEqual([inDays(3), inDays(40)]);
      expect(done.body.status).toBe('done');
      expect(stillOpen.body.items.map((task) => task.id)).toEqual([created[0]?.body.id, created[2]?.body.id]);
      expect(onWorkOrder.body.items.map((item) => item.kind)).toEqual(['task', 'task', 'task']);
      expect(pastDue.status).toBe(400);
      expect(pastDue.body.errors?.map((problem) => problem.field)).toEqual(['body.dueDate']);
    });
  });

  describe('photos tagged with their stage', () => {
    it('when a photo is uploaded with a stage and a caption, both are stored and listed; without a stage the request is refused naming body.stage', async () => {
      // Arrange
      const id = await aWorkOrderAt(crew, 'in_progress');

      // Act
      const tagged = await post<UploadBody>(crew.technician, `/v1/work-orders/${id}/photos`, {
        contentType: 'image/png',
        stage: 'during',
        caption: 'Capacitor bulging',
        sizeBytes: 2048,
      });
      const untagged = await post<ProblemBody>(crew.technician, `/v1/work-orders/${id}/photos`, {
        contentType: 'image/png',
        sizeBytes: 2048,
      });

      // Assert
      expect(tagged.status).toBe(201);
      const stored = await entities.workOrderPhoto
        .get({ tenantId: crew.tenant.tenantId, workOrderId: id, photoId: tagged.body.id })
        .go();
      expect(stored.data).toMatchObject({ phase: 'during', caption: 'Capacitor bulging' });
      expect(untagged.status).toBe(400);
      expect(untagged.body.errors?.map((problem) => problem.field)).toEqual(['body.stage']);
      const sent = await upload(tagged.body.upload, aPng(2048));
      expect(sent.status).toBeLessThan(300);
      const listed = await eventually(async () => {
        const { body } = await get<{ items: { id: string; stage: string; caption?: string }[] }>(
          crew.dispatcher,
          `/v1/work-orders/${id}/photos`,
        );
        return body.items.length > 0 ? body.items : undefined;
      });
      expect(listed).toEqual([
        expect.objectContaining({ id: tagged.body.id, stage: 'during', caption: 'Capacitor bulging' }),
      ]);
    });
  });

  describe('who may', () => {
    it('when a technician not assigned to the work order uses any of the field routes, it does not exist for them (404) and nothing is written', async () => {
      // Arrange
      const id = await aWorkOrderAt(crew, 'in_progress');
      // Settled first: the workflow's own record of notifying the technician is written.
      const before = await eventually(async () => {
        const events = await timelineOf(crew.dispatcher, id);
        return events.some((event) => event.action === 'technician_notified') ? events : undefined;
      });
      const other = crew.otherTechnician;
      const base = `/v1/work-orders/${id}`;

      // Act
      const responses = await Promise.all([
        act(other, id, 'pause', { reason: 'Lunch' }),
        act(other, id, 'resume-work'),
        get(other, `${base}/field-status`),
        get(other, `${base}/labor`),
        post(other, `${base}/labor/start`),
        post(other, `${base}/labor/stop`),
        post(other, `${base}/recommendations`, {
          description: 'Add a surge protector',
          urgency: 'low',
          estimatedPrice: 9_000,
        }),
        get(other, `${base}/recommendations`),
        post(other, `${base}/messages`, { text: 'Hello' }),
        get(other, `${base}/messages`),
        get(other, `${base}/follow-ups`),
        post(other, `${base}/photos`, { contentType: 'image/png', stage: 'before', sizeBytes: 2048 }),
      ]);

      // Assert
      expect(responses.map((response) => response.status)).toEqual(responses.map(() => 404));
      expect(await timelineOf(crew.dispatcher, id)).toEqual(before);
    });

    it('when a technician uses an office route, it is refused with 403 even on their own work order', async () => {
      // Arrange
      const id = await aWorkOrderAt(crew, 'in_progress');
      const recommendation = await post<{ id: string }>(
        crew.technician,
        `/v1/work-orders/${id}/recommendations`,
        {
          description: 'Add a surge protector',
          urgency: 'low',
          estimatedPrice: 9_000,
        },
      );

      // Act
      const responses = await Promise.all([
        post(crew.technician, `/v1/work-orders/${id}/recommendations/${recommendation.body.id}/decision`, {
          decision: 'accepted',
        }),
        post(crew.technician, `/v1/work-orders/${id}/follow-ups`, {
          kind: 'task',
          description: 'Call back',
          dueDate: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
        }),
        post(crew.technician, `/v1/work-orders/${id}/follow-ups/tsk_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3/done`),
        get(crew.technician, '/v1/tasks'),
      ]);

      // Assert
      expect(responses.map((response) => response.status)).toEqual([403, 403, 403, 403]);
    });

    it("when the office names another tenant's work order on a new route, it is not found", async () => {
      // Arrange
      const elsewhere = await aCrew(entities);
      const id = await aWorkOrderAt(elsewhere, 'new');

      // Act
      const responses = await Promise.all([
        get(crew.dispatcher, `/v1/work-orders/${id}/messages`),
        post(crew.dispatcher, `/v1/work-orders/${id}/messages`, { text: 'Hello' }),
        get(crew.dispatcher, `/v1/work-orders/${id}/follow-ups`),
      ]);

      // Assert
      expect(responses.map((response) => response.status)).toEqual([404, 404, 404]);
    });
  });
});
