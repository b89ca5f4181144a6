import { contractDriver } from './contracts';
import type { Harness } from './harness';
import { orderDriver } from './orders';
import { reportInputs } from './report-inputs';
import { ticketDriver } from './tickets';

/** The API drivers of every process, and the report-input rows, on one harness. */
export function processDrivers(h: Harness) {
  return { t: ticketDriver(h), o: orderDriver(h), c: contractDriver(h), rows: reportInputs(h) };
}

export type ProcessDrivers = ReturnType<typeof processDrivers>;
