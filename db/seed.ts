import { arrayContains, eq, sql } from 'drizzle-orm';
import { ROLES, type Role } from '../domain/roles';
import type { Db } from './client';
import { issueApiKey } from './keys';
import { apiKeys, customers, customerContacts, products, users } from './schema';

const ADMIN_EMAIL = 'admin@crmflow.local';

/**
 * On first start there is an admin. Its key is CRM_BOOTSTRAP_ADMIN_KEY when set (and is added again if
 * an operator sets it later), otherwise generated and returned once for printing.
 */
export async function bootstrapAdmin(db: Db, bootstrapKey: string | null): Promise<{ userId: string; apiKey: string | null }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('crmflow-bootstrap-admin'))`);
    let [admin] = await tx.select({ id: users.id }).from(users).where(arrayContains(users.roles, ['admin'])).orderBy(users.id).limit(1);
    let generated: string | null = null;
    if (!admin) {
      [admin] = await tx.insert(users).values({ name: 'Administrator', email: ADMIN_EMAIL, roles: ['admin'] }).returning({ id: users.id });
      if (!bootstrapKey) generated = (await issueApiKey(tx, admin!.id)).apiKey;
    }
    if (bootstrapKey) {
      const keyId = /^crm_(k[0-9a-f]{16})_/.exec(bootstrapKey)?.[1];
      const [present] = keyId ? await tx.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.id, keyId)) : [];
      if (!present) await issueApiKey(tx, admin!.id, bootstrapKey);
    }
    return { userId: admin!.id, apiKey: generated };
  });
}

const DEMO_CUSTOMERS = [
  { name: 'Nordwind Logistics GmbH', kind: 'enterprise', tier: 'vip', region: 'north', creditLimit: '250000.00', contact: { name: 'Greta Nord', email: 'greta@nordwind.example', phone: '+49 40 1234567' } },
  { name: 'Sunrise Bakery', kind: 'enterprise', tier: 'key', region: 'south', creditLimit: '20000.00', contact: { name: 'Luca Sole', email: 'luca@sunrise.example' } },
  { name: 'Alex Example', kind: 'individual', tier: 'standard', region: 'west', creditLimit: '1000.00', contact: { name: 'Alex Example', phone: '+1 555 0100' } },
] as const;

const DEMO_PRODUCTS = [
  { sku: 'ROUTER-X1', name: 'Router X1', kind: 'goods', listPrice: '129.00', stockOnHand: 50 },
  { sku: 'CABLE-CAT6', name: 'Cat6 cable 5 m', kind: 'goods', listPrice: '9.90', stockOnHand: 500 },
  { sku: 'FIBER-1G', name: 'Fibre 1 Gbit/s monthly', kind: 'service', listPrice: '49.00', stockOnHand: 0 },
  { sku: 'SUPPORT-PLUS', name: 'Support Plus (12 months)', kind: 'service', listPrice: '600.00', stockOnHand: 0 },
] as const;

/** Development data for `npm start`: one user per role (keys returned once), customers, products. */
export async function seedDemo(db: Db): Promise<Array<{ role: Role; email: string; apiKey: string }> | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('crmflow-seed-demo'))`);
    const [already] = await tx.select({ id: users.id }).from(users).where(eq(users.email, 'agent@demo.crmflow.local'));
    if (already) return null;
    const keys: Array<{ role: Role; email: string; apiKey: string }> = [];
    for (const role of ROLES) {
      const email = `${role.replace('_', '-')}@demo.crmflow.local`;
      const [user] = await tx.insert(users).values({ name: `Demo ${role.replace('_', ' ')}`, email, roles: [role] }).returning({ id: users.id });
      keys.push({ role, email, apiKey: (await issueApiKey(tx, user!.id)).apiKey });
    }
    for (const { contact, ...customer } of DEMO_CUSTOMERS) {
      const [row] = await tx.insert(customers).values({ ...customer, createdBy: 'seed' }).returning({ id: customers.id });
      await tx.insert(customerContacts).values({ customerId: row!.id, ...contact });
    }
    await tx.insert(products).values([...DEMO_PRODUCTS]).onConflictDoNothing();
    return keys;
  });
}
