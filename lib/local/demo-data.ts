import { isConditionalCheckFailure } from '../../lambdas/adapters/dynamodb/conditional-check.ts';
import type { Entities } from '../../lambdas/adapters/dynamodb/entities.ts';
import { DynamoPartCatalog } from '../../lambdas/adapters/dynamodb/part-catalog-store.ts';

/** Fixed ids, so that a second start updates the demo records instead of adding copies. */
const demoId = (prefix: string, n: number) => `${prefix}_01JDEM0000000000000000${String(n).padStart(4, '0')}`;

export const demoTenantId = 'ten_demo';
export const otherTenantId = 'ten_harbor';

export const demoIds = {
  technicians: { maria: demoId('tec', 1), dev: demoId('tec', 2), sam: demoId('tec', 3) },
  serviceTypes: {
    acRepair: demoId('svc', 1),
    furnaceTuneUp: demoId('svc', 2),
    drainCleaning: demoId('svc', 3),
    waterHeater: demoId('svc', 4),
    panelUpgrade: demoId('svc', 5),
    pestControl: demoId('svc', 6),
  },
  customers: { alvarez: demoId('cus', 1), chen: demoId('cus', 2), okafor: demoId('cus', 3) },
  locations: {
    alvarezHome: demoId('loc', 1),
    chenHome: demoId('loc', 2),
    chenRental: demoId('loc', 3),
    okaforHome: demoId('loc', 4),
  },
  equipment: { alvarezCondenser: demoId('eqp', 1) },
  parts: {
    capacitor: demoId('prt', 1),
    contactor: demoId('prt', 2),
    refrigerant: demoId('prt', 3),
    pTrap: demoId('prt', 4),
  },
};

/** The same local hours Monday to Friday (weekday numbers, 0 Sunday … 6 Saturday). */
const weekdaysOf = (hours: { start: string; end: string }[]) => ({
  1: hours,
  2: hours,
  3: hours,
  4: hours,
  5: hours,
});

/**
 * The demo tenant: a home-service company in Boston with three technicians, its service
 * catalogue and three customers with their homes; and a second, small tenant to show
 * that tenants never see each other.
 */
