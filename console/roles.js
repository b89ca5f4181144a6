// Which roles each part of the console serves: the shell's navigation and the pages that link to one another
// read them here, so a page is never loaded to learn who may open it. The API decides again on every call.
export const SUPPORT_ROLES = ['support_l2', 'support_l3', 'supervisor'];
export const FRONT_ROLES = ['agent', 'supervisor'];
export const MANAGER_ROLES = ['manager', 'supervisor'];
export const ADMIN_ROLES = ['admin'];
export const RETURN_ROLES = ['agent', 'fulfilment'];
/** Those who read receivables on the Finance page; of them, POST /payments admits PAYMENT_ROLES. */
export const FINANCE_ROLES = ['finance', 'manager', 'contract_admin'];
export const PAYMENT_ROLES = ['finance', 'contract_admin'];

export const hasRole = (me, roles) => me.roles.some((role) => roles.includes(role));
/** Who takes orders (POST /orders) and drafts contracts (POST /contracts): the links to those forms. */
export const ORDER_ROLES = ['agent', 'supervisor'];
export const CONTRACT_DRAFT_ROLES = ['agent', 'sales_manager', 'contract_admin'];
/** Who changes a credit limit and decides a raise above the self-service limit. */
export const CREDIT_ROLES = ['finance'];
