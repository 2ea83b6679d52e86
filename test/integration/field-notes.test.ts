import { beforeAll, describe, expect, it } from 'vitest';
import { aTenant, aWorkOrderRequest, type TenantFixture } from '../fixtures/tenants.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

interface NoteBody {
  id: string;
  text: string;
  authorRole: string;
  at: string;
}

describe('notes written from the office and the field at once', () => {
  let tenant: TenantFixture;
  let office: string;
  let technician: string;
  let otherTechnician: string;
  let workOrderId: string;

  beforeAll(async () => {
    tenant = await aTenant(entities);
    [office, technician, otherTechnician] = await Promise.all([
      tokenFor('dispatcher', tenant.tenantId),
      tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId }),
      tokenFor('technician', tenant.tenantId, { technicianId: tenant.unqualifiedTechnicianId }),
    ]);
    workOrderId = (
      await api<{ id: string }>('POST', '/v1/work-orders', { token: office, body: aWorkOrderRequest(tenant) })
    ).body.id;
    const start = new Date(Date.now() + 2 * 86_400_000);
    start.setUTCHours(16, 0, 0, 0);
    await api('POST', `/v1/work-orders/${workOrderId}/schedule`, {
      token: office,
      body: { start: start.toISOString(), technicianId: tenant.technicianId },
    });
    await api('POST', `/v1/work-orders/${workOrderId}/dispatch`, { token: office, body: {} });
  });

  it('when 30 notes arrive at once from the office and the technician, all 30 are kept, in time order, and counted', async () => {
    const writes = Array.from({ length: 30 }, (_, index) =>
      api<NoteBody>('POST', `/v1/work-orders/${workOrderId}/notes`, {
        token: index % 2 === 0 ? office : technician,
        body: { text: `note ${index}` },
      }),
    );

    const answers = await Promise.all(writes);
    const notes = (
      await api<{ items: NoteBody[] }>('GET', `/v1/work-orders/${workOrderId}/notes`, { token: office })
    ).body.items;
    const workOrder = await api<{ noteCount: number }>('GET', `/v1/work-orders/${workOrderId}`, {
      token: office,
    });

    expect(answers.map((answer) => answer.status)).toEqual(Array(30).fill(201));
    expect(notes).toHaveLength(30);
    expect(new Set(notes.map((note) => note.text))).toEqual(
      new Set(answers.map((answer) => answer.body.text)),
    );
    const times = notes.map((note) => note.at);
    expect(times).toEqual([...times].sort());
    expect(notes.filter((note) => note.authorRole === 'technician')).toHaveLength(15);
    expect(workOrder.body.noteCount).toBe(30);
  });

  it('when a technician not assigned to the work order reads or writes its notes, it does not exist for them', async () => {
    const read = await api('GET', `/v1/work-orders/${workOrderId}/notes`, { token: otherTechnician });
    const write = await api('POST', `/v1/work-orders/${workOrderId}/notes`, {
      token: otherTechnician,
      body: { text: 'was here' },
    });

    expect([read.status, write.status]).toEqual([404, 404]);
  });
});
