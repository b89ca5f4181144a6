import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, numeric, pgSequence, pgTable, primaryKey, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import type { PricedCallOffLine } from '../../domain/call-offs';
import { RETENTION_STATUSES, type ContractParticulars, type ContractState, type ContractTerms, type ContractType, type RetentionOffer } from '../../domain/contracts';
import { customers } from './customers';

export const contractSeq = pgSequence('contract_seq');

// The contract row mirrors the workflow after each transition (`last_seq` keeps late writes from going
// backwards). `terms` is the version in force: call-offs read their prices and targets from it under a
// row lock, so the lock on this row is what serialises concurrent call-offs against one contract.
export const contracts = pgTable('contracts', {
  id: text('id').primaryKey(),
  workflowId: text('workflow_id').notNull().unique(),
  customerId: text('customer_id').notNull().references(() => customers.id),
  type: text('type').$type<ContractType>().notNull(),
  status: text('status').$type<ContractState>().notNull(),
  version: integer('version').notNull(),
  term: integer('term').notNull().default(1),
  targetValue: numeric('target_value', { precision: 14, scale: 2 }).notNull(),
  validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
  validTo: timestamp('valid_to', { withTimezone: true }).notNull(),
  terms: jsonb('terms').$type<ContractTerms>().notNull(),
  particulars: jsonb('particulars').$type<ContractParticulars>().notNull(),
  awaiting: text('awaiting'), // the approver role whose decision is due, if any
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  signedAt: timestamp('signed_at', { withTimezone: true }),
  activatedAt: timestamp('activated_at', { withTimezone: true }),
  endedAt: timestamp('ended_at', { withTimezone: true }),
  lastSeq: integer('last_seq').notNull(),
}, (t) => [
  index('contracts_status_idx').on(t.status, t.createdAt, t.id),
  index('contracts_customer_idx').on(t.customerId, t.createdAt, t.id),
  index('contracts_type_idx').on(t.type, t.createdAt, t.id),
  index('contracts_created_idx').on(t.createdAt, t.id),
  index('contracts_valid_to_idx').on(t.validTo),
]);

/** Every version of the terms: v1 as drafted, then one per amendment or renewal. */
export const contractVersions = pgTable('contract_versions', {
  contractId: text('contract_id').notNull().references(() => contracts.id),
  version: integer('version').notNull(),
  kind: text('kind', { enum: ['draft', 'amendment', 'renewal'] }).notNull(),
  status: text('status', { enum: ['pending_approval', 'in_force', 'rejected', 'withdrawn', 'superseded'] }).notNull(),
  reason: text('reason'),
  terms: jsonb('terms').$type<ContractTerms>().notNull(),
  targetValue: numeric('target_value', { precision: 14, scale: 2 }).notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
}, (t) => [primaryKey({ columns: [t.contractId, t.version] })]);

/** Every approval decision: one row per (round, step); a resubmission or an amendment opens a new round. */
export const contractApprovals = pgTable('contract_approvals', {
  contractId: text('contract_id').notNull().references(() => contracts.id),
  round: integer('round').notNull(),
  step: smallint('step').notNull(),
  version: integer('version').notNull(),
  role: text('role').notNull(),
  decision: text('decision', { enum: ['approved', 'rejected'] }).notNull(),
  actorId: text('actor_id').notNull(),
  comment: text('comment'),
  at: timestamp('at', { withTimezone: true }).notNull(),
}, (t) => [primaryKey({ columns: [t.contractId, t.round, t.step] })]);

export const contractEvents = pgTable('contract_events', {
  contractId: text('contract_id').notNull().references(() => contracts.id),
  seq: integer('seq').notNull(),
  action: text('action').notNull(),
  actorId: text('actor_id').notNull(),
  fromStatus: text('from_status').$type<ContractState>(),
  toStatus: text('to_status').$type<ContractState>().notNull(),
  version: integer('version').notNull(),
  note: text('note'),
  at: timestamp('at', { withTimezone: true }).notNull(),
}, (t) => [primaryKey({ columns: [t.contractId, t.seq] }), index('contract_events_action_idx').on(t.action, t.at)]);

// One row per order calling off a contract: reserved while the order runs, consumed once fulfilled,
// released when it is cancelled. Reserved and consumed rows together are the contract's draw-down.
export const contractCallOffs = pgTable('contract_call_offs', {
  orderId: text('order_id').primaryKey(),
  contractId: text('contract_id').notNull().references(() => contracts.id),
  customerId: text('customer_id').notNull(),
  status: text('status', { enum: ['reserved', 'consumed', 'released'] }).notNull(),
  lines: jsonb('lines').$type<PricedCallOffLine[]>().notNull(),
  total: numeric('total', { precision: 14, scale: 2 }).notNull(),
  calledOn: date('called_on').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('contract_call_offs_total_non_negative', sql`${t.total} >= 0`),
  index('contract_call_offs_contract_idx').on(t.contractId, t.status),
]);

// One row per termination request and its retention step (issue 17), mirrored from the workflow like the
// contract row; the retention rate of /reports/contracts counts these by request day.
export const contractRetentionCases = pgTable('contract_retention_cases', {
  contractId: text('contract_id').notNull().references(() => contracts.id),
  case: integer('case').notNull(),
  status: text('status', { enum: RETENTION_STATUSES }).notNull(),
  requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
  requestedBy: text('requested_by').notNull(),
  reason: text('reason').notNull(),
  offer: jsonb('offer').$type<RetentionOffer>(),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
}, (t) => [primaryKey({ columns: [t.contractId, t.case] }), index('contract_retention_cases_requested_idx').on(t.requestedAt)]);
