// Business refusals travel from workflows and activities as ApplicationFailure types;
// the API maps each type to one HTTP status (SPEC §2).
export const FailureType = {
  InvalidState: 'InvalidState', // 409: action not allowed in the current state
  BusinessRule: 'BusinessRuleRefused', // 422: e.g. credit limit, contract exhausted
  NotFound: 'NotFound', // 404
  Forbidden: 'Forbidden', // 403: e.g. acting outside one's tier
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** Details carried by an InvalidState refusal so the 409 body can name the state and the way out. */
export interface InvalidStateDetails {
  state: string;
  allowedActions: string[];
}
