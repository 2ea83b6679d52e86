import { crc32, deflateSync } from 'node:zlib';
import { ulid } from 'ulid';
import { extractText, getDocumentProxy } from 'unpdf';
import { beforeAll, describe, expect, it } from 'vitest';
import { aTenant, aWorkOrderRequest, type TenantFixture } from '../fixtures/tenants.ts';
import { api, eventually, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

interface WorkOrderBody {
  id: string;
  status: string;
  summary?: string;
  signature?: { signerName: string; signedAt: string; summaryHash?: string; changedSinceSigned?: boolean };
  workflow: { state: string };
}

interface SummaryBody {
  summary: {
    workOrderId: string;
    customer: { name: string };
    problem: string;
    technician?: { name: string };
    notes: { text: string }[];
    parts: { sku: string; name: string; quantity: number; unitPrice: number; lineTotal: number }[];
    labor: { name: string; minutes: number }[];
    laborMinutes: number;
  };
  summaryHash: string;
  signedSummaryHash?: string;
  changedSinceSigned?: boolean;
}

interface ProblemBody {
  status: number;
  errors?: { field: string; message: string }[];
  currentSummaryHash?: string;
}

interface UploadBody {
  imageKey: string;
  upload: { url: string; fields: Record<string, string>; maxBytes: number };
}

/** A visit slot no other work order of this file has: from tomorrow 13:00Z (07:00/08:00 in Chicago), two hours apart. */
const aFreeSlot = (() => {
  const tomorrowMorning = new Date(Date.now() + 24 * 60 * 60 * 1000).setUTCHours(13, 0, 0, 0);
  let taken = 0;
  return () => new Date(tomorrowMorning + 2 * 60 * 60 * 1000 * taken++).toISOString();
})();

const strokes = [
  [
    [12, 60],
    [30, 14],
    [52, 58],
    [75, 18],
    [98, 55],
  ],
  [
    [110, 40],
    [180, 38],
  ],
];

/** A valid 2×1 PNG, built chunk by chunk. */
function aPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const checksum = Buffer.alloc(4);
    checksum.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, checksum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 20, 20, 20, 0, 0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Sends the presigned form as a browser would: its fields in order, then the file. */
async function upload(form: UploadBody['upload'], bytes: Buffer) {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append('file', new Blob([bytes], { type: form.fields['Content-Type'] }), 'signature.png');
  return fetch(form.url, { method: 'POST', body });
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  const document = await getDocumentProxy(bytes);
  return (await extractText(document, { mergePages: true })).text.replace(/ +/g, ' ');
}

describe('sign-off through the API (local platform)', () => {
  let tenant: TenantFixture;
  let dispatcher: string;
  let technician: string;
  let otherTechnician: string;

  const act = <T = WorkOrderBody>(token: string, id: string, verb: string, body: unknown = {}) =>
    api<T>('POST', `/v1/work-orders/${id}/${verb}`, { token, body });
  const summaryOf = (id: string, token = technician) =>
    api<SummaryBody>('GET', `/v1/work-orders/${id}/summary`, { token });
  /** The report link once the workflow has written the report; fails if the workflow stops elsewhere. */
  const reportOf = (id: string) =>
    eventually(async () => {
      const link = await api<{ url: string; expiresAt: string }>(
        'GET',
        `/v1/work-orders/${id}/completion-report`,
        { token: technician },
      );
      if (link.status === 200) return link.body;
      const { body } = await api<WorkOrderBody>('GET', `/v1/work-orders/${id}`, { token: dispatcher });
      if (body.workflow.state === 'NeedsAttention') throw new Error(`${id} needs attention`);
      return undefined;
    }, 20_000);

  /** A work order taken through the API to in_progress, with two notes, 90 minutes of labor and a part. */
  async function aJobInProgress(): Promise<string> {
    const created = await api<WorkOrderBody>('POST', '/v1/work-orders', {
      token: dispatcher,
      body: aWorkOrderRequest(tenant),
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const steps: [string, string, unknown][] = [
      [dispatcher, 'schedule', { start: aFreeSlot() }],
      [dispatcher, 'dispatch', { technicianId: tenant.technicianId }],
      [technician, 'field-status', { status: 'en_route' }],
      [technician, 'field-status', { status: 'arrived' }],
      [technician, 'field-status', { status: 'in_progress' }],
      [technician, 'notes', { text: 'Run capacitor swollen; condenser fan not starting' }],
      [technician, 'notes', { text: 'Replaced the capacitor; cooling restored, supply air 54F' }],
      [technician, 'labor', { minutes: 90 }],
    ];
    for (const [token, verb, body] of steps) {
      const response = await act(token, id, verb, body);
      expect(response.status, `${verb} ${JSON.stringify(body)}`).toBeLessThan(300);
    }
    // The part as the parts API records it: cost and price captured at use.
    await entities.partUsage
      .put({
        tenantId: tenant.tenantId,
        workOrderId: id,
        usageId: `use_${ulid()}`,
        partId: `prt_${ulid()}`,
        sku: 'CAP-455',
        name: 'Run capacitor 45/5',
        quantity: 2,
        unitCost: 900,
        unitPrice: 1850,
        taxable: true,
        technicianId: tenant.technicianId,
        recordedBy: 'test',
        at: new Date().toISOString(),
      })
      .go();
    return id;
  }

  beforeAll(async () => {
    tenant = await aTenant(entities);
    [dispatcher, technician, otherTechnician] = await Promise.all([
      tokenFor('dispatcher', tenant.tenantId),
      tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId }),
      tokenFor('technician', tenant.tenantId, { technicianId: tenant.unqualifiedTechnicianId }),
    ]);
  });

  it('when the customer signs the summary with strokes, the report PDF holds the work and the signer, and a later note shows as changed since signed', async () => {
    // Arrange: the work recorded and the summary shown
    const id = await aJobInProgress();
    const shown = await summaryOf(id);
    expect(shown.status).toBe(200);
    expect(shown.body.summary).toMatchObject({
      workOrderId: id,
      customer: { name: 'Pat Doe' },
      technician: { name: 'Alex Rivera' },
      notes: [
        { text: 'Run capacitor swollen; condenser fan not starting' },
        { text: 'Replaced the capacitor; cooling restored, supply air 54F' },
      ],
      parts: [{ sku: 'CAP-455', quantity: 2, unitPrice: 1850, lineTotal: 3700 }],
      labor: [{ name: 'Alex Rivera', minutes: 90 }],
    });
    expect(shown.body.summaryHash).toMatch(/^[0-9a-f]{64}$/);
    expect(shown.body).not.toHaveProperty('changedSinceSigned');

    // Act: the customer signs what they were shown
    const completed = await act(technician, id, 'complete', {
      signature: { signerName: 'Pat Doe', summaryHash: shown.body.summaryHash, strokes },
    });

    // Assert: signed with the hash, and the workflow's report holds the work
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({
      status: 'completed',
      signature: { signerName: 'Pat Doe', summaryHash: shown.body.summaryHash },
    });
    const link = await reportOf(id);
    const download = await fetch(link.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    const text = await pdfText(new Uint8Array(await download.arrayBuffer()));
    for (const expected of [
      `Work order ${id}`,
      'Customer: Pat Doe',
      'Address: 1 Main St, Springfield 01101',
      'AC is blowing warm air upstairs',
      'Run capacitor swollen; condenser fan not starting',
      'Replaced the capacitor; cooling restored, supply air 54F',
      'Run capacitor 45/5 (CAP-455) 2 $18.50 $37.00',
      'Alex Rivera: 1 h 30 min',
      'Signed by Pat Doe at',
      shown.body.summaryHash,
    ]) {
      expect(text).toContain(expected);
    }
    const compiled = await api<WorkOrderBody>('GET', `/v1/work-orders/${id}`, { token: dispatcher });
    expect(compiled.body.summary).toContain(`Summary hash: ${shown.body.summaryHash}`);
    expect(compiled.body.signature?.changedSinceSigned).toBe(false);

    // Act: a note after completion
    const lateNote = await act(dispatcher, id, 'notes', {
      text: 'Customer called: the upstairs is cool now',
    });

    // Assert: the summary and the work order tell the work changed since it was signed
    expect(lateNote.status).toBe(201);
    const after = await summaryOf(id);
    expect(after.body).toMatchObject({
      signedSummaryHash: shown.body.summaryHash,
      changedSinceSigned: true,
    });
    expect(after.body.summaryHash).not.toBe(shown.body.summaryHash);
    const view = await api<WorkOrderBody>('GET', `/v1/work-orders/${id}`, { token: technician });
    expect(view.body.signature).toMatchObject({
      summaryHash: shown.body.summaryHash,
      changedSinceSigned: true,
    });
  });

  it('when the work changed after the summary was shown, the completion is refused with 409 naming the hash, and the current hash signs', async () => {
    // Arrange
    const id = await aJobInProgress();
    const shown = await summaryOf(id);
    await act(technician, id, 'labor', { minutes: 15 });

    // Act
    const refused = await act<ProblemBody>(technician, id, 'complete', {
      signature: { signerName: 'Pat Doe', summaryHash: shown.body.summaryHash, strokes },
    });
    const current = await summaryOf(id);
    const signed = await act(technician, id, 'complete', {
      signature: { signerName: 'Pat Doe', summaryHash: current.body.summaryHash, strokes },
    });

    // Assert
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body.errors?.map((error) => error.field)).toEqual(['body.signature.summaryHash']);
    expect(refused.body.currentSummaryHash).toBe(current.body.summaryHash);
    expect(current.body.summary.laborMinutes).toBe(105);
    expect(signed.status).toBe(200);
    expect(signed.body.status).toBe('completed');
  });

  it('when the customer signs on an uploaded PNG, the report embeds it; a file that is not a PNG is refused', async () => {
    // Arrange
    const id = await aJobInProgress();
    const notPng = await act<UploadBody>(technician, id, 'signature-upload');
    const png = await act<UploadBody>(technician, id, 'signature-upload');
    expect([notPng.status, png.status]).toEqual([201, 201]);
    expect(png.body.imageKey).toMatch(
      new RegExp(`^tenants/${tenant.tenantId}/work-orders/${id}/signatures/sig_[0-9A-Z]{26}\\.png$`),
    );
    expect(png.body.upload).toMatchObject({ maxBytes: 256 * 1024, fields: { 'Content-Type': 'image/png' } });
    expect((await upload(notPng.body.upload, Buffer.from('GIF89a not a png at all'))).status).toBeLessThan(
      300,
    );
    expect((await upload(png.body.upload, aPng())).status).toBeLessThan(300);
    const { summaryHash } = (await summaryOf(id)).body;

    // Act
    const refused = await act<ProblemBody>(technician, id, 'complete', {
      signature: { signerName: 'Pat Doe', summaryHash, imageKey: notPng.body.imageKey },
    });
    const signed = await act(technician, id, 'complete', {
      signature: { signerName: 'Pat Doe', summaryHash, imageKey: png.body.imageKey },
    });

    // Assert
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.map((error) => error.field)).toEqual(['body.signature.imageKey']);
    expect(signed.status).toBe(200);
    const link = await reportOf(id);
    const bytes = new Uint8Array(await (await fetch(link.url)).arrayBuffer());
    expect(Buffer.from(bytes).toString('latin1')).toMatch(/\/Subtype\s*\/Image/);
    expect(await pdfText(bytes)).toContain('Signed by Pat Doe at');
  });

  it('when another technician asks for the summary, the report or an upload form, the work order does not exist for them', async () => {
    // Arrange
    const id = await aJobInProgress();

    // Act
    const responses = await Promise.all([
      api('GET', `/v1/work-orders/${id}/summary`, { token: otherTechnician }),
      api('GET', `/v1/work-orders/${id}/completion-report`, { token: otherTechnician }),
      act(otherTechnician, id, 'signature-upload'),
    ]);
    const notYet = await api('GET', `/v1/work-orders/${id}/completion-report`, { token: dispatcher });

    // Assert
    expect(responses.map((response) => response.status)).toEqual([404, 404, 404]);
    expect(notYet.status).toBe(409);
  });
});
