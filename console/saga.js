// What cancelling an order would undo now. Plain data in, words out (no DOM), so test/unit/console-saga.test.ts
// checks it against the order's states in node.

/** Stock is held for an order's goods from these states until they ship (workflows/order.ts, reserve()). */
const STOCK_HELD = ['reserved', 'awaiting_payment', 'fulfilling', 'provisioning'];

/**
 * What cancelling the order now would undo, in the order the process runs the undos (its saga runs
 * them last step first, workflows/order.ts): read off the order's state, which is what each undo follows.
 */
export function compensations(o) {
  const goods = o.lines.filter((l) => l.kind === 'goods').map((l) => l.sku);
  return [
    o.status === 'provisioning' && 'release the services allocated for activation',
    o.invoiceId && `void invoice ${o.invoiceId}`,
    o.paymentId && `refund payment ${o.paymentId}`,
    goods.length > 0 && STOCK_HELD.includes(o.status) && `release the stock held for ${goods.join(', ')}`,
    goods.length > 0 && o.status === 'backordered' && 'stop waiting for the restock (no stock is held yet)',
    o.contractId && `release the draw-down reserved on contract ${o.contractId}`,
  ].filter(Boolean);
}
