/**
 * `npm run chaos` (CHAOS=1) runs the reliability and security suites at full size; `npm test` runs the
 * same tests small enough to keep the whole suite within a few minutes on a small machine.
 */
export const CHAOS = process.env.CHAOS === '1';

export const sized = (light: number, heavy: number) => (CHAOS ? heavy : light);
