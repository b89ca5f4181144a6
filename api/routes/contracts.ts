import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import { findCustomer } from '../../db/customers';
import { ticketsLinkedTo } from '../../db/links';
import { contractApprovals, contractCallOffs, contractEvents, contracts, contractVersions, products } from '../../db/schema';
import { consumptionOf, remainingOf, type Consumption } from '../../domain/call-offs';
import { CONTRACT_ACTION_NAMES, CONTRACT_ACTIONS, CONTRACT_CREATORS, contractSummary, draftTerms, termChanges, type ContractTerms } from '../../domain/contracts';
import { parseInstant } from '../../domain/dates';
import { amountAttribute, fromCents, toCents } from '../../domain/money';
import { CrmAmount, CrmCustomerId, CrmCustomerTier, CrmDueAt, CrmKind, CrmStatus } from '../../domain/search-attributes';
import { CONTRACT_WORKFLOW, contractOpened, contractState, contractUpdates, type AmendArgs, type ContractInput } from '../../domain/processes/contract';
import type { RetentionOffer } from '../../domain/contracts';
import { CONTRACT_CLOCK } from '../../domain/processes/contract-state';
import { actorNamer } from '../actors';
import { newestFirst } from '../lists';
import { notFound, unprocessable } from '../problem';
import { openProcess, queryProcess, registerProcessActions } from '../process';
import { IdempotencyHeaders, IdParams, ListQuery, Page } from '../schemas/common';
import { ContractActionBodies, ContractDetail, ContractRow, ContractStatus, ContractType, ContractView, CreateContract } from '../schemas/contracts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const cents = (money: string | undefined) => (money === undefined ? undefined : toCents(money));
const pricesInCents = (prices: Array<{ sku: string; unitPrice: string }> | undefined) => prices?.map((p) => ({ sku: p.sku, unitPriceCents: toCents(p.unitPrice) }));

