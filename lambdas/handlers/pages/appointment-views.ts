import type { Appointment, OfferedSlot } from '../../domain/customer-pages/appointment.ts';
import type { FieldProblem } from '../../shared/errors.ts';
import { type Html, html } from './html.ts';
import { arrivalText, clockTime, longDay, statusWords } from './page-format.ts';
import { errorSummary, fieldError, invalidAttributes, layout } from './page-layout.ts';

/** What a page says after the action the customer just took (the `done` flag of the redirect). */
const doneNotices: Record<string, string> = {
  'access-notes': 'Thank you: your notes are saved for the technician.',
  rescheduled: 'Your appointment has moved to the new time. We will confirm it by message too.',
  cancelled: 'Your appointment is cancelled.',
};

function statusBadge(appointment: Appointment): Html {
  const { text, tone } = statusWords[appointment.workOrder.status];
  const toneClass = tone === 'open' ? '' : ` status-${tone}`;
  return html`<span class="status${toneClass}">${text}</span>`;
}

/** The visit as booked: day, arrival, service, technician, place. */
function visitDetails(appointment: Appointment): Html {
  const { workOrder, timeZone } = appointment;
  const start = workOrder.scheduledStart;
  return html`<dl>
<dt>Status</dt><dd>${statusBadge(appointment)}</dd>
${
  start
    ? html`<dt>Date</dt><dd>${longDay(start, timeZone)}</dd>
<dt>Arrival</dt><dd>${arrivalText({ start, ...(workOrder.arrivalWindow ? { arrivalWindow: workOrder.arrivalWindow } : {}) }, timeZone)}</dd>`
    : html`<dt>Date</dt><dd>Not booked yet</dd>`
}
${appointment.serviceName ? html`<dt>Service</dt><dd>${appointment.serviceName}</dd>` : ''}
${appointment.technicianFirstName ? html`<dt>Technician</dt><dd>${appointment.technicianFirstName}</dd>` : ''}
${appointment.serviceAddress ? html`<dt>Address</dt><dd>${appointment.serviceAddress}</dd>` : ''}
</dl>`;
}

/** On the way: when to expect the technician, and whether they run late. */
function travelNotice(appointment: Appointment): Html | '' {
  const { workOrder, timeZone } = appointment;
  if (workOrder.status !== 'en_route') return '';
  const who = appointment.technicianFirstName ?? 'Your technician';
  const eta = workOrder.delay?.newEta ?? workOrder.eta;
  return html`<p class="notice" role="status">${who} is on the way${eta ? html`, expected around <strong>${clockTime(eta, timeZone)}</strong>` : ''}.${workOrder.delay ? ' They are running a little late.' : ''}</p>`;
}

function accessNotesSection(
  appointment: Appointment,
  base: string,
  form: { accessNotes?: string; problems: readonly FieldProblem[] },
): Html {
  if (!appointment.canUpdateAccessNotes) {
    return appointment.accessNotes ? html`<h2>Access notes</h2><p>${appointment.accessNotes}</p>` : html``;
  }
  const value = form.accessNotes ?? appointment.accessNotes ?? '';
  return html`<h2 id="access">Access notes</h2>
${errorSummary(form.problems, { accessNotes: 'Access notes' })}
<form method="post" action="${base}/access-notes">
<label for="accessNotes">Notes for the technician</label>
<span class="hint" id="accessNotes-hint">Gate code, pets, where to park or which door to use.</span>
${fieldError(form.problems, 'accessNotes')}
<textarea id="accessNotes" name="accessNotes" maxlength="2000" aria-describedby="accessNotes-hint"${invalidAttributes(form.problems, 'accessNotes')}>${value}</textarea>
<p class="actions"><button type="submit">Save notes</button></p>
</form>`;
}

export interface AppointmentPageOptions {
  nonce: string;
  /** The page's own path (with the token): forms and links build on it. */
  base: string;
  done?: string;
  form?: { accessNotes?: string; problems: readonly FieldProblem[] };
}

