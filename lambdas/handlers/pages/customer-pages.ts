import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  blobStore,
  clock,
  directoryStore,
  ids,
  invoiceStore,
  jobDurationStore,
  linkDependencies,
  paymentRecords,
  payments,
  photoStore,
  technicianStore,
  workOrderDependencies,
  workOrderStore,
} from '../../adapters/dependencies.ts';
import {
  type Appointment,
  cancelAppointment,
  offeredSlots,
  type RescheduleDependencies,
  readAppointment,
  rescheduleToSlot,
  updateAccessNotes,
} from '../../domain/customer-pages/appointment.ts';
import {
  type InvoicePageDependencies,
  invoicePdfUrl,
  readInvoicePage,
  startInvoiceCheckout,
} from '../../domain/customer-pages/invoice-page.ts';
import type { LinkPurpose } from '../../domain/customer-pages/link-tokens.ts';
import { LinkRefusedError, openLink, pagePaths } from '../../domain/customer-pages/links.ts';
import {
  readSignOffPage,
  type SignOffPageDependencies,
  signWork,
} from '../../domain/customer-pages/sign-off-page.ts';
import type { Actor } from '../../domain/shared/actor.ts';
import { requireConfig } from '../../shared/config.ts';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RouteNotFoundError,
  UnprocessableError,
  ValidationError,
} from '../../shared/errors.ts';
import { type PageResult, pageHandler } from '../../shared/page-handler.ts';
import { metrics } from '../../shared/powertools.ts';
import { customerPageRoutes } from '../api/customer-page-routes.ts';
import { appointmentPage, cancelPage, reschedulePage } from './appointment-views.ts';
import { invoicePage } from './invoice-views.ts';
import { noticePage, refusedLinkPage } from './notice-views.ts';
import { type SignOffForm, signOffPage } from './sign-off-views.ts';

/** Where a payment provider's checkout lives: the pay button's form leads there through its redirect. */
const checkoutOrigins = ['https://checkout.stripe.com'];

const pagesUrl = () => requireConfig('CUSTOMER_PAGES_URL').CUSTOMER_PAGES_URL.replace(/\/+$/, '');

/** A page's path with its token: what its forms post to and its links build on. */
const baseOf = (purpose: LinkPurpose, token: string) =>
  `${new URL(pagesUrl()).pathname.replace(/\/+$/, '')}${pagePaths[purpose]}${token}`;

const open = (token: string, purpose: LinkPurpose) => openLink(linkDependencies(), token, purpose);

const appointmentDependencies = (): RescheduleDependencies => ({
  ...workOrderDependencies(),
  technicians: technicianStore(),
  durations: jobDurationStore(),
});

const signOffDependencies = (): SignOffPageDependencies => ({
  workOrders: workOrderStore(),
  directory: directoryStore(),
  photos: photoStore(),
  blobs: blobStore(),
  clock,
});

const invoiceDependencies = (): InvoicePageDependencies => ({
  findInvoice: (tenantId, invoiceId) => invoiceStore().find(tenantId, invoiceId),
  paymentRecords: paymentRecords(),
  directory: directoryStore(),
  workOrders: workOrderStore(),
  payments: payments(),
  blobs: blobStore(),
  clock,
  ids,
});

const page = (status: number, text: string, imageOrigins?: readonly string[]): PageResult => ({
  status,
  html: text,
  ...(imageOrigins ? { imageOrigins } : {}),
});

const acted = (action: string) => metrics.addMetric(`CustomerPage${action}`, MetricUnit.Count, 1);

/** A time as the reschedule form sends it: `<start>~<technician id>`. */
const slotChoice = (slot: string) => {
  const [start = '', technicianId = ''] = slot.split('~');
  return { start, technicianId };
};

async function offeredTimes(actor: Actor, appointment: Appointment) {
  return appointment.canChooseTime ? (await offeredSlots(appointmentDependencies(), actor)).slots : [];
}

/** The change asked for was refused because the slot went: the reschedule page again, with the news. */
const slotTaken = (error: unknown) =>
  error instanceof ConflictError &&
  (error.extensions.errors as { field: string }[] | undefined)?.some(
    (problem) => problem.field === 'body.slot',
  );

/** The summary changed under the customer's eyes: the page again with the current one. */
const summaryChanged = (error: unknown) =>
  error instanceof ConflictError && error.extensions.currentSummaryHash !== undefined;

