import type { IdGenerator, IdPrefix } from '../../../lambdas/ports/id-generator.ts';

/** Predictable prefixed ids: `wo_0001`, `evt_0002`, … (one counter, so the order of issue shows). */
export class SequentialIds implements IdGenerator {
  private counter = 0;

  next(prefix: IdPrefix): string {
    this.counter += 1;
    return `${prefix}_${String(this.counter).padStart(4, '0')}`;
  }
}
