/**
 * `npm run chaos` (CHAOS=1) runs the reliability and security suites at full size; `npm test` runs the
 * same tests small enough to keep the whole suite within a few minutes on a small machine.
 */
export const CHAOS = process.env.CHAOS === '1';

export const sized = (light: number, heavy: number) => (CHAOS ? heavy : light);

/**
 * A fault delays answers by design (a killed worker's activity waits out its start-to-close timeout, a
 * restarted server its reconnect): the fleets' people wait for their answer rather than take the API's
 * 504 after CRM_UPDATE_WAIT_MS, which test/integration/engine-unavailable.test.ts covers.
 */
export const PATIENT_PEOPLE = { CRM_UPDATE_WAIT_MS: '180000' };
