import {
  type DispatchPackage,
  type PackageTechnician,
  packagePhotoLinkSeconds,
} from '../../domain/dispatch/dispatch-package.ts';
import type { PhotoWithDownload } from '../../domain/work-orders/photos.ts';
import type { DispatchPackageView } from '../../schemas/dispatch-package.ts';

/** `{ [key]: value }` when the value is there: optional fields stay absent. */
const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

const toTechnicianRef = (technician: PackageTechnician | undefined) =>
  technician && { id: technician.technicianId, ...optional('name', technician.name) };

const toPhotoView = ({ photo, downloadUrl, downloadUrlExpiresAt }: PhotoWithDownload) => ({
  id: photo.photoId,
  workOrderId: photo.workOrderId,
  stage: photo.phase,
  phase: photo.phase,
  ...optional('caption', photo.caption),
  contentType: photo.contentType,
  sizeBytes: photo.size ?? photo.declaredSize,
  uploadedAt: photo.uploadedAt ?? photo.requestedAt,
  url: downloadUrl,
  expiresAt: downloadUrlExpiresAt,
});

/** The API's view of a dispatch package: no tenant ids, no storage keys, no task token. */
export function toDispatchPackageView(
  dispatchPackage: DispatchPackage<PhotoWithDownload>,
): DispatchPackageView {
  const { workOrder, technician, customer, location, arrivalWindow, serviceType } = dispatchPackage;
  return {
    workOrder: {
      id: workOrder.workOrderId,
      status: workOrder.status,
      priority: workOrder.priority,
      description: workOrder.description,
      ...optional('specialInstructions', workOrder.specialInstructions),
      ...optional('estimatedScope', workOrder.estimatedScope),
      ...optional('accessNotes', workOrder.accessNotes),
      ...optional('serviceType', serviceType && { id: serviceType.serviceTypeId, name: serviceType.name }),
      ...optional('estimatedMinutes', workOrder.estimatedMinutes),
      ...optional('requiredSkills', workOrder.requiredSkills),
      ...optional(
        'schedule',
        arrivalWindow && {
          start: arrivalWindow.start,
          end: arrivalWindow.end,
          timeZone: arrivalWindow.timeZone,
          arrivalWindow: arrivalWindow.text,
        },
      ),
    },
    ...optional(
      'technician',
      technician && {
        id: technician.technicianId,
        name: technician.name,
        ...optional('phone', technician.phone),
        ...optional('email', technician.email),
      },
    ),
    ...optional(
      'customer',
      customer && {
        id: customer.customerId,
        name: customer.name,
        ...optional('phone', customer.phone),
        ...optional('email', customer.email),
      },
    ),
    ...optional(
      'serviceLocation',
      location && {
        id: location.locationId,
        address: location.address,
        formattedAddress: dispatchPackage.address ?? location.address.line1,
        ...optional('accessNotes', location.accessNotes),
        ...optional('gateCode', location.gateCode),
        ...optional('pets', location.pets),
        ...optional('latitude', location.latitude),
        ...optional('longitude', location.longitude),
      },
    ),
    ...optional('directions', dispatchPackage.directions),
    equipment: dispatchPackage.equipment.map(({ equipment, isSubject, warranty, serviceHistory }) => ({
      id: equipment.equipmentId,
      type: equipment.type,
      ...optional('make', equipment.make),
      ...optional('model', equipment.model),
      ...optional('serialNumber', equipment.serialNumber),
      ...optional('installedOn', equipment.installedOn),
      thisJob: isSubject,
      warranty: { covered: warranty.covered, ...optional('endsOn', warranty.endsOn), on: warranty.on },
      serviceHistory: serviceHistory.map((entry) => ({
        workOrderId: entry.workOrderId,
        date: entry.date,
        status: entry.status,
        description: entry.description,
        ...optional('summary', entry.summary),
        ...optional('technician', toTechnicianRef(entry.technician)),
      })),
    })),
    earlierNotes: dispatchPackage.earlierNotes.map((note) => ({
      workOrderId: note.workOrderId,
      id: note.noteId,
      text: note.text,
      at: note.at,
      author: { id: note.authorId, role: note.authorRole },
      ...optional('technician', toTechnicianRef(note.technician)),
    })),
    photos: dispatchPackage.photos.map(toPhotoView),
    earlierPhotos: dispatchPackage.earlierPhotos.map(toPhotoView),
    photoLinksValidSeconds: packagePhotoLinkSeconds,
    assembledAt: dispatchPackage.assembledAt,
  };
}