export const handler = pageHandler(
  'customerPages',
  customerPageRoutes,
  {
    showAppointmentPage: async ({ params, query, nonce }) => {
      const { actor } = await open(params.token, 'view');
      const appointment = await readAppointment(appointmentDependencies(), actor);
      const base = baseOf('view', params.token);
      return page(
        200,
        appointmentPage(appointment, { nonce, base, ...(query.done ? { done: query.done } : {}) }),
      );
    },

    updateAccessNotesPage: async ({ params, body, form, problems, nonce }) => {
      const { actor } = await open(params.token, 'view');
      const base = baseOf('view', params.token);
      if (!body) {
        const appointment = await readAppointment(appointmentDependencies(), actor);
        const typed = form.accessNotes === undefined ? {} : { accessNotes: form.accessNotes };
        return page(400, appointmentPage(appointment, { nonce, base, form: { ...typed, problems } }));
      }
      await updateAccessNotes(appointmentDependencies(), actor, body.accessNotes);
      acted('AccessNotes');
      return { redirect: `${base}?done=access-notes` };
    },

    showReschedulePage: async ({ params, nonce }) => {
      const { actor } = await open(params.token, 'view');
      const base = baseOf('view', params.token);
      const appointment = await readAppointment(appointmentDependencies(), actor);
      if (!appointment.canChooseTime)
        throw new ConflictError('The time of this visit can no longer be changed online');
      const slots = await offeredTimes(actor, appointment);
      return page(200, reschedulePage(appointment, slots, { nonce, base, problems: [] }));
    },

    rescheduleFromPage: async ({ params, body, problems, nonce }) => {
      const { actor } = await open(params.token, 'view');
      const base = baseOf('view', params.token);
      const again = async (status: number, options: { problems: typeof problems; taken?: boolean }) => {
        const appointment = await readAppointment(appointmentDependencies(), actor);
        const slots = await offeredTimes(actor, appointment);
        return page(status, reschedulePage(appointment, slots, { nonce, base, ...options }));
      };
      if (!body) return again(400, { problems });
      try {
        await rescheduleToSlot(appointmentDependencies(), actor, slotChoice(body.slot));
      } catch (error) {
        if (slotTaken(error)) return again(409, { problems: [], taken: true });
        throw error;
      }
      acted('Rescheduled');
      return { redirect: `${base}?done=rescheduled` };
    },

    showCancelPage: async ({ params, nonce }) => {
      const { actor } = await open(params.token, 'view');
      const base = baseOf('view', params.token);
      const appointment = await readAppointment(appointmentDependencies(), actor);
      if (!appointment.canCancel) throw new ConflictError('This visit can no longer be cancelled online');
      return page(200, cancelPage(appointment, { nonce, base, problems: [] }));
    },

    cancelFromPage: async ({ params, body, form, problems, nonce }) => {
      const { actor } = await open(params.token, 'view');
      const base = baseOf('view', params.token);
      if (!body) {
        const appointment = await readAppointment(appointmentDependencies(), actor);
        const typed = form.reason === undefined ? {} : { reason: form.reason };
        return page(400, cancelPage(appointment, { nonce, base, ...typed, problems }));
      }
      await cancelAppointment(appointmentDependencies(), actor, body.reason);
      acted('Cancelled');
      return { redirect: `${base}?done=cancelled` };
    },

    showSignOffPage: async ({ params, nonce }) => {
      const { actor } = await open(params.token, 'sign');
      return signOff(actor, { nonce, base: baseOf('sign', params.token) }, 200);
    },

    signFromPage: async ({ params, body, form, problems, nonce }) => {
      const { actor } = await open(params.token, 'sign');
      const base = baseOf('sign', params.token);
      const typed: Omit<SignOffForm, 'problems'> = {
        ...(form.signerName === undefined ? {} : { signerName: form.signerName }),
        ...(form.confirm === undefined ? {} : { confirm: form.confirm }),
      };
      if (!body) return signOff(actor, { nonce, base, form: { ...typed, problems } }, 400);
      try {
        await signWork(workOrderDependencies(), actor, {
          signerName: body.signerName,
          summaryHash: body.summaryHash,
          ...(body.strokes ? { strokes: body.strokes } : {}),
        });
      } catch (error) {
        if (summaryChanged(error))
          return signOff(actor, { nonce, base, form: { ...typed, problems: [], changed: true } }, 409);
        if (error instanceof ConflictError) {
          return page(
            409,
            noticePage({
              title: 'Already signed',
              text: 'This work was signed already, or can no longer be signed here.',
              nonce,
              back: base,
            }),
          );
        }
        if (error instanceof UnprocessableError) {
          return page(
            422,
            noticePage({
              title: 'Not ready to sign yet',
              text: 'Your technician has not finished recording the work. Please try again in a few minutes.',
              nonce,
              back: base,
            }),
          );
        }
        throw error;
      }
      acted('Signed');
      return { redirect: base };
    },

    showInvoicePage: async ({ params, query, nonce }) => {
      const { actor, claims } = await open(params.token, 'pay');
      const invoice = await readInvoicePage(invoiceDependencies(), actor, claims.invoiceId ?? '');
      const base = baseOf('pay', params.token);
      return page(200, invoicePage(invoice, { nonce, base, returnedFromCheckout: query.paid !== undefined }));
    },

    downloadInvoicePdfPage: async ({ params }) => {
      const { actor, claims } = await open(params.token, 'pay');
      const { url } = await invoicePdfUrl(invoiceDependencies(), actor, claims.invoiceId ?? '');
      return { redirect: url };
    },

    payFromPage: async ({ params, nonce }) => {
      const { actor, claims } = await open(params.token, 'pay');
      const base = baseOf('pay', params.token);
      try {
        const checkout = await startInvoiceCheckout(
          invoiceDependencies(),
          actor,
          claims.invoiceId ?? '',
          `${pagesUrl()}${pagePaths.pay}${params.token}?paid=1`,
        );
        acted('CheckoutStarted');
        return { redirect: checkout.url };
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        return page(
          409,
          noticePage({
            title: 'Nothing to pay',
            text: 'This invoice is paid already, or no longer takes payments.',
            nonce,
            back: base,
          }),
        );
      }
    },
  },
  { errorPage, formActionOrigins: checkoutOrigins },
);

