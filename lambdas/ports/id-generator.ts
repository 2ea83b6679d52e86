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
  /** A movement of stock at a location, and a low-stock alert. */
  | 'mov'
  | 'alr'
  /** A part used on a work order, or a correction of one. */
  | 'use'
  /** A customer message and its delivery status, per channel. */
  | 'ntf'
  /** A follow-up reminder (a task and/or a customer message on a later day). */
  | 'rmd'
  /** A signed link sent to a customer (appointment, sign-off, invoice pages). */
  | 'lnk';

export interface IdGenerator {
  /** A new prefixed ULID (`wo_01J…`), sortable by creation time. */
  next(prefix: IdPrefix): string;
}
