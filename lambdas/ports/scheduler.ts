export interface OneTimeSchedule {
  /** Unique per purpose, so that setting it again moves it (`reminder-wo_01J…`). */
  name: string;
  /** The local wall-clock time in `timeZone` at which it fires: `YYYY-MM-DDThh:mm:ss`, no offset. */
  at: string;
  timeZone: string;
  /** Delivered as is to the schedule-target handler. */
  payload: Record<string, unknown>;
}

/** One-time schedules (EventBridge Scheduler `at()` in the cloud). */
export interface Scheduler {
  /** Creates the schedule or moves it to the new time. */
  put(schedule: OneTimeSchedule): Promise<void>;
  /** Deletes the schedule; deleting one that does not exist is not an error. */
  delete(name: string): Promise<void>;
}
