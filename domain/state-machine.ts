import type { Actor, Role } from './roles';

// Each process states its human actions once: from which states, by which roles. The workflow's update
// validators, the API's route roles and the "allowed actions" shown to users all read this table.
export interface ActionRule<State extends string> {
  from: readonly State[];
  roles: readonly Role[];
}

export type ActionRules<State extends string, Action extends string> = Record<Action, ActionRule<State>>;

export type Refusal =
  | { kind: 'invalid_state'; message: string; state: string; allowedActions: string[] }
  | { kind: 'forbidden'; message: string };

function hasAnyRole(actor: Pick<Actor, 'roles'>, roles: readonly Role[]): boolean {
  return actor.roles.some((role) => roles.includes(role));
}

/** Actions possible in `state`; with an actor, only those the actor's roles may take. */
export function allowedActions<S extends string, A extends string>(rules: ActionRules<S, A>, state: S, actor?: Pick<Actor, 'roles'>): A[] {
  return (Object.keys(rules) as A[]).filter((action) => rules[action].from.includes(state) && (!actor || hasAnyRole(actor, rules[action].roles)));
}

/** Why `actor` may not take `action` in `state`, or null when the table admits it. */
export function refusalFor<S extends string, A extends string>(rules: ActionRules<S, A>, state: S, action: A, actor: Pick<Actor, 'roles'>): Refusal | null {
  const rule = rules[action];
  if (!hasAnyRole(actor, rule.roles)) return { kind: 'forbidden', message: `${action} needs one of the roles: ${rule.roles.join(', ')}` };
  if (!rule.from.includes(state)) {
    return { kind: 'invalid_state', message: `${action} is not possible in state ${state}`, state, allowedActions: allowedActions(rules, state) };
  }
  return null;
}

/** A process's own objection to an action, before it is dressed as a refusal naming the state and the way out. */
export type Objection = { kind: Refusal['kind']; message: string } | null;

/**
 * Builds a process's "what may this actor do now" and "why not" from one check over its facts, so the
 * buttons a console shows and the refusals the workflow gives can never disagree.
 */
export function processRules<Facts extends { state: string }, Action extends string>(
  actions: readonly Action[],
  check: (facts: Facts, action: Action, actor: Actor) => Objection,
) {
  const allowed = (facts: Facts, actor: Actor): Action[] => actions.filter((action) => !check(facts, action, actor));
  const refusal = (facts: Facts, action: Action, actor: Actor): Refusal | null => {
    const objection = check(facts, action, actor);
    if (!objection) return null;
    if (objection.kind === 'forbidden') return { kind: 'forbidden', message: objection.message };
    return { kind: 'invalid_state', message: objection.message, state: facts.state, allowedActions: allowed(facts, actor) };
  };
  return { allowed, refusal };
}
