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
/** Those GET /reports/receivables admits. */
export const RECEIVABLES_ROLES = ['finance', 'manager', 'supervisor', 'admin'];

/** Who reads the knowledge base (the API's ARTICLE_READERS); of them, DRAFT_READERS also see drafts and ARTICLE_WRITERS write. */
export const ARTICLE_READERS = ['agent', 'support_l2', 'support_l3', 'supervisor', 'knowledge_engineer', 'manager'];
export const DRAFT_READERS = ['knowledge_engineer', 'manager'];
export const ARTICLE_WRITERS = ['knowledge_engineer'];
/** GET /reports/articles: the report readers and the knowledge engineers, who learn from it what to write. */
export const ARTICLE_REPORT_ROLES = ['manager', 'supervisor', 'admin', 'knowledge_engineer'];
/** Who works major incidents: those who attach tickets to them, and the manager who follows them; supervisors declare. */
export const INCIDENT_ROLES = ['agent', 'support_l2', 'support_l3', 'supervisor', 'manager'];
export const INCIDENT_DECLARERS = ['supervisor'];
/** POST /tickets/:id/attachments: those who write notes on a ticket. */
export const ATTACHMENT_UPLOADERS = ['agent', 'support_l2', 'support_l3', 'supervisor'];

export const hasRole = (me, roles) => me.roles.some((role) => roles.includes(role));
/** Who keeps the catalogue (POST/PATCH /products, POST /promotions); RESTOCK_ROLES book goods in; PRICE_ROLES set customer prices. */
export const CATALOG_ROLES = ['admin'];
export const RESTOCK_ROLES = ['fulfilment', 'admin'];
export const PRICE_ROLES = ['admin', 'sales_manager'];
/** Who takes orders (POST /orders) and drafts contracts (POST /contracts): the links to those forms. */
export const ORDER_ROLES = ['agent', 'supervisor'];
export const CONTRACT_DRAFT_ROLES = ['agent', 'sales_manager', 'contract_admin'];
/** Who changes a credit limit and decides a raise above the self-service limit. */
export const CREDIT_ROLES = ['finance'];
