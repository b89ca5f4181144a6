import type { ActivityDeps } from './deps';
import { createInvoiceActivities } from './invoices';
import { createPlatformActivities } from './platform';
import { createTicketActivities } from './tickets';

export type { ActivityDeps } from './deps';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createPlatformActivities(deps),
    ...createTicketActivities(deps),
    ...createInvoiceActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