/** The appointment page: the visit, its status (and ETA), access notes, another time, cancelling. */
export function appointmentPage(appointment: Appointment, options: AppointmentPageOptions): string {
  const { base } = options;
  const notice = options.done ? doneNotices[options.done] : undefined;
  const cancelled = appointment.workOrder.status === 'cancelled';
  const content = html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<p>Hi${appointment.customerFirstName ? html` ${appointment.customerFirstName}` : ''}, here is your appointment with ${appointment.tenantName}.</p>
${travelNotice(appointment)}
${visitDetails(appointment)}
${cancelled ? html`<p>This visit is cancelled. Contact ${appointment.tenantName} to book another one.</p>` : ''}
${accessNotesSection(appointment, base, options.form ?? { problems: [] })}
${
  appointment.canChooseTime || appointment.canCancel
    ? html`<h2>Change of plans?</h2><p class="actions">${
        appointment.canChooseTime
          ? html`<a class="button secondary" href="${base}/reschedule">${appointment.workOrder.status === 'new' ? 'Choose a time' : 'Choose another time'}</a>`
          : ''
      }${appointment.canCancel ? html`<a class="button secondary" href="${base}/cancel">Cancel the appointment</a>` : ''}</p>`
    : ''
}`;
  return layout({
    title: 'Your appointment',
    nonce: options.nonce,
    tenantName: appointment.tenantName,
    content,
  });
}

/** The times the visit can move to, as radio buttons: one arrival window each. */
export function reschedulePage(
  appointment: Appointment,
  slots: readonly OfferedSlot[],
  options: { nonce: string; base: string; problems: readonly FieldProblem[]; taken?: boolean },
): string {
  const { timeZone, workOrder } = appointment;
  const content = html`${
    options.taken
      ? html`<p class="warning" role="alert">That time is no longer available. Please choose another.</p>`
      : ''
  }
${
  workOrder.scheduledStart
    ? html`<p>Your visit is booked for <strong>${longDay(workOrder.scheduledStart, timeZone)}</strong>, ${arrivalText({ start: workOrder.scheduledStart, ...(workOrder.arrivalWindow ? { arrivalWindow: workOrder.arrivalWindow } : {}) }, timeZone)}.</p>`
    : ''
}
${
  slots.length === 0
    ? html`<p>There are no other open times in the next two weeks. Please contact ${appointment.tenantName} to find one.</p>
<p><a href="${options.base}">Back to your appointment</a></p>`
    : html`${errorSummary(options.problems, { slot: 'Time' })}
<form method="post" action="${options.base}/reschedule">
<fieldset${invalidAttributes(options.problems, 'slot')}>
<legend id="slot">Open times</legend>
${fieldError(options.problems, 'slot')}
${slots.map((slot, index) => {
  const id = `slot-${index}`;
  return html`<div class="choice"><input type="radio" id="${id}" name="slot" value="${slot.start}~${slot.technicianId}" required><label for="${id}">${longDay(slot.arrivalWindow.start, timeZone)}, ${clockTime(slot.arrivalWindow.start, timeZone)} – ${clockTime(slot.arrivalWindow.end, timeZone)}</label></div>`;
})}
</fieldset>
<p class="actions"><button type="submit">Move my appointment</button><a href="${options.base}">Keep my current time</a></p>
</form>`
}`;
  return layout({
    title: workOrder.status === 'new' ? 'Choose a time' : 'Choose another time',
    nonce: options.nonce,
    tenantName: appointment.tenantName,
    content,
  });
}

/** Asks before cancelling, with room for a reason. */
export function cancelPage(
  appointment: Appointment,
  options: { nonce: string; base: string; reason?: string; problems: readonly FieldProblem[] },
): string {
  const { workOrder, timeZone } = appointment;
  const content = html`<p>Your ${appointment.serviceName ?? 'service'} visit${
    workOrder.scheduledStart ? html` on <strong>${longDay(workOrder.scheduledStart, timeZone)}</strong>` : ''
  } will be cancelled.</p>
${errorSummary(options.problems, { reason: 'Reason' })}
<form method="post" action="${options.base}/cancel">
<label for="reason">Reason (optional)</label>
${fieldError(options.problems, 'reason')}
<textarea id="reason" name="reason" maxlength="500"${invalidAttributes(options.problems, 'reason')}>${options.reason ?? ''}</textarea>
<p class="actions"><button type="submit" class="danger">Cancel the appointment</button><a href="${options.base}">Keep my appointment</a></p>
</form>`;
  return layout({
    title: 'Cancel your appointment',
    nonce: options.nonce,
    tenantName: appointment.tenantName,
    content,
  });
}
