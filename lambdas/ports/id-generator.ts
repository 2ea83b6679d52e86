export type IdPrefix =
  | 'cus'
  | 'loc'
  | 'eqp'
  | 'tec'
  | 'wo'
  | 'evt'
  | 'not'
  | 'lab'
  | 'inv'
  | 'pay'
  | 'agr'
  | 'prt'
  | 'po'
  | 'svc'
  | 'msg'
  | 'pho'
  /** A signature image uploaded at sign-off. */
  | 'sig'
  /** A recommendation of extra work, and a follow-up task. */
  | 'rec'
  | 'tsk'
  /** A part used on a work order, or a correction of one. */
  | 'use';

export interface IdGenerator {
  /** A new prefixed ULID (`wo_01J…`), sortable by creation time. */
  next(prefix: IdPrefix): string;
}
