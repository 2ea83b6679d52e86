import type { BlobStore } from '../../ports/blob-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { PhotoStore } from '../../ports/photo-store.ts';
import type { TechnicianDetails, WorkOrderStore } from '../../ports/work-order-store.ts';
import type { Address, Customer, Equipment, ServiceLocation, Tenant } from '../customers/customer.ts';
import type { CustomerDirectory } from '../customers/customer-directory.ts';
import type { Actor } from '../shared/actor.ts';
import { type ArrivalWindow, arrivalWindow } from '../work-orders/arrival-window.ts';
import { downloadUrlSeconds, type PhotoWithDownload, type WorkOrderPhoto } from '../work-orders/photos.ts';
import { getWorkOrder } from '../work-orders/queries.ts';
import { localDay, type WarrantyCoverage, warrantyCoverage } from '../work-orders/warranty.ts';
import type { WorkOrder, WorkOrderStatus } from '../work-orders/work-order.ts';

/** The work orders of a service location, read by the location's index. */
export interface LocationHistory {
  /**
   * The work orders at the location created before `before` (by creation time, then id),
   * newest first, at most `limit`.
   */
  workOrdersBefore(
    tenantId: string,
    locationId: string,
    before: Pick<WorkOrder, 'createdAt' | 'workOrderId'>,
    limit: number,
  ): Promise<WorkOrder[]>;
}

export interface DispatchPackageSources {
  workOrders: Pick<WorkOrderStore, 'get' | 'notes'>;
  directory: Pick<
    CustomerDirectory,
    | 'getTenant'
    | 'getCustomer'
    | 'getLocation'
    | 'getServiceType'
    | 'getTechnician'
    | 'equipmentAt'
    | 'getEquipment'
  >;
  locationHistory: LocationHistory;
  photos: Pick<PhotoStore, 'listUploaded'>;
  clock: Clock;
}

/** How much of the location's past a package carries: enough to prepare, bounded in reads. */
export const dispatchPackageLimits = {
  /** Earlier work orders at the location read (one Query); the equipment histories come from them. */
  earlierWorkOrdersRead: 50,
  /** Service history entries per piece of equipment, newest first. */
  serviceHistoryPerEquipment: 10,
  /** The most recent earlier work orders with notes whose notes come along. */
  earlierWorkOrdersWithNotes: 5,
  /** The most recent earlier work orders whose photos come along, and how many photos at most. */
  earlierWorkOrdersWithPhotos: 5,
  earlierPhotos: 10,
  /** Equipment listed at the location (one page of one Query). */
  equipment: 50,
} as const;

/** Photo links in a package last as long as those of the photo list; reading it again renews them. */
export const packagePhotoLinkSeconds = downloadUrlSeconds;

export interface PackageTechnician {
  technicianId: string;
  name?: string;
}

/** One earlier work order on a piece of equipment. */
export interface ServiceHistoryEntry {
  workOrderId: string;
  /** When the job was done, else when it was booked, else when it was taken. */
  date: string;
  status: WorkOrderStatus;
  description: string;
  /** The outcome: the completion summary, or why it was cancelled. */
  summary?: string;
  technician?: PackageTechnician;
}

export interface PackageEquipment {
  equipment: Equipment;
  /** The equipment this work order is about (listed first). */
  isSubject: boolean;
  /** Coverage on the day of the visit (today when not booked), in the tenant's time zone. */
  warranty: WarrantyCoverage & { on: string };
  serviceHistory: ServiceHistoryEntry[];
}

export interface EarlierNote {
  workOrderId: string;
  noteId: string;
  text: string;
  at: string;
  authorId: string;
  authorRole: string;
  /** The technician that work order was assigned to. */
  technician?: PackageTechnician;
}

export interface Directions {
  /** Google Maps directions to the coordinates when known, else to the address. */
  url: string;
  destination: string;
}

/** Everything a technician needs for one job, assembled from the one record. */
export interface DispatchPackage<Photo = WorkOrderPhoto> {
  workOrder: WorkOrder;
  tenant: Tenant;
  serviceType?: { serviceTypeId: string; name: string };
  arrivalWindow?: ArrivalWindow;
  technician?: TechnicianDetails;
  customer?: Customer;
  location?: ServiceLocation;
  /** The address on one line, as the technician reads it and maps look it up. */
  address?: string;
  directions?: Directions;
  equipment: PackageEquipment[];
  earlierNotes: EarlierNote[];
  /** This work order's photos, oldest first. */
  photos: Photo[];
  /** Photos of the most recent earlier work orders at the location, newest first. */
  earlierPhotos: Photo[];
  assembledAt: string;
}

/** The address on one line: `12 Elm Street, Apt 2, Boston, MA 02118`. */
export function formatAddress(address: Address): string {
  const town = [address.city, address.region].filter(Boolean).join(', ');
  return [address.line1, address.line2, `${town} ${address.postalCode}`].filter(Boolean).join(', ');
}