/** The sign-off page as the work stands now, its photos' origin allowed by the page's policy. */
async function signOff(
  actor: Actor,
  options: { nonce: string; base: string; form?: SignOffForm },
  status: number,
) {
  const view = await readSignOffPage(signOffDependencies(), actor);
  const imageOrigins = view.state === 'toSign' ? view.photos.map((photo) => new URL(photo.url).origin) : [];
  return page(status, signOffPage(view, options), imageOrigins);
}

/** The link page a failed action goes back to: the path up to the token. */
const linkPageOf = (path: string) => /^(.*\/pages\/(?:appointment|sign-off|invoice)\/[^/]+)/.exec(path)?.[1];

/**
 * Every error as a page of its own: a refused link (or a path that is no link) says why and
 * nothing more; a refused action says what happened with the way back; a failure says sorry.
 */
function errorPage(error: unknown, request: { nonce: string; path: string }): PageResult {
  const { nonce } = request;
  const isPathProblem =
    error instanceof ValidationError && error.errors.every((problem) => problem.field.startsWith('path.'));
  if (
    error instanceof LinkRefusedError ||
    error instanceof RouteNotFoundError ||
    error instanceof NotFoundError ||
    isPathProblem
  ) {
    const reason = error instanceof LinkRefusedError ? error.reason : 'notValid';
    metrics.addMetric('CustomerLinksRefused', MetricUnit.Count, 1);
    return page(error instanceof LinkRefusedError ? error.status : 404, refusedLinkPage(reason, nonce));
  }
  const back = linkPageOf(request.path);
  const notice = (status: number, title: string, text: string) =>
    page(status, noticePage({ title, text, nonce, ...(back ? { back } : {}) }));
  if (error instanceof ConflictError) {
    return notice(
      409,
      'This cannot be done now',
      'Things have moved on since you opened this page. Please go back to see where they stand, or contact us.',
    );
  }
  if (error instanceof UnprocessableError) {
    return notice(422, 'Not ready yet', 'This cannot be done yet. Please try again later, or contact us.');
  }
  if (error instanceof ForbiddenError) {
    return notice(403, 'Not possible here', 'This cannot be done from this page. Please contact us.');
  }
  if (error instanceof AppError && error.status < 500) {
    return notice(400, 'The form could not be read', 'Please go back and try again.');
  }
  return notice(
    500,
    'Something went wrong',
    'Sorry, something went wrong on our side. Please try again in a minute.',
  );
}
