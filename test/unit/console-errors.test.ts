import { describe, expect, it } from 'vitest';

// How the console words an API refusal (console/api.js ApiError): the detail, then each field's reason the
// detail does not already give.
const { ApiError } = await import(new URL('../../console/api.js', import.meta.url).href);

describe("the console's wording of a refusal", () => {
  it('adds the field reasons to a general detail', () => {
    const error = new ApiError(400, { title: 'Bad Request', detail: 'the request body is invalid', errors: [{ path: '/priority', message: 'must be one of low, normal, high, urgent' }] });
    expect(error.message).toBe('the request body is invalid — /priority: must be one of low, normal, high, urgent');
  });

  it('says a reason once when the detail gives it already', () => {
    const error = new ApiError(403, {
      title: 'Forbidden', detail: 'you may not set creditLimit: only finance changes a credit limit; nothing was changed',
      errors: [{ path: '/creditLimit', message: 'only finance changes a credit limit' }],
    });
    expect(error.message).toBe('you may not set creditLimit: only finance changes a credit limit; nothing was changed');
  });

  it('falls back to the title, then the status', () => {
    expect(new ApiError(409, { title: 'Conflict' }).message).toBe('Conflict');
    expect(new ApiError(502, {}).message).toBe('HTTP 502');
  });
});
