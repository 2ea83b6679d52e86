import { describe, expect, it } from 'vitest';
import { aCrew } from '../helpers/crew.ts';
import {
  aJobInProgress,
  aPart,
  openOrders,
  type Page,
  reorderAt,
  setNegativeStock,
  stockOf,
  stockUp,
  truckOf,
  useParts,
} from '../helpers/inventory.ts';
import { api, tableEntities } from '../helpers/local-platform.ts';

const entities = tableEntities();

/** Two jobs in progress for the crew's technician, and a part with one unit left on their truck. */
async function theLastUnit(rule: 'refuse' | 'flag') {
  const crew = await aCrew(entities);
  await setNegativeStock(crew, rule);
  const partId = await aPart(crew, { sku: 'CAP-LAST' });
  const truck = truckOf(crew.tenant.technicianId);
  await stockUp(crew, partId, truck, 1);
  const jobs = [await aJobInProgress(crew), await aJobInProgress(crew)];
  return { crew, partId, truck, jobs };
}

describe('stock under concurrent requests (DynamoDB Local)', () => {
  it('when two jobs use the last unit at once under the refuse rule, one is recorded and the other answers 409 with nothing on hand', async () => {
    // Arrange
    const { crew, partId, truck, jobs } = await theLastUnit('refuse');

    // Act
    const responses = await Promise.all(
      jobs.map((workOrderId) => useParts(crew.technician, workOrderId, { partId, quantity: 1 })),
    );

    // Assert
    expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
    const refused = responses.find((response) => response.status === 409);
    expect(refused?.body).toMatchObject({ partId, locationId: truck, onHand: 0, requested: 1 });
    expect(await stockOf(crew, partId, truck)).toMatchObject({ onHand: 0, negative: false });
    const recorded = await Promise.all(
      jobs.map((workOrderId) =>
        entities.partUsage.query.byWorkOrder({ tenantId: crew.tenant.tenantId, workOrderId }).go(),
      ),
    );
    expect(recorded.flatMap((result) => result.data)).toHaveLength(1);
  });

  it('when two jobs use the last unit at once under the flag rule, both are recorded and the truck shows one below zero', async () => {
    // Arrange
    const { crew, partId, truck, jobs } = await theLastUnit('flag');

    // Act
    const responses = await Promise.all(
      jobs.map((workOrderId) => useParts(crew.technician, workOrderId, { partId, quantity: 1 })),
    );

    // Assert
    expect(responses.map((response) => response.status)).toEqual([201, 201]);
    expect(await stockOf(crew, partId, truck)).toMatchObject({ onHand: -1, negative: true });
    const movements = await api<Page<{ kind: string }>>(
      'GET',
      `/v1/inventory/movements?partId=${partId}&locationId=${truck}`,
      { token: crew.dispatcher },
    );
    expect(movements.body.items.map((movement) => movement.kind)).toEqual(['use', 'use', 'receipt']);
  });

  it('when ten uses cross one reorder point at once, exactly one alert and one purchase order line come of it', async () => {
    // Arrange
    const crew = await aCrew(entities);
    const partId = await aPart(crew, { sku: 'FLT-RUSH', supplier: 'Filter Depot' });
    const truck = truckOf(crew.tenant.technicianId);
    await stockUp(crew, partId, truck, 12);
    await reorderAt(crew, partId, truck, 5, 24);
    const workOrderId = await aJobInProgress(crew);

    // Act
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => useParts(crew.technician, workOrderId, { partId, quantity: 1 })),
    );

    // Assert
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(201));
    expect((await stockOf(crew, partId, truck))?.onHand).toBe(2);
    const alerts = await api<Page<{ partId: string }>>('GET', '/v1/inventory/alerts', {
      token: crew.dispatcher,
    });
    expect(alerts.body.items).toHaveLength(1);
    const orders = await openOrders(crew);
    expect(orders.map((order) => order.lines.map((line) => [line.partId, line.quantity]))).toEqual([
      [[partId, 24]],
    ]);
  });

  it('when parts of one supplier cross their points at once with no draft yet, one purchase order holds a line for each', async () => {
    // Arrange
    const crew = await aCrew(entities);
    const truck = truckOf(crew.tenant.technicianId);
    const partIds = await Promise.all(
      ['A', 'B', 'C', 'D'].map((letter) =>
        aPart(crew, { sku: `SUP-${letter}`, supplier: 'Coastal HVAC Supply' }),
      ),
    );
    for (const partId of partIds) {
      await stockUp(crew, partId, truck, 3);
      await reorderAt(crew, partId, truck, 1, 6);
    }
    const workOrderId = await aJobInProgress(crew);

    // Act
    const responses = await Promise.all(
      partIds.map((partId) => useParts(crew.technician, workOrderId, { partId, quantity: 2 })),
    );

    // Assert
    expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 201]);
    const orders = await openOrders(crew);
    expect(orders).toHaveLength(1);
    expect(orders[0]?.lines.map((line) => line.partId).sort()).toEqual([...partIds].sort());
    const onOrder = await Promise.all(
      partIds.map((partId) => entities.partOnOrder.get({ tenantId: crew.tenant.tenantId, partId }).go()),
    );
    expect(onOrder.map((item) => item.data?.purchaseOrderId)).toEqual(partIds.map(() => orders[0]?.id));
  });
});
