// The audit log is written by its repository; routes keep importing it from here.
export { audit } from '../db/audit';