export async function loadDemoData(entities: Entities, now = new Date()): Promise<void> {
  const at = now.toISOString();
  const stamp = { createdAt: at, updatedAt: at };
  const t = demoIds;
  const puts: Promise<unknown>[] = [
    entities.tenant
      .put({
        tenantId: demoTenantId,
        name: 'Bright Home Services',
        timeZone: 'America/New_York',
        currency: 'USD',
        country: 'US',
        // Customers are promised a morning or an afternoon; Harbor offers exact times.
        scheduling: {
          arrivalWindows: [
            { start: '08:00', end: '12:00' },
            { start: '12:00', end: '16:00' },
          ],
          slotStepMinutes: 30,
          averageSpeedKmh: 35,
        },
        // Labor by seniority, time and a half out of hours or for emergencies (never both),
        // parts at cost plus markup, Massachusetts sales tax on parts only.
        pricing: {
          levelMultipliersBasisPoints: {
            apprentice: 8_000,
            technician: 10_000,
            senior: 11_500,
            master: 13_000,
          },
          businessHours: {
            ...weekdaysOf([{ start: '08:00', end: '18:00' }]),
            6: [{ start: '09:00', end: '13:00' }],
          },
          afterHoursMultiplierBasisPoints: 15_000,
          emergencyMultiplierBasisPoints: 15_000,
          partsPricing: 'markup',
          partsMarkup: {
            defaultBasisPoints: 4_000,
            byCategory: [{ category: 'refrigerant', basisPoints: 6_000 }],
          },
          taxRatePerMillion: 62_500,
          laborTaxable: false,
          tripChargeTaxable: false,
          paymentTermsDays: 14,
        },
        ...stamp,
      })
      .go(),
    entities.tenant
      .put({
        tenantId: otherTenantId,
        name: 'Harbor Plumbing Co.',
        timeZone: 'America/Los_Angeles',
        currency: 'USD',
        country: 'US',
        ...stamp,
      })
      .go(),
  ];
  // Local times in the tenant's time zone, by weekday (0 Sunday … 6 Saturday).
  const weekdays = weekdaysOf([{ start: '08:00', end: '17:00' }]);
  const technicians = [
    {
      technicianId: t.technicians.maria,
      name: 'Maria Santos',
      phone: '+16175550201',
      skills: ['hvac', 'refrigerant', 'gas'],
      homeBase: { latitude: 42.3601, longitude: -71.0589 },
      workingHours: { ...weekdays, 6: [{ start: '09:00', end: '13:00' }] },
      costRatePerHour: 4800,
      level: 'master' as const,
    },
    {
      technicianId: t.technicians.dev,
      name: 'Dev Patel',
      phone: '+16175550202',
      skills: ['plumbing', 'gas', 'water_heater'],
      homeBase: { latitude: 42.3736, longitude: -71.1097 },
      workingHours: weekdays,
      costRatePerHour: 4500,
      level: 'senior' as const,
    },
    {
      technicianId: t.technicians.sam,
      name: 'Sam Okafor',
      email: 'sam.okafor@brighthome.example',
      skills: ['electrical', 'pest_control'],
      homeBase: { latitude: 42.3398, longitude: -71.0892 },
      workingHours: weekdays,
      costRatePerHour: 4200,
      level: 'technician' as const,
    },
  ];
  for (const technician of technicians) {
    puts.push(entities.technician.put({ tenantId: demoTenantId, ...technician, ...stamp }).go());
  }
  const serviceTypes = [
    {
      serviceTypeId: t.serviceTypes.acRepair,
      laborRatePerHour: 14500,
      tripCharge: 8900,
      name: 'AC repair',
      trade: 'hvac',
      keywords: ['ac', 'air conditioner', 'cooling', 'warm air', 'compressor'],
      requiredSkills: ['hvac', 'refrigerant'],
      estimatedMinutes: 120,
      flatFees: [{ name: 'Refrigerant leak test', amount: 9500 }],
      checklist: [
        'Check thermostat settings',
        'Inspect filter',
        'Measure refrigerant pressures',
        'Test capacitor and contactor',
      ],
    },
    {
      serviceTypeId: t.serviceTypes.furnaceTuneUp,
      laborRatePerHour: 12500,
      tripCharge: 8900,
      name: 'Furnace tune-up',
      trade: 'hvac',
      keywords: ['furnace', 'heat', 'tune-up', 'filter'],
      requiredSkills: ['hvac', 'gas'],
      estimatedMinutes: 90,
      flatFees: [{ name: 'Tune-up flat rate', amount: 12900 }],
      checklist: [
        'Replace filter',
        'Test igniter and flame sensor',
        'Check heat exchanger for cracks',
        'Test for carbon monoxide',
      ],
    },
    {
      serviceTypeId: t.serviceTypes.drainCleaning,
      laborRatePerHour: 11000,
      tripCharge: 6900,
      name: 'Drain cleaning',
      trade: 'plumbing',
      keywords: ['drain', 'clog', 'slow', 'sink', 'backup'],
      requiredSkills: ['plumbing'],
      estimatedMinutes: 60,
      flatFees: [{ name: 'Drain camera inspection', amount: 14900 }],
      checklist: ['Locate the clog', 'Snake or jet the line', 'Run water to confirm flow'],
    },
    {
      serviceTypeId: t.serviceTypes.waterHeater,
      laborRatePerHour: 13500,
      tripCharge: 8900,
      name: 'Water heater replacement',
      trade: 'plumbing',
      keywords: ['water heater', 'no hot water', 'leak', 'tank'],
      requiredSkills: ['plumbing', 'water_heater'],
      estimatedMinutes: 240,
      flatFees: [
        { name: 'Haul-away of old tank', amount: 7500 },
        { name: 'Permit', amount: 5000 },
      ],
      checklist: [
        'Shut off gas or power and water',
        'Drain and remove old tank',
        'Install and leak-test',
        'Check temperature and relief valve',
      ],
    },
    {
      serviceTypeId: t.serviceTypes.panelUpgrade,
      laborRatePerHour: 16000,
      tripCharge: 9900,
      name: 'Electrical panel upgrade',
      trade: 'electrical',
      keywords: ['panel', 'breaker', 'tripping', 'outlet'],
      requiredSkills: ['electrical'],
      estimatedMinutes: 360,
      flatFees: [{ name: 'Permit and inspection', amount: 25000 }],
      checklist: ['Shut off service', 'Replace panel and breakers', 'Label circuits', 'Schedule inspection'],
    },
    {
      serviceTypeId: t.serviceTypes.pestControl,
      laborRatePerHour: 9000,
      tripCharge: 0,
      name: 'Quarterly pest control',
      trade: 'pest_control',
      keywords: ['ants', 'mice', 'roaches', 'pest'],
      requiredSkills: ['pest_control'],
      estimatedMinutes: 45,
      flatFees: [],
      checklist: ['Inspect entry points', 'Treat perimeter', 'Set and check bait stations'],
    },
  ] as const;
  for (const serviceType of serviceTypes) {
    puts.push(
      entities.serviceType
        .put({
          tenantId: demoTenantId,
          ...serviceType,
          keywords: [...serviceType.keywords],
          requiredSkills: [...serviceType.requiredSkills],
          flatFees: serviceType.flatFees.map((fee) => ({ ...fee })),
          checklist: [...serviceType.checklist],
          ...stamp,
        })
        .go(),
    );
  }
  const customers = [
    {
      customerId: t.customers.alvarez,
      name: 'Lucia Alvarez',
      nameKey: 'lucia alvarez',
      phone: '+16175550101',
      email: 'lucia.alvarez@example.com',
    },
    {
      customerId: t.customers.chen,
      name: 'Wei Chen',
      nameKey: 'wei chen',
      phone: '+16175550102',
      email: 'wei.chen@example.com',
    },
    { customerId: t.customers.okafor, name: 'Ngozi Okafor', nameKey: 'ngozi okafor', phone: '+16175550103' },
  ];
  for (const customer of customers) {
    puts.push(entities.customer.put({ tenantId: demoTenantId, ...customer, ...stamp }).go());
    // The uniqueness items the API keeps for every customer's phone and email (lookups read them).
    const contacts = [
      ['phone', customer.phone],
      ['email', customer.email],
    ] as const;
    for (const [kind, value] of contacts) {
      if (!value) continue;
      puts.push(
        entities.customerContact
          .put({ tenantId: demoTenantId, kind, value, customerId: customer.customerId, createdAt: at })
          .go(),
      );
    }
  }
  const address = (line1: string, postalCode: string) => ({
    line1,
    city: 'Boston',
    region: 'MA',
    postalCode,
    country: 'US',
  });
  const locations = [
    {
      locationId: t.locations.alvarezHome,
      customerId: t.customers.alvarez,
      address: address('12 Beacon St', '02108'),
      latitude: 42.3581,
      longitude: -71.0636,
      accessNotes: 'Side door; friendly dog in the yard',
    },
    {
      locationId: t.locations.chenHome,
      customerId: t.customers.chen,
      address: address('240 Marlborough St', '02116'),
      latitude: 42.3509,
      longitude: -71.0818,
      accessNotes: 'Gate code 4512',
    },
    {
      locationId: t.locations.chenRental,
      customerId: t.customers.chen,
      address: address('88 Dorchester Ave', '02127'),
      latitude: 42.3372,
      longitude: -71.0561,
    },
    {
      locationId: t.locations.okaforHome,
      customerId: t.customers.okafor,
      address: address('5 Centre St', '02119'),
      latitude: 42.3246,
      longitude: -71.095,
      accessNotes: 'Call on arrival',
    },
  ];
  for (const location of locations) {
    puts.push(entities.location.put({ tenantId: demoTenantId, ...location, ...stamp }).go());
  }
  // The Alvarez AC condenser, installed last spring with a ten-year parts warranty: covered.
  const installedOn = `${now.getUTCFullYear() - 1}-04-15`;
  puts.push(
    entities.equipment
      .put({
        tenantId: demoTenantId,
        locationId: t.locations.alvarezHome,
        equipmentId: t.equipment.alvarezCondenser,
        customerId: t.customers.alvarez,
        type: 'AC condenser',
        make: 'Carrier',
        modelName: '24ACC636A003',
        serialNumber: '4519E12345',
        installedOn,
        warrantyMonths: 120,
        ...stamp,
      })
      .go(),
  );
  // The parts catalogue, through its store (each SKU's uniqueness item with it); an existing part stays.
  const catalogue = new DynamoPartCatalog(entities);
  const parts = [
    {
      partId: t.parts.capacitor,
      sku: 'CAP-45-5',
      name: 'Run capacitor 45/5 µF',
      category: 'hvac electrical',
      supplier: 'Coastal HVAC Supply',
      unit: 'each',
      unitCost: 1250,
      unitPrice: 3900,
    },
    {
      partId: t.parts.contactor,
      sku: 'CONT-2P-30A',
      name: 'Contactor 2-pole 30 A',
      category: 'hvac electrical',
      supplier: 'Coastal HVAC Supply',
      unit: 'each',
      unitCost: 1800,
      unitPrice: 5400,
    },
    {
      partId: t.parts.refrigerant,
      sku: 'R410A-LB',
      name: 'Refrigerant R-410A',
      category: 'refrigerant',
      supplier: 'Refrigerant Depot',
      unit: 'lb',
      unitCost: 1100,
      unitPrice: 4500,
    },
    {
      partId: t.parts.pTrap,
      sku: 'TRAP-P-150',
      name: 'P-trap 1-1/2 in',
      category: 'plumbing',
      supplier: 'Harbor Plumbing Wholesale',
      unit: 'each',
      unitCost: 450,
      unitPrice: 1500,
    },
  ] as const;
  for (const part of parts) {
    puts.push(
      catalogue.create({
        tenantId: demoTenantId,
        ...part,
        taxable: true,
        active: true,
        version: 1,
        ...stamp,
      }),
    );
  }
  // Stock in the main warehouse and on the trucks, with reorder points: [part, location, on hand,
  // reorder point, reorder quantity]. Written once: what the demo has used since stays.
  const truck = (technicianId: string) => `truck:${technicianId}`;
  const stock = [
    [t.parts.capacitor, 'warehouse:main', 24, 8, 24],
    [t.parts.capacitor, truck(t.technicians.maria), 4, 1, 4],
    [t.parts.capacitor, truck(t.technicians.dev), 3, 1, 4],
    [t.parts.contactor, 'warehouse:main', 10, 4, 12],
    [t.parts.contactor, truck(t.technicians.maria), 2, 1, 2],
    [t.parts.refrigerant, 'warehouse:main', 50, 20, 50],
    [t.parts.refrigerant, truck(t.technicians.maria), 10, 3, 10],
    [t.parts.refrigerant, truck(t.technicians.dev), 8, 3, 10],
    [t.parts.pTrap, 'warehouse:main', 30, 10, 24],
    [t.parts.pTrap, truck(t.technicians.sam), 6, 2, 6],
  ] as const;
  for (const [partId, locationId, onHand, reorderPoint, reorderQuantity] of stock) {
    puts.push(
      entities.stockLevel
        .create({
          tenantId: demoTenantId,
          partId,
          locationId,
          onHand,
          reorderPoint,
          reorderQuantity,
          ...stamp,
        })
        .go()
        .catch((error: unknown) => {
          if (!isConditionalCheckFailure(error)) throw error;
        }),
    );
  }
  await Promise.all(puts);
}