function rowView(row: typeof contracts.$inferSelect) {
  return {
    id: row.id, status: row.status, type: row.type, customerId: row.customerId, version: row.version, term: row.term, targetValue: row.targetValue,
    validFrom: row.validFrom.toISOString(), validTo: row.validTo.toISOString(), awaiting: row.awaiting, externalRef: row.particulars.externalRef,
    createdBy: row.createdBy, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * A version's changes against the terms it was proposed on: the newest earlier version that was ever in
 * force (a rejected or withdrawn amendment never was, so the next one is compared with what ran instead).
 */
function changesFrom(earlier: Array<typeof contractVersions.$inferSelect>, terms: ContractTerms) {
  const base = earlier.findLast((v) => v.status === 'in_force' || v.status === 'superseded');
  return base ? termChanges(base.terms, terms) : [];
}

const quantitiesOf = (c: Consumption) => Object.entries(c.quantities).map(([sku, qty]) => ({ sku, qty }));

export const contractRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/contracts', {
    config: { roles: CONTRACT_CREATORS },
    schema: {
      tags: ['contracts'], summary: 'Draft a value or quantity contract', body: CreateContract,
      headers: IdempotencyHeaders,
      response: { 201: ContractView },
    },
  }, async (request, reply) => {
    const body = request.body;
    const zone = app.config.business.timeZone;
    const customer = await findCustomer(app.db, body.customerId);
    if (!customer) throw unprocessable(`customer ${body.customerId} does not exist`, { errors: [{ path: '/customerId', message: 'unknown customer' }] });
    const skus = [...(body.prices ?? []), ...(body.targetQuantities ?? [])].map((p) => p.sku);
    const listed = skus.length ? await app.db.select({ sku: products.sku, listPrice: products.listPrice }).from(products).where(inArray(products.sku, skus)) : [];
    const terms = draftTerms({
      type: body.type, validFrom: parseInstant(body.validFrom, zone), validTo: parseInstant(body.validTo, zone), targetValueCents: cents(body.targetValue) ?? null,
      targetQuantities: body.targetQuantities ?? null, prices: pricesInCents(body.prices) ?? [], paymentTerms: body.paymentTerms ?? null,
      billing: body.billing ? { frequency: body.billing.frequency, amountCents: toCents(body.billing.amount) } : null,
      autoRenew: body.autoRenew ?? false, renewalMonths: body.renewalMonths ?? 12, noticeDays: body.noticeDays ?? 30, terms: body.terms ?? null,
    }, (sku) => {
      const product = listed.find((p) => p.sku === sku);
      return product ? toCents(product.listPrice) : null;
    });
    if (Array.isArray(terms)) throw unprocessable('the contract draft is not consistent', { errors: terms });
    return openProcess(app, request, reply, {
      kind: 'contract', workflow: CONTRACT_WORKFLOW, opened: contractOpened, prefix: app.config.idPrefixes.contractByType[body.type],
      input: (number): ContractInput => ({
        number, customerId: customer.id, type: body.type, terms, actor: request.actor, dayMs: app.config.contracts.dayMs, timeZone: zone,
        particulars: {
          externalRef: body.externalRef ?? null, poDate: body.poDate ?? null, salesOrg: body.salesOrg ?? null,
          channel: body.channel ?? null, division: body.division ?? null, sla: body.sla ?? null, coveredCategories: body.coveredCategories ?? null,
        },
      }),
      summary: (number) => contractSummary({ number, type: body.type, targetValueCents: terms.targetValueCents, customerId: customer.id }),
      details: `Customer ${customer.id}${body.externalRef ? ` · ref ${body.externalRef}` : ''} · ${body.validFrom} – ${body.validTo}`,
      searchAttributes: [
        { key: CrmKind, value: 'contract' }, { key: CrmStatus, value: 'draft' }, { key: CrmCustomerId, value: customer.id }, { key: CrmCustomerTier, value: customer.tier },
        { key: CrmAmount, value: amountAttribute(terms.targetValueCents) }, { key: CrmDueAt, value: new Date(terms.validTo) },
      ],
    });
  });

  app.get('/contracts', {
    config: { roles: 'authenticated' },
    schema: {
      tags: ['contracts'],
      querystring: ListQuery({ status: Type.Optional(ContractStatus), customerId: Type.Optional(Type.String({ maxLength: 64 })), type: Type.Optional(ContractType) }),
      response: { 200: Page(ContractRow) },
    },
  }, async (request) => {
    const { status, customerId, type } = request.query;
    return newestFirst(app.db, contracts, request.query, [[contracts.status, status], [contracts.customerId, customerId], [contracts.type, type]], rowView);
  });

  app.get('/contracts/:id', {
    config: { roles: 'authenticated' },
    schema: { tags: ['contracts'], params: IdParams, response: { 200: ContractDetail } },
  }, async (request) => {
    const [row] = await app.db.select().from(contracts).where(eq(contracts.id, request.params.id));
    if (!row) throw notFound('contract', request.params.id);
    const [versions, approvals, events, callOffs, live, linkedTickets] = await Promise.all([
      app.db.select().from(contractVersions).where(eq(contractVersions.contractId, row.id)).orderBy(asc(contractVersions.version)),
      app.db.select().from(contractApprovals).where(eq(contractApprovals.contractId, row.id)).orderBy(asc(contractApprovals.round), asc(contractApprovals.step)),
      app.db.select().from(contractEvents).where(eq(contractEvents.contractId, row.id)).orderBy(asc(contractEvents.seq)),
      app.db.select().from(contractCallOffs).where(and(eq(contractCallOffs.contractId, row.id), ne(contractCallOffs.status, 'released'))),
      queryProcess(app.temporal, row.workflowId, contractState, request.actor),
      ticketsLinkedTo(app.db, 'contract', row.id),
    ]);
    const nameOf = await actorNamer(app.db, [...approvals.map((a) => a.actorId), ...events.map((e) => e.actorId), ...versions.map((v) => v.createdBy)], [CONTRACT_CLOCK]);
    const reserved = consumptionOf(callOffs.filter((c) => c.status === 'reserved'));
    const consumed = consumptionOf(callOffs.filter((c) => c.status === 'consumed'));
    const remaining = remainingOf({ ...row.terms, type: row.type }, consumptionOf(callOffs));
    return {
      ...rowView(row), particulars: row.particulars, signedAt: iso(row.signedAt), activatedAt: iso(row.activatedAt), endedAt: iso(row.endedAt),
      versions: versions.map((v, i) => ({
        version: v.version, kind: v.kind, status: v.status, reason: v.reason, targetValue: v.targetValue, validTo: new Date(v.terms.validTo).toISOString(),
        createdBy: v.createdBy, createdByName: nameOf(v.createdBy), createdAt: v.createdAt.toISOString(), decidedAt: iso(v.decidedAt),
        changes: changesFrom(versions.slice(0, i), v.terms),
      })),
      approvals: approvals.map((a) => ({ round: a.round, step: a.step, version: a.version, role: a.role, decision: a.decision, actorId: a.actorId, actorName: nameOf(a.actorId), comment: a.comment, at: a.at.toISOString() })),
      consumption: {
        reserved: { value: fromCents(reserved.valueCents), quantities: quantitiesOf(reserved) },
        consumed: { value: fromCents(consumed.valueCents), quantities: quantitiesOf(consumed) },
      },
      remaining: { value: fromCents(remaining.valueCents), quantities: remaining.quantities },
      live, linkedTickets,
      timeline: events.map((e) => ({ seq: e.seq, action: e.action, actorId: e.actorId, actorName: nameOf(e.actorId), fromStatus: e.fromStatus, toStatus: e.toStatus, version: e.version, note: e.note, at: e.at.toISOString() })),
    };
  });

  await app.register(registerProcessActions({
    kind: 'contract', actions: CONTRACT_ACTION_NAMES, rules: CONTRACT_ACTIONS, bodies: ContractActionBodies, response: ContractView, updates: contractUpdates,
    convert: { amend: amendArgsIn(app.config.business.timeZone), 'retention-offer': retentionOffer },
    check: async (action, body) => {
      if (action === 'amend') await checkProducts((body.changes as { prices?: Array<{ sku: string }> }).prices ?? []);
    },
  }));

  async function checkProducts(prices: Array<{ sku: string }>) {
    if (prices.length === 0) return;
    const known = await app.db.select({ sku: products.sku }).from(products).where(inArray(products.sku, prices.map((p) => p.sku)));
    const unknown = prices.flatMap((p, i) => (known.some((k) => k.sku === p.sku) ? [] : [{ path: `/changes/prices/${i}/sku`, message: `unknown product ${p.sku}` }]));
    if (unknown.length) throw unprocessable('the amendment prices unknown products', { errors: unknown });
  }
};