/** Directions to the coordinates when both are known, else to the address. */
export function directionsTo(location: ServiceLocation): Directions {
  const base = 'https://www.google.com/maps/dir/?api=1&destination=';
  if (location.latitude !== undefined && location.longitude !== undefined) {
    const destination = `${location.latitude},${location.longitude}`;
    return { url: `${base}${destination}`, destination };
  }
  const destination = formatAddress(location.address);
  return { url: `${base}${encodeURIComponent(destination)}`, destination };
}

/** Where the package of a work order is read. */
export const dispatchPackagePath = (workOrderId: string): string =>
  `/v1/work-orders/${workOrderId}/dispatch-package`;

/**
 * The dispatch package of a work order, without photo links (the workflow's message needs none).
 * 1. Reads, at once: the customer, the location, the service type, the assigned technician,
 *    the location's equipment (one page), its earlier work orders (one Query, bounded) and this
 *    job's photos.
 * 2. Lists the equipment, the work order's own first, each with its warranty on the visit day
 *    and the earlier work orders that named it.
 * 3. Reads the notes of the most recent earlier work orders that have notes, and the photos of
 *    the most recent earlier work orders, both bounded.
 * 4. Names the technicians of that history (one GetItem per distinct technician).
 */
export async function assembleDispatchPackage(
  sources: DispatchPackageSources,
  tenant: Tenant,
  workOrder: WorkOrder,
): Promise<DispatchPackage> {
  const { directory, workOrders, locationHistory, photos, clock } = sources;
  const limits = dispatchPackageLimits;
  const { tenantId, locationId } = workOrder;
  const now = clock.now();
  const [customer, location, serviceType, technician, equipment, earlier, ownPhotos] = await Promise.all([
    directory.getCustomer(tenantId, workOrder.customerId),
    locationId ? directory.getLocation(tenantId, locationId) : undefined,
    workOrder.serviceTypeId ? directory.getServiceType(tenantId, workOrder.serviceTypeId) : undefined,
    workOrder.technicianId ? directory.getTechnician(tenantId, workOrder.technicianId) : undefined,
    locationId ? equipmentAt(directory, tenantId, locationId, workOrder.equipmentId) : [],
    locationId
      ? locationHistory.workOrdersBefore(tenantId, locationId, workOrder, limits.earlierWorkOrdersRead)
      : [],
    photos.listUploaded(tenantId, workOrder.workOrderId),
  ]);

  const visitDay = workOrder.scheduledDate ?? localDay(now, tenant.timeZone);
  const units = orderSubjectFirst(equipment, workOrder.equipmentId).map((unit) => ({
    unit,
    history: earlier
      .filter((past) => past.equipmentId === unit.equipmentId)
      .slice(0, limits.serviceHistoryPerEquipment),
  }));
  const withNotes = earlier
    .filter((past) => (past.noteCount ?? 0) > 0)
    .slice(0, limits.earlierWorkOrdersWithNotes);
  const withPhotos = earlier.slice(0, limits.earlierWorkOrdersWithPhotos);
  const [notesByWorkOrder, photosByWorkOrder, names] = await Promise.all([
    Promise.all(withNotes.map((past) => workOrders.notes(tenantId, past.workOrderId))),
    Promise.all(withPhotos.map((past) => photos.listUploaded(tenantId, past.workOrderId))),
    technicianNames(sources, tenantId, [...units.flatMap(({ history }) => history), ...withNotes]),
  ]);
  const technicianOf = (past: WorkOrder): PackageTechnician | undefined =>
    past.technicianId
      ? { technicianId: past.technicianId, ...present('name', names.get(past.technicianId)) }
      : undefined;

  const packageEquipment = units.map(
    ({ unit, history }): PackageEquipment => ({
      equipment: unit,
      isSubject: unit.equipmentId === workOrder.equipmentId,
      warranty: { ...warrantyCoverage(unit, visitDay), on: visitDay },
      serviceHistory: history.map((past) => serviceHistoryEntry(past, technicianOf(past))),
    }),
  );

  const earlierNotes = withNotes.flatMap((past, index) =>
    [...(notesByWorkOrder[index] ?? [])]
      .sort((first, second) => second.at.localeCompare(first.at))
      .map(
        (note): EarlierNote => ({
          workOrderId: past.workOrderId,
          noteId: note.noteId,
          text: note.text,
          at: note.at,
          authorId: note.authorId,
          authorRole: note.authorRole,
          ...present('technician', technicianOf(past)),
        }),
      ),
  );
  const earlierPhotos = photosByWorkOrder
    .flat()
    .sort((first, second) => uploadedAt(second).localeCompare(uploadedAt(first)))
    .slice(0, limits.earlierPhotos);

  return {
    workOrder,
    tenant,
    ...present(
      'serviceType',
      serviceType ? { serviceTypeId: serviceType.serviceTypeId, name: serviceType.name } : undefined,
    ),
    ...present('arrivalWindow', arrivalWindow(workOrder, tenant.timeZone)),
    ...present('technician', technician),
    ...present('customer', customer),
    ...present('location', location),
    ...present('address', location ? formatAddress(location.address) : undefined),
    ...present('directions', location ? directionsTo(location) : undefined),
    equipment: packageEquipment,
    earlierNotes,
    photos: [...ownPhotos].sort((first, second) => uploadedAt(first).localeCompare(uploadedAt(second))),
    earlierPhotos,
    assembledAt: now.toISOString(),
  };
}

