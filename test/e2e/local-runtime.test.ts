import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoIds } from '../../lib/local/demo-data.ts';
import { projectRoot } from '../../lib/local/platform.ts';

interface Started {
  child: ChildProcess;
  url: string;
  dynamodb: string;
  output: () => string;
}

/** Runs `bin/local.ts` as `npm start` does and waits for its banner. */
async function startLocal(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/local.ts'], {
    cwd: projectRoot,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const url = /running at (http:\/\/\S+)/.exec(output)?.[1];
    const dynamodb = /DynamoDB Local (http:\/\/\S+)/.exec(output)?.[1];
    if (url && dynamodb && output.includes('Ctrl-C')) return { child, url, dynamodb, output: () => output };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`The platform did not start:\n${output}`);
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

const answers = async (url: string) =>
  fetch(url, { method: 'POST', signal: AbortSignal.timeout(2000) }).then(
    () => true,
    () => false,
  );

describe('npm start (the local runtime)', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fsm-local-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('when started, stopped with Ctrl-C and started again, it keeps the data and the waiting execution resumes', async () => {
    const first = await startLocal({ PORT: '0', DATA_DIR: dataDir });
    const token = /dispatcher:\s+(\S+)/.exec(first.output())?.[1] ?? '';
    const read = async (url: string, id: string) => {
      const response = await fetch(`${url}/v1/work-orders/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return {
        status: response.status,
        body: (await response.json()) as { workflow: { state: string; since: string } },
      };
    };
    const waitingSince = async (url: string, id: string, after = '') => {
      for (let attempt = 0; attempt < 200; attempt += 1) {
        const { body } = await read(url, id);
        if (body.workflow.state === 'AwaitScheduling' && body.workflow.since > after)
          return body.workflow.since;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`${id} never waited in AwaitScheduling after ${after}`);
    };
    const created = await fetch(`${first.url}/v1/work-orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        customerId: demoIds.customers.chen,
        locationId: demoIds.locations.chenHome,
        description: 'No hot water',
      }),
    });
    const workOrder = (await created.json()) as { id: string };
    expect(created.status).toBe(201);
    const firstWait = await waitingSince(first.url, workOrder.id);

    first.child.kill('SIGINT');
    expect(await exited(first.child)).toBe(0);
    expect(await answers(first.dynamodb)).toBe(false);

    const second = await startLocal({ PORT: '0', DATA_DIR: dataDir });
    try {
      const { status } = await read(second.url, workOrder.id);
      const secondWait = await waitingSince(second.url, workOrder.id, firstWait);

      expect(status).toBe(200);
      expect(secondWait > firstWait).toBe(true);
    } finally {
      second.child.kill('SIGINT');
      await exited(second.child);
    }
  }, 120_000);

  it('when Java is missing, it says how to install it and exits', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/local.ts'], {
      cwd: projectRoot,
      env: { ...process.env, PATH: '/nonexistent', PORT: '0', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });

    const code = await exited(child);

    expect(code).toBe(1);
    expect(output).toMatch(/needs Java 17 or newer/);
    expect(output).toMatch(/apt-get install -y default-jre-headless/);
  }, 60_000);
});