/** The API speaks money as "123.24" and dates (in the business time zone) as text; the workflow speaks cents and instants. */
const amendArgsIn = (zone: string) => (body: Static<typeof ContractActionBodies.amend>): AmendArgs => {
  const { changes } = body;
  if (Object.keys(changes).length === 0) throw unprocessable('an amendment needs at least one change', { errors: [{ path: '/changes', message: 'empty' }] });
  return {
    reason: body.reason,
    changes: {
      ...(changes.targetValue !== undefined ? { targetValueCents: toCents(changes.targetValue) } : {}),
      ...(changes.validTo !== undefined ? { validTo: parseInstant(changes.validTo, zone) } : {}),
      ...(changes.prices !== undefined ? { prices: pricesInCents(changes.prices) } : {}),
      ...(changes.terms !== undefined ? { terms: changes.terms } : {}),
    },
  };
};

/** An offer names at least one thing; what it leaves out is null in the workflow's record. */
function retentionOffer(body: Static<typeof ContractActionBodies['retention-offer']>): RetentionOffer {
  const { discountPercent = null, months = null, alternative = null } = body;
  if (discountPercent === null && months === null && alternative === null) {
    throw unprocessable('a retention offer names a discount, a term extension or an alternative', { errors: [{ path: '', message: 'needs discountPercent, months or alternative' }] });
  }
  return { discountPercent, months, alternative };
}
