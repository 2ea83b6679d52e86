import { join, resolve } from 'node:path';
import { type Role, roles } from '../lambdas/shared/roles.ts';
import { demoIds, demoTenantId } from '../lib/local/demo-data.ts';
import { LocalIdentity } from '../lib/local/local-identity.ts';
import { projectRoot } from '../lib/local/platform.ts';

/** `npm run token -- <role> [tenant] [technicianId]`: a fresh bearer token for the local platform. */
const [role = 'dispatcher', tenantId = demoTenantId, technicianArgument] = process.argv.slice(2);
// A technician token names the technician record; the demo tenant's default is Maria Santos.
const technicianId =
  technicianArgument ??
  (role === 'technician' && tenantId === demoTenantId ? demoIds.technicians.maria : undefined);
if (!(roles as readonly string[]).includes(role)) {
  console.error(`Unknown role "${role}"; use one of: ${roles.join(', ')}`);
  process.exit(2);
}
const dataDir = resolve(process.env.DATA_DIR ?? `${projectRoot}/.local/data`);
const identity = await LocalIdentity.load(join(dataDir, 'identity-key.json'));
console.log(
  await identity.issue({ role: role as Role, tenantId, ...(technicianId ? { technicianId } : {}) }),
);
