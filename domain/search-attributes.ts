import { defineSearchAttributeKey } from '@temporalio/common';

// SPEC §7: the custom search attributes managers filter by in the Temporal UI.
export const CrmKind = defineSearchAttributeKey('CrmKind', 'KEYWORD');
export const CrmStatus = defineSearchAttributeKey('CrmStatus', 'KEYWORD');
export const CrmCustomerId = defineSearchAttributeKey('CrmCustomerId', 'KEYWORD');
export const CrmCustomerTier = defineSearchAttributeKey('CrmCustomerTier', 'KEYWORD');
export const CrmPriority = defineSearchAttributeKey('CrmPriority', 'KEYWORD');
export const CrmTier = defineSearchAttributeKey('CrmTier', 'KEYWORD');
export const CrmAssignee = defineSearchAttributeKey('CrmAssignee', 'KEYWORD');
export const CrmSlaBreached = defineSearchAttributeKey('CrmSlaBreached', 'BOOL');
export const CrmAmount = defineSearchAttributeKey('CrmAmount', 'DOUBLE');
export const CrmDueAt = defineSearchAttributeKey('CrmDueAt', 'DATETIME');

export const CRM_SEARCH_ATTRIBUTES = [
  CrmKind, CrmStatus, CrmCustomerId, CrmCustomerTier, CrmPriority, CrmTier, CrmAssignee, CrmSlaBreached, CrmAmount, CrmDueAt,
];