export interface DispatchPackageDependencies extends DispatchPackageSources {
  workOrders: WorkOrderStore;
  blobs: Pick<BlobStore, 'downloadUrl'>;
}

/**
 * The dispatch package of a work order as the office or its technician reads it.
 * 1. The work order must be visible to the actor: the office sees every one (also before a
 *    technician is assigned, as a preview); a technician only those assigned to them.
 * 2. The package is assembled (`assembleDispatchPackage`).
 * 3. Every photo gets a download link valid for `packagePhotoLinkSeconds`.
 */
export async function readDispatchPackage(
  dependencies: DispatchPackageDependencies,
  actor: Actor,
  workOrderId: string,
): Promise<DispatchPackage<PhotoWithDownload>> {
  const [workOrder, tenant] = await Promise.all([
    getWorkOrder(dependencies.workOrders, actor, workOrderId),
    dependencies.directory.getTenant(actor.tenantId),
  ]);
  if (!tenant) throw new Error(`Tenant ${actor.tenantId} has no tenant record`);
  const assembled = await assembleDispatchPackage(dependencies, tenant, workOrder);
  const expiresAt = new Date(
    Date.parse(assembled.assembledAt) + packagePhotoLinkSeconds * 1000,
  ).toISOString();
  const link = async (photo: WorkOrderPhoto): Promise<PhotoWithDownload> => ({
    photo,
    downloadUrl: await dependencies.blobs.downloadUrl(photo.key, {
      expiresInSeconds: packagePhotoLinkSeconds,
      ...(photo.versionId ? { versionId: photo.versionId } : {}),
    }),
    downloadUrlExpiresAt: expiresAt,
  });
  const [photos, earlierPhotos] = await Promise.all([
    Promise.all(assembled.photos.map(link)),
    Promise.all(assembled.earlierPhotos.map(link)),
  ]);
  return { ...assembled, photos, earlierPhotos };
}

function serviceHistoryEntry(
  past: WorkOrder,
  technician: PackageTechnician | undefined,
): ServiceHistoryEntry {
  const summary = past.summary ?? (past.cancelReason ? `Cancelled: ${past.cancelReason}` : undefined);
  return {
    workOrderId: past.workOrderId,
    date: past.completedAt ?? past.scheduledStart ?? past.createdAt,
    status: past.status,
    description: past.description,
    ...present('summary', summary),
    ...present('technician', technician),
  };
}

/** The location's equipment (one page), and the work order's own even when it is past that page. */
async function equipmentAt(
  directory: DispatchPackageSources['directory'],
  tenantId: string,
  locationId: string,
  subjectId: string | undefined,
): Promise<Equipment[]> {
  const { items } = await directory.equipmentAt(tenantId, locationId, {
    limit: dispatchPackageLimits.equipment,
  });
  if (!subjectId || items.some((unit) => unit.equipmentId === subjectId)) return items;
  const subject = await directory.getEquipment(tenantId, locationId, subjectId);
  return subject ? [subject, ...items] : items;
}

/** The work order's own equipment first, the others in the order the location lists them. */
function orderSubjectFirst(equipment: Equipment[], subjectId: string | undefined): Equipment[] {
  const subject = equipment.filter((unit) => unit.equipmentId === subjectId);
  return [...subject, ...equipment.filter((unit) => unit.equipmentId !== subjectId)];
}

async function technicianNames(
  sources: DispatchPackageSources,
  tenantId: string,
  workOrders: WorkOrder[],
): Promise<Map<string, string | undefined>> {
  const ids = [...new Set(workOrders.flatMap((past) => (past.technicianId ? [past.technicianId] : [])))];
  const found = await Promise.all(ids.map((id) => sources.directory.getTechnician(tenantId, id)));
  return new Map(ids.map((id, index) => [id, found[index]?.name]));
}

const uploadedAt = (photo: WorkOrderPhoto) => photo.uploadedAt ?? photo.requestedAt;

/** `{ [key]: value }` when the value is there, else nothing: optional fields stay absent, not undefined. */
export function present<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
