/**
 * What the local platform's Lambda handlers did while a benchmark watched: each handler call is
 * one invocation (timed by `timedHandler`, which `lambda-hooks.ts` puts around every entry), and
 * the DynamoDB commands, AWS round trips, bus events and schedules made while it ran are
 * recorded on it. Work done outside any handler (the benchmark's own arranging, the local
 * schedule runner's polling) is kept apart, in `outside`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** One DynamoDB command as the document client sent it. */
export interface StorageCall {
  /** `GetItemCommand`, `QueryCommand`, `TransactWriteItemsCommand`… */
  command: string;
  start: number;
  end: number;
  /** Request units DynamoDB reported (ReturnConsumedCapacity), when asked for: table and indexes. */
  readUnits: number;
  writeUnits: number;
  /** Of those, the units spent on global secondary indexes. */
  indexUnits: number;
  /**
   * The local stand-ins' own items (outbox messages, local schedules): SNS, SES and EventBridge
   * Scheduler hold these in the cloud, so they cost nothing in DynamoDB there.
   */
  localOnly: boolean;
  failed: boolean;
}

/** One HTTP request the process made to an emulator (DynamoDB Local, s3rver, the local Step Functions API). */
export interface WireCall {
  /** `host:port` of the emulator. */
  target: string;
  method: string;
  start: number;
  end: number;
  status?: number;
}

export interface Invocation {
  id: number;
  functionName: string;
  start: number;
  end?: number;
  failed: boolean;
  /** The `x-bench-request` header of an API event: which measured request this invocation served. */
  benchRequest?: string;
  /** The `kind` of a schedule target's payload (`invoice-paid`, `invoice-overdue`…). */
  payloadKind?: string;
  storage: StorageCall[];
  wire: WireCall[];
  busEvents: number;
  schedulesCreated: number;
  schedulesDeleted: number;
}

/** What happened outside every invocation. */
export interface Outside {
  storage: StorageCall[];
  wire: WireCall[];
  busEvents: number;
  schedulesCreated: number;
  schedulesDeleted: number;
}

const scope = new AsyncLocalStorage<Invocation>();
const emptyOutside = (): Outside => ({
  storage: [],
  wire: [],
  busEvents: 0,
  schedulesCreated: 0,
  schedulesDeleted: 0,
});

class InvocationLog {
  invocations: Invocation[] = [];
  outside: Outside = emptyOutside();
  /** Handlers running now, and round trips in flight anywhere. */
  running = 0;
  inFlight = 0;
  lastActivity = performance.now();
  private nextId = 1;

  /** Forgets everything recorded so far (a benchmark's arranging), keeping what runs now. */
  clear(): void {
    this.invocations = [];
    this.outside = emptyOutside();
  }

  begin(functionName: string, event: unknown): Invocation {
    const invocation: Invocation = {
      id: this.nextId++,
      functionName,
      start: performance.now(),
      failed: false,
      storage: [],
      wire: [],
      busEvents: 0,
      schedulesCreated: 0,
      schedulesDeleted: 0,
    };
    const headers = (event as { headers?: Record<string, string | undefined> } | undefined)?.headers;
    const benchRequest = headers?.['x-bench-request'];
    if (benchRequest) invocation.benchRequest = benchRequest;
    const kind = (event as { kind?: unknown } | undefined)?.kind;
    if (typeof kind === 'string') invocation.payloadKind = kind;
    this.invocations.push(invocation);
    this.running += 1;
    this.touch();
    return invocation;
  }

  finish(invocation: Invocation, failed: boolean): void {
    invocation.end = performance.now();
    invocation.failed = failed;
    this.running -= 1;
    this.touch();
  }

  /** Where a call made now belongs: the invocation running it, or `outside`. */
  current(): Invocation | Outside {
    return scope.getStore() ?? this.outside;
  }

  touch(): void {
    this.lastActivity = performance.now();
  }

  /**
   * Resolves once no handler runs, no round trip is in flight and nothing happened for `idleMs`
   * (the workflow's steps and event deliveries that follow a request have finished), or after
   * `timeoutMs` in any case.
   */
  async quiet(idleMs = 25, timeoutMs = 10_000): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (this.running === 0 && this.inFlight === 0 && performance.now() - this.lastActivity >= idleMs)
        return true;
      await new Promise((resolve) => setTimeout(resolve, Math.max(2, idleMs / 4)));
    }
    return false;
  }
}

export const invocationLog = new InvocationLog();

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** The handler, timed as one invocation of `functionName`, with what it does recorded on it. */
export function timedHandler(functionName: string, handler: Handler): Handler {
  if (typeof handler !== 'function') throw new Error(`${functionName}: the entry exports no handler`);
  return async (event, context) => {
    const invocation = invocationLog.begin(functionName, event);
    let failed = true;
    try {
      const result = await scope.run(invocation, () => handler(event, context));
      failed = false;
      return result;
    } finally {
      invocationLog.finish(invocation, failed);
    }
  };
}
