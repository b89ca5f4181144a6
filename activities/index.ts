import { createClaimActivities } from './claims';
import { createContractActivities } from './contracts';
import type { ActivityDeps } from './deps';
import { createInboundActivities } from './inbound';
import { createInvoiceActivities } from './invoices';
import { createNotificationActivities } from './notifications';
import { createOrderActivities } from './orders';
import { createPaymentActivities } from './payments';
import { createPlatformActivities } from './platform';
import { createReturnActivities } from './returns';
import { createTicketActivities } from './tickets';

export type { ActivityDeps } from './deps';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createPlatformActivities(deps),
    ...createNotificationActivities(deps),
    ...createInboundActivities(deps),
    ...createTicketActivities(deps),
    ...createClaimActivities(deps),
    ...createInvoiceActivities(deps),
    ...createOrderActivities(deps),
    ...createContractActivities(deps),
    ...createPaymentActivities(deps),
    ...createReturnActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
