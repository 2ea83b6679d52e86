import {
  type DispatchPackage,
  type PackageTechnician,
  packagePhotoLinkSeconds,
  present,
} from '../../domain/dispatch/dispatch-package.ts';
import type { PhotoWithDownload } from '../../domain/work-orders/photos.ts';
import type { DispatchPackageView } from '../../schemas/dispatch-package.ts';

const toTechnicianRef = (technician: PackageTechnician | undefined) =>
  technician && { id: technician.technicianId, ...present('name', technician.name) };

const toPhotoView = ({ photo, downloadUrl, downloadUrlExpiresAt }: PhotoWithDownload) => ({
  id: photo.photoId,
  workOrderId: photo.workOrderId,
  stage: photo.phase,
  phase: photo.phase,
  ...present('caption', photo.caption),
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
      ...present('specialInstructions', workOrder.specialInstructions),
      ...present('estimatedScope', workOrder.estimatedScope),
      ...present('accessNotes', workOrder.accessNotes),
      ...present('serviceType', serviceType && { id: serviceType.serviceTypeId, name: serviceType.name }),
      ...present('estimatedMinutes', workOrder.estimatedMinutes),
      ...present('requiredSkills', workOrder.requiredSkills),
      ...present(
        'schedule',
        arrivalWindow && {
          start: arrivalWindow.start,
          end: arrivalWindow.end,
          timeZone: arrivalWindow.timeZone,
          arrivalWindow: arrivalWindow.text,
        },
      ),
    },
    ...present(
      'technician',
      technician && {
        id: technician.technicianId,
        name: technician.name,
        ...present('phone', technician.phone),
        ...present('email', technician.email),
      },
    ),
    ...present(
      'customer',
      customer && {
        id: customer.customerId,
        name: customer.name,
        ...present('phone', customer.phone),
        ...present('email', customer.email),
      },
    ),
    ...present(
      'serviceLocation',
      location && {
        id: location.locationId,
        address: location.address,
        formattedAddress: dispatchPackage.address ?? location.address.line1,
        ...present('accessNotes', location.accessNotes),
        ...present('gateCode', location.gateCode),
        ...present('pets', location.pets),
        ...present('latitude', location.latitude),
        ...present('longitude', location.longitude),
      },
    ),
    ...present('directions', dispatchPackage.directions),
    equipment: dispatchPackage.equipment.map(({ equipment, isSubject, warranty, serviceHistory }) => ({
      id: equipment.equipmentId,
      type: equipment.type,
      ...present('make', equipment.make),
      ...present('model', equipment.model),
      ...present('serialNumber', equipment.serialNumber),
      ...present('installedOn', equipment.installedOn),
      thisJob: isSubject,
      warranty: { covered: warranty.covered, ...present('endsOn', warranty.endsOn), on: warranty.on },
      serviceHistory: serviceHistory.map((entry) => ({
        workOrderId: entry.workOrderId,
        date: entry.date,
        status: entry.status,
        description: entry.description,
        ...present('summary', entry.summary),
        ...present('technician', toTechnicianRef(entry.technician)),
      })),
    })),
    earlierNotes: dispatchPackage.earlierNotes.map((note) => ({
      workOrderId: note.workOrderId,
      id: note.noteId,
      text: note.text,
      at: note.at,
      author: { id: note.authorId, role: note.authorRole },
      ...present('technician', toTechnicianRef(note.technician)),
    })),
    photos: dispatchPackage.photos.map(toPhotoView),
    earlierPhotos: dispatchPackage.earlierPhotos.map(toPhotoView),
    photoLinksValidSeconds: packagePhotoLinkSeconds,
    assembledAt: dispatchPackage.assembledAt,
  };
}
