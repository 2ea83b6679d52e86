import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { ExecutionAbortedError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

type JsonObject = Record<string, unknown>;
/** A Lambda handler as the engine calls it: the state's payload in, the function's result out. */
export type TaskFunction = (payload: JsonObject) => Promise<unknown>;

export interface ExecutionRecord {
  executionArn: string;
  name: string;
  input: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startDate: string;
  stopDate?: string;
  output?: string;
  error?: string;
  cause?: string;
}

export class WorkflowEngineError extends Error {
  constructor(
    readonly code: 'ExecutionAlreadyExists' | 'ExecutionDoesNotExist' | 'TaskDoesNotExist' | 'InvalidToken',
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

class TaskFailure extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface PendingTask {
  resolve(output: unknown): void;
  reject(error: Error): void;
}

interface StateDefinition {
  Type: string;
  Resource?: string;
  Parameters?: { FunctionName?: string; Payload?: JsonObject };
  TimeoutSeconds?: number;
  Branches?: { States: Record<string, StateDefinition> }[];
  ItemProcessor?: { States: Record<string, StateDefinition> };
  Iterator?: { States: Record<string, StateDefinition> };
}

export interface EngineOptions {
  retryDelayMs?: number;
  timeoutSeconds?: Record<string, number>;
}

const tokenPlaceholder = '__LOCAL_TASK_TOKEN__';
/** Node timers overflow past ~24.8 days; longer waits are capped (a local run never lasts that long). */
const maxLocalTimeoutSeconds = 2_000_000;

/**
 * Runs the very ASL file CDK deploys with aws-local-stepfunctions. Each Task state calls the
 * handler its Lambda runs (found through the `${NameArn}` placeholder of its FunctionName);
 * `.waitForTaskToken` states get a fresh token and wait until SendTaskSuccess/Failure names it.
 * Executions are journaled in a file so that a restart resumes the running ones.
 */
export class LocalWorkflowEngine {
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly running = new Map<string, { abort(): void; done: Promise<void> }>();
  private readonly pendingTasks = new Map<string, PendingTask>();
  private readonly machine: StateMachine;
  private readonly overrides: Record<string, (input: unknown) => Promise<never>>;
  private journalWrite: Promise<void> = Promise.resolve();
  private closing = false;

  private readonly retryIntervals: Record<string, number> = {};

  /**
   * @param options.retryDelayMs waits this long between retries instead of the definition's
   *   backoff (tests); the local runtime keeps the real intervals.
   * @param options.timeoutSeconds a shorter `TimeoutSeconds` for the Task states named (tests:
   *   a waiting state's daily timeout in a second); the local runtime keeps the definition's.
   */
  constructor(
    definition: StateMachineDefinition,
    readonly stateMachineArn: string,
    taskFunctions: Record<string, TaskFunction>,
    private readonly journalPath?: string,
    options: EngineOptions = {},
  ) {
    const patched = structuredClone(definition) as unknown as { States: Record<string, StateDefinition> };
    this.overrides = {};
    this.prepareStates(patched.States, taskFunctions, options.timeoutSeconds ?? {});
    if (options.retryDelayMs !== undefined) {
      for (const name of Object.keys(this.overrides)) this.retryIntervals[name] = options.retryDelayMs;
    }
    this.machine = new StateMachine(patched as unknown as StateMachineDefinition, {
      validationOptions: { checkArn: true, checkPaths: true },
    });
  }

  static async fromFile(
    path: string,
    stateMachineArn: string,
    taskFunctions: Record<string, TaskFunction>,
    journalPath?: string,
    options: EngineOptions = {},
  ): Promise<LocalWorkflowEngine> {
    const definition = JSON.parse(await readFile(path, 'utf8')) as StateMachineDefinition;
    return new LocalWorkflowEngine(definition, stateMachineArn, taskFunctions, journalPath, options);
  }

  private prepareStates(
    states: Record<string, StateDefinition>,
    taskFunctions: Record<string, TaskFunction>,
    timeoutSeconds: Record<string, number>,
  ): void {
    for (const [stateName, state] of Object.entries(states)) {
      for (const nested of [...(state.Branches ?? []), state.ItemProcessor, state.Iterator]) {
        if (nested) this.prepareStates(nested.States, taskFunctions, timeoutSeconds);
      }
      if (state.Type !== 'Task') continue;
      state.TimeoutSeconds = timeoutSeconds[stateName] ?? state.TimeoutSeconds;
      if (state.TimeoutSeconds && state.TimeoutSeconds > maxLocalTimeoutSeconds)
        state.TimeoutSeconds = maxLocalTimeoutSeconds;
      const placeholder = /^\$\{(\w+)Arn\}$/.exec(state.Parameters?.FunctionName ?? '');
      const task = placeholder ? taskFunctions[placeholder[1] ?? ''] : undefined;
      if (!task)
        throw new Error(`State ${stateName} names no known function (${state.Parameters?.FunctionName})`);
      const waitsForToken = state.Resource?.endsWith('.waitForTaskToken') ?? false;
      this.overrides[stateName] = waitsForToken
        ? this.callbackTask(task, state.TimeoutSeconds)
        : this.invokeTask(task);
    }
  }

  /** `lambda:invoke`: the result comes back under Payload, as the service integration returns it. */
  private invokeTask(task: TaskFunction) {
    return async (input: unknown) => {
      const { Payload } = input as { Payload: JsonObject };
      const result = await this.invoke(task, Payload);
      return { Payload: result ?? null, StatusCode: 200, ExecutedVersion: '$LATEST' } as never;
    };
  }

  /**
   * `lambda:invoke.waitForTaskToken`: invoke with a fresh token, then wait for the callback. When
   * the state times out its token is forgotten, as Step Functions forgets it: an answer that comes
   * later finds no task (and the retry, if any, waits with a token of its own).
   */
  private callbackTask(task: TaskFunction, timeoutSeconds: number | undefined) {
    return async (input: unknown) => {
      const { Payload } = input as { Payload: JsonObject };
      const token = `local-${randomBytes(24).toString('base64url')}`;
      const payload = JSON.parse(JSON.stringify(Payload).replaceAll(tokenPlaceholder, token)) as JsonObject;
      const callback = new Promise<unknown>((resolve, reject) => {
        this.pendingTasks.set(token, { resolve, reject });
      });
      // Observed here as well, so that a rejection during shutdown is never reported as unhandled.
      callback.catch(() => undefined);
      const expire = () => this.takeIfPending(token)?.reject(new TaskFailure('States.Timeout', 'Timed out'));
      const expiry = timeoutSeconds ? setTimeout(expire, timeoutSeconds * 1000).unref() : undefined;
      try {
        await this.invoke(task, payload);
        return (await callback) as never;
      } finally {
        clearTimeout(expiry);
        this.pendingTasks.delete(token);
      }
    };
  }

  private async invoke(task: TaskFunction, payload: JsonObject): Promise<unknown> {
    if (this.closing) throw new TaskFailure('Engine.Closing', 'The local engine is stopping');
    try {
      return await task(payload);
    } catch (error) {
      // A Lambda error reaches the state machine under the error's name (its errorType).
      const name = error instanceof Error ? error.name : 'Error';
      throw new TaskFailure(name, error instanceof Error ? error.message : String(error));
    }
  }

  startExecution(name: string, input: string): ExecutionRecord {
    const existing = this.executions.get(name);
    if (existing) {
      if (existing.input === input && existing.status === 'RUNNING') return existing;
      throw new WorkflowEngineError('ExecutionAlreadyExists', `Execution ${name} already exists`);
    }
    const record: ExecutionRecord = {
      executionArn: `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`,
      name,
      input,
      status: 'RUNNING',
      startDate: new Date().toISOString(),
    };
    this.executions.set(name, record);
    this.run(record, JSON.parse(input) as JsonObject);
    return record;
  }

  private run(record: ExecutionRecord, input: JsonObject): void {
    const execution = this.machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: this.overrides, retryIntervalOverrides: this.retryIntervals },
      context: {
        Execution: {
          Id: record.executionArn,
          Name: record.name,
          Input: input as never,
          StartTime: record.startDate,
        },
        Task: { Token: tokenPlaceholder },
      },
    });
    const done = execution.result.then(
      (output) => this.finish(record, { status: 'SUCCEEDED', output: JSON.stringify(output) }),
      (error: unknown) => {
        if (error instanceof ExecutionAbortedError) return this.finish(record, { status: 'ABORTED' });
        const cause = error instanceof Error ? (error.cause as Error | undefined) : undefined;
        return this.finish(record, {
          status: 'FAILED',
          error: cause?.name ?? (error instanceof Error ? error.name : 'Error'),
          cause: cause?.message ?? String(error),
        });
      },
    );
    this.running.set(record.name, { abort: execution.abort, done });
    void this.saveJournal();
  }

  private async finish(record: ExecutionRecord, outcome: Partial<ExecutionRecord>): Promise<void> {
    // Stopping the platform is not stopping the executions: they stay RUNNING in the journal and resume.
    if (this.closing) return;
    Object.assign(record, outcome, { stopDate: new Date().toISOString() });
    this.running.delete(record.name);
    await this.saveJournal();
  }

  describeExecution(executionArn: string): ExecutionRecord {
    const name = executionArn.split(':').at(-1) ?? '';
    const record = this.executions.get(name);
    if (!record || record.executionArn !== executionArn) {
      throw new WorkflowEngineError('ExecutionDoesNotExist', `Execution ${executionArn} does not exist`);
    }
    return record;
  }

  executionArnOf(name: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  sendTaskSuccess(token: string, output: string): void {
    this.takePending(token).resolve(JSON.parse(output));
  }

  sendTaskFailure(token: string, error: string, cause: string): void {
    this.takePending(token).reject(new TaskFailure(error || 'States.TaskFailed', cause));
  }

  private takeIfPending(token: string): PendingTask | undefined {
    const pending = this.pendingTasks.get(token);
    this.pendingTasks.delete(token);
    return pending;
  }

  private takePending(token: string): PendingTask {
    const pending = this.pendingTasks.get(token);
    if (!pending) throw new WorkflowEngineError('TaskDoesNotExist', 'No task waits for this token');
    this.pendingTasks.delete(token);
    return pending;
  }

  stopExecution(executionArn: string): void {
    const record = this.describeExecution(executionArn);
    this.running.get(record.name)?.abort();
  }

  /** Waits for every running execution to reach a terminal state or its next wait (tests). */
  async settled(name: string): Promise<void> {
    await this.running.get(name)?.done;
  }

  private saveJournal(): Promise<void> {
    const path = this.journalPath;
    if (!path) return Promise.resolve();
    this.journalWrite = this.journalWrite.then(async () => {
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify([...this.executions.values()]));
      await rename(temporary, path);
    });
    return this.journalWrite;
  }

  /**
   * Loads the journal of an earlier run and starts again each execution that was running,
   * with the input `resumeInput` gives (the stage stored on the work order: the first Choice
   * state takes it from there).
   */
  async resume(resumeInput: (record: ExecutionRecord) => Promise<JsonObject | undefined>): Promise<number> {
    if (!this.journalPath || !existsSync(this.journalPath)) return 0;
    const records = JSON.parse(await readFile(this.journalPath, 'utf8')) as ExecutionRecord[];
    let resumed = 0;
    for (const record of records) {
      this.executions.set(record.name, record);
      if (record.status !== 'RUNNING') continue;
      const input = await resumeInput(record);
      if (!input) {
        await this.finish(record, { status: 'ABORTED' });
        continue;
      }
      this.run(record, input);
      resumed += 1;
    }
    return resumed;
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const { abort } of this.running.values()) abort();
    // Settle the waiting tasks too, so that their timeout timers are cleared and the process can exit.
    for (const [token, pending] of this.pendingTasks) {
      this.pendingTasks.delete(token);
      pending.reject(new TaskFailure('Engine.Closing', 'The local engine is stopping'));
    }
    await Promise.allSettled([...this.running.values()].map((execution) => execution.done));
    await this.journalWrite;
  }
}
