// A new contract draft (#/contracts/new?customer=<id>): type and target, validity, prices, billing and
// terms, sent once (Idempotency-Key); the contract page opens on the draft, where Submit is offered.
import { api, newIdempotencyKey } from './api.js';
import { chosenCustomer } from './customer-picker.js';
import { announce, field, h, replace, words } from './dom.js';
import { recordForm } from './forms.js';
import { skuLines } from './lines.js';
import { BILLING_FREQUENCIES, CONTRACT_TYPES } from './vocab.js';

const MONEY = '\\s*\\d{1,12}\\.\\d{2}\\s*';

/** The body POST /contracts takes from what was typed; empty optional fields are left out. */
function draftBody(data, type, quantities, prices) {
  const text = (name) => data.get(name)?.trim() ?? '';
  const optional = (name, value = text(name)) => (value ? { [name]: value } : {});
  return {
    customerId: data.get('customerId'), type, validFrom: text('validFrom'), validTo: text('validTo'),
    ...(type === 'value' ? { targetValue: text('targetValue') } : { targetQuantities: quantities.rows().map((q) => ({ sku: q.sku, qty: Number(q.qty) })) }),
    prices: prices.rows().map((p) => ({ sku: p.sku, unitPrice: p.unitPrice })),
    ...optional('paymentTerms'), ...optional('terms'), ...optional('externalRef'),
    ...(text('billingFrequency') ? { billing: { frequency: text('billingFrequency'), amount: text('billingAmount') } } : {}),
    noticeDays: Number(text('noticeDays')),
    autoRenew: data.get('autoRenew') === 'on',
    ...(data.get('autoRenew') === 'on' ? { renewalMonths: Number(text('renewalMonths')) } : {}),
  };
}

export function newContractView({ main }, params) {
  let idempotencyKey = newIdempotencyKey();
  const type = h('select', { id: 'new-contract-type', name: 'type' }, CONTRACT_TYPES.map((t) => h('option', { value: t }, words(t))));
  const target = h('input', { id: 'new-contract-target', name: 'targetValue', required: true, inputmode: 'decimal', pattern: MONEY, placeholder: '50000.00' });
  const targetField = field('new-contract-target', 'Target value', target);
  const quantities = skuLines({ id: 'new-contract-quantities', legend: 'Target quantities', value: { name: 'qty', label: 'Quantity', attrs: { type: 'number', min: 1, step: 1 } } });
  const prices = skuLines({ id: 'new-contract-prices', legend: 'Prices', value: { name: 'unitPrice', label: 'Unit price', attrs: { inputmode: 'decimal', pattern: MONEY, size: 12 } } });
  // A value contract has a target value; a quantity contract is valued from its quantities.
  const showTarget = () => {
    const value = type.value === 'value';
    targetField.hidden = !value;
    target.disabled = !value;
    quantities.element.hidden = value;
  };
  type.addEventListener('change', showTarget);
  const number = (id, name, label, value, attrs = {}) => field(id, label, h('input', { id, name, type: 'number', value, required: true, ...attrs }));
  const form = recordForm({
    id: 'new-contract', className: 'card', title: 'Contract draft', submit: 'Create draft',
    fields: [
      chosenCustomer(params, 'new-contract-customer-q'),
      h('div', { className: 'row' },
        field('new-contract-type', 'Type', type), targetField,
        field('new-contract-from', 'Valid from', h('input', { id: 'new-contract-from', name: 'validFrom', type: 'date', required: true })),
        field('new-contract-to', 'Valid to', h('input', { id: 'new-contract-to', name: 'validTo', type: 'date', required: true }))),
      quantities.element,
      prices.element,
      h('div', { className: 'row' },
        field('new-contract-payment', 'Payment terms', h('input', { id: 'new-contract-payment', name: 'paymentTerms', maxlength: 100, placeholder: 'net 30' })),
        field('new-contract-billing', 'Billing', h('select', { id: 'new-contract-billing', name: 'billingFrequency' },
          h('option', { value: '' }, 'none'), BILLING_FREQUENCIES.map((f) => h('option', { value: f }, f)))),
        field('new-contract-billing-amount', 'Billing amount', h('input', { id: 'new-contract-billing-amount', name: 'billingAmount', inputmode: 'decimal', pattern: MONEY })),
        number('new-contract-notice', 'noticeDays', 'Notice (days)', 30, { min: 0, max: 3650 })),
      h('div', { className: 'row' },
        h('div', { className: 'field check' }, h('input', { id: 'new-contract-renew', name: 'autoRenew', type: 'checkbox' }), h('label', { for: 'new-contract-renew' }, 'Renews itself')),
        number('new-contract-renewal', 'renewalMonths', 'Renewal (months)', 12, { min: 1, max: 120 }),
        field('new-contract-ref', "Customer's reference", h('input', { id: 'new-contract-ref', name: 'externalRef', maxlength: 100 }))),
      field('new-contract-terms', 'Terms of its own (any text makes it non-standard: legal approves)', h('textarea', { id: 'new-contract-terms', name: 'terms', rows: 3 })),
    ],
    send: async (_values, data) => {
      const draft = await api('/contracts', { method: 'POST', headers: { 'idempotency-key': idempotencyKey }, body: draftBody(data, type.value, quantities, prices) });
      idempotencyKey = newIdempotencyKey();
      announce(`Drafted contract ${draft.id}.`);
      location.hash = `#/contracts/${encodeURIComponent(draft.id)}`;
    },
  });
  showTarget();
  replace(main, h('h1', { tabindex: -1 }, 'New contract'), form);
  return () => {};
}
