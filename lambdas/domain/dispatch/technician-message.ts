import { locationAccess } from '../customers/customer.ts';
import { type DispatchPackage, dispatchPackagePath, type PackageEquipment } from './dispatch-package.ts';

/**
 * The text that sends a technician their job: short enough for a text message, with the path
 * of the full package (photo links, equipment history, earlier notes) for the app to open.
 */
export function technicianMessage(dispatchPackage: DispatchPackage<unknown>): {
  subject: string;
  body: string;
} {
  const { workOrder, customer, equipment, earlierNotes, photos, earlierPhotos } = dispatchPackage;
  const access = workOrder.accessNotes ?? locationAccess(dispatchPackage.location);
  const earlierVisits = new Set(earlierNotes.map((note) => note.workOrderId)).size;
  return {
    subject: `New job ${workOrder.workOrderId}`,
    body: [
      `Job ${workOrder.workOrderId}, ${dispatchPackage.arrivalWindow?.text ?? 'a time to be agreed'}`,
      `${customer?.name ?? 'Customer'}${customer?.phone ? `, ${customer.phone}` : ''}`,
      dispatchPackage.address ?? 'address not recorded',
      `Problem: ${workOrder.description}`,
      ...(workOrder.specialInstructions ? [`Instructions: ${workOrder.specialInstructions}`] : []),
      ...(access ? [`Access: ${access}`] : []),
      ...(equipment.length > 0 ? [`Equipment: ${equipment.map(describeUnit).join('; ')}`] : []),
      ...(earlierNotes.length > 0
        ? [`Earlier notes: ${earlierNotes.length} from ${earlierVisits} earlier visit(s)`]
        : []),
      `Photos: ${photos.length}${earlierPhotos.length > 0 ? `, and ${earlierPhotos.length} from earlier visits` : ''}`,
      `Directions: ${dispatchPackage.directions?.url ?? 'no address on file'}`,
      `Package: ${dispatchPackagePath(workOrder.workOrderId)}`,
    ].join('\n'),
  };
}

function describeUnit({ equipment, isSubject, warranty, serviceHistory }: PackageEquipment): string {
  const makeAndModel = [equipment.make, equipment.model].filter(Boolean).join(' ');
  return [
    `${equipment.type}${makeAndModel ? ` (${makeAndModel})` : ''}${isSubject ? ' [this job]' : ''}`,
    ...(warranty.covered ? [`under warranty${warranty.endsOn ? ` to ${warranty.endsOn}` : ''}`] : []),
    ...(serviceHistory.length > 0 ? [`${serviceHistory.length} earlier job(s)`] : []),
  ].join(', ');
}
