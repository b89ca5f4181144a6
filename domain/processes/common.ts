import type { UpdateDefinition } from '@temporalio/common';
import { defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../roles';

// What every process's definitions module shares. `defineUpdate` and friends are plain definitions, safe
// to import from the workflow sandbox, the activities and the API alike (the SDK samples' shared.ts).

/** Every human action carries who took it. */
export type WithActor<T = object> = T & { actor: Actor };

/** A process's human actions as Updates: one per action, named after it, answering with the process's view. */
export type ActionUpdates<View, Args extends object> = { [A in keyof Args & string]: UpdateDefinition<View, [WithActor<Args[A]>], A> };

/** Defines one Update per action; the names are part of every running process's history and must not change. */
export function defineActionUpdates<View, Args extends object>(names: readonly (keyof Args & string)[]): ActionUpdates<View, Args> {
  return Object.fromEntries(names.map((name) => [name, defineUpdate(name)])) as unknown as ActionUpdates<View, Args>;
}
