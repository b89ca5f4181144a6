/**
 * A business refusal found by a repository (an exhausted contract, an unknown customer, a return of goods
 * not yet delivered: `invalid-state`, with `details.state`). Repositories
 * know no Temporal or HTTP: activities turn it into an ApplicationFailure, routes into a problem.
 * Thrown inside a transaction, it rolls back whatever the transaction wrote.
 */
export class Refusal extends Error {
  constructor(message: string, readonly details?: Record<string, unknown>, readonly kind: 'business-rule' | 'not-found' | 'invalid-state' = 'business-rule') {
    super(message);
    this.name = 'Refusal';
  }
}
