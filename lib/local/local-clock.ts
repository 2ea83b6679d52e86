import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { AdjustableClock } from '../../lambdas/adapters/local/adjustable-clock.ts';
import { actorFromClaims, type JwtClaims } from '../../lambdas/shared/auth.ts';
import { PayloadTooLargeError, ValidationError } from '../../lambdas/shared/errors.ts';
import type { LocalRoute } from './gateway.ts';
import { BodyTooLargeError, readBody } from './http-body.ts';

/** The clock's offset over the real time, kept in the data directory so a restart does not turn it back. */
export async function restoreClock(clock: AdjustableClock, file: string): Promise<void> {
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as { offsetMs?: unknown };
    if (typeof saved.offsetMs === 'number') clock.restore(saved.offsetMs);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

const moveBody = z
  .object({
    advanceMinutes: z
      .number()
      .positive()
      .max(60 * 24 * 366 * 5)
      .optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .refine((body) => (body.advanceMinutes === undefined) !== (body.to === undefined), {
    message: 'give either advanceMinutes or to',
    path: ['advanceMinutes'],
  });

const view = (clock: AdjustableClock) => ({
  now: clock.now().toISOString(),
  offsetMinutes: Math.round(clock.offsetMilliseconds / 60_000),
});

/**
 * `GET /local/clock` and `POST /local/clock` (admins only): where the local clock stands, and
 * moving it forward (`{ "advanceMinutes": n }` or `{ "to": "<ISO 8601>" }`, never back). A move
 * is kept in `file`, then the schedules due by the new time fire before the answer, which says
 * how many did.
 */
export function clockRoutes(
  clock: AdjustableClock,
  file: string,
  fireDue: () => Promise<number>,
): Record<string, LocalRoute> {
  const admin = (claims: Record<string, unknown> | undefined) =>
    actorFromClaims(claims as JwtClaims, ['admin']);
  return {
    'GET /local/clock': async (_request, _url, claims) => {
      admin(claims);
      return { status: 200, body: view(clock) };
    },
    'POST /local/clock': async (request, _url, claims) => {
      admin(claims);
      let raw: Buffer;
      try {
        raw = await readBody(request, 4096);
      } catch (error) {
        if (error instanceof BodyTooLargeError) throw new PayloadTooLargeError('The body is too large');
        throw error;
      }
      let json: unknown;
      try {
        json = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
      } catch {
        throw new ValidationError([{ field: 'body', message: 'not valid JSON' }]);
      }
      const parsed = moveBody.safeParse(json);
      if (!parsed.success) {
        throw new ValidationError(
          parsed.error.issues.map((issue) => ({
            field: ['body', ...issue.path.map(String)].join('.'),
            message: issue.message,
          })),
        );
      }
      const { advanceMinutes, to } = parsed.data;
      if (to !== undefined) clock.setTo(new Date(to));
      else clock.advance(advanceMinutes ?? 0);
      await writeFile(file, JSON.stringify({ offsetMs: clock.offsetMilliseconds }));
      const fired = await fireDue();
      return { status: 200, body: { ...view(clock), fired } };
    },
  };
}
