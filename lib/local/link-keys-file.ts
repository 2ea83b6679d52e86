import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import {
  keyringToStore,
  type LinkKeyring,
  storedKeyring,
} from '../../lambdas/domain/customer-pages/link-tokens.ts';

/**
 * The local customer link keys: kept in the data folder (as the identity key is), so links sent
 * before a restart still open after it; made on first start. The file holds the keyring as the
 * cloud's secret does (`{"kid","secret","previous"}`), and is given to the handlers as
 * `CUSTOMER_LINK_KEYS`.
 */
export async function loadLocalLinkKeys(file: string): Promise<LinkKeyring> {
  try {
    const parsed = storedKeyring.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (parsed.success) return parsed.data;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
  }
  const keyring: LinkKeyring = { current: { kid: 'local1', secret: randomBytes(32).toString('base64url') } };
  await writeFile(file, JSON.stringify(keyringToStore(keyring)), { mode: 0o600 });
  return keyring;
}
