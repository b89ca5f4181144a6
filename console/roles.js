// Which roles each part of the console serves: the shell's navigation and the pages that link to one another
// read them here, so a page is never loaded to learn who may open it. The API decides again on every call.
export const SUPPORT_ROLES = ['support_l2', 'support_l3', 'supervisor'];
export const FRONT_ROLES = ['agent', 'supervisor'];
export const MANAGER_ROLES = ['manager', 'supervisor'];
export const ADMIN_ROLES = ['admin'];
/** GET /audit admits these; GET /settings also supervisors, who read it without the forms (PUT is admin's). */
export const AUDIT_ROLES = ['admin', 'manager'];
export const SETTINGS_ROLES = ['admin', 'manager', 'supervisor'];
/** GET /notifications/failures: whoever chases a customer or a webhook that was not reached. */
export const FAILURE_ROLES = ['admin', 'supervisor'];
export const RETURN_ROLES = ['agent', 'fulfilment'];
/** Those who read receivables on the Finance page; of them, POST /payments admits PAYMENT_ROLES. */
export const FINANCE_ROLES = ['finance', 'manager', 'contract_admin'];
export const PAYMENT_ROLES = ['finance', 'contract_admin'];

export const hasRole = (me, roles) => me.roles.some((role) => roles.includes(role));
