import { resolve } from 'node:path';
import type { Role } from '../lambdas/shared/roles.ts';
import { demoIds, demoTenantId } from '../lib/local/demo-data.ts';
import { JavaMissingError } from '../lib/local/emulators.ts';
import { projectRoot, startPlatform } from '../lib/local/platform.ts';

/** `npm start`: the whole platform on this machine, with the demo tenant loaded. */
const port = Number(process.env.PORT ?? 3000);
const dataDir = resolve(process.env.DATA_DIR ?? `${projectRoot}/.local/data`);

try {
  const started = Date.now();
  const platform = await startPlatform({ port, dataDir });
  const tokens = await Promise.all(
    (['admin', 'dispatcher', 'technician'] as Role[]).map(async (role) => [
      role,
      await platform.identity.issue({
        role,
        tenantId: demoTenantId,
        ...(role === 'technician' ? { technicianId: demoIds.technicians.maria } : {}),
      }),
    ]),
  );
  console.log(`
Field service platform running at ${platform.url}  (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)
  data:          ${dataDir}
  DynamoDB Local ${platform.endpoints.dynamodb}   table ${platform.tableName}
  S3 (s3rver)    ${platform.endpoints.s3}   bucket ${platform.bucketName}
  Step Functions ${platform.endpoints.stepFunctions}   (local engine, same ASL file)
  OpenAPI        ${platform.url}/openapi.json
  Outbox         ${platform.url}/local/outbox
  Clock          ${platform.url}/local/clock   (admin: POST {"advanceMinutes": n} fires what falls due)
  Pay links      ${platform.url}/local/pay/<token>  (sent with each invoice; stand in for Stripe Checkout)

Bearer tokens for the demo tenant "${demoTenantId}" (valid 12 h; the technician is Maria Santos;
\`npm run token -- <role> [tenant] [technicianId]\` makes more):`);
  for (const [role, token] of tokens) console.log(`\n  ${role}:\n  ${token}`);
  console.log(`
Try:
  curl -s ${platform.url}/v1/work-orders -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
    -d '{"customerId":"cus_01JDEM00000000000000000001","description":"AC blowing warm air","priority":"urgent"}'

Ctrl-C stops everything.`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await platform.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
} catch (error) {
  if (error instanceof JavaMissingError) {
    console.error(`\n${error.message}\n`);
  } else {
    console.error('The platform could not start:', error);
  }
  process.exit(1);
}
