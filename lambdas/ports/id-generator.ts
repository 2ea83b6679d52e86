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
  | 'pho';

export interface IdGenerator {
  /** A new prefixed ULID (`wo_01J…`), sortable by creation time. */
  next(prefix: IdPrefix): string;
}
