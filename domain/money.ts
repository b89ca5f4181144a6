// Amounts travel as "123.24" in the API and as integer cents in code, so sums are exact. A numeric(14,2)
// column holds at most 999 999 999 999.99, far below Number.MAX_SAFE_INTEGER cents; anything that would
// leave the safe-integer range is refused rather than silently rounded.
// Rates and percentages are decimal strings multiplied as BigInt ratios: 0.003 has no exact float.

export const MONEY_PATTERN = '^(0|[1-9]\\d{0,11})\\.\\d{2}$';
export const MAX_CENTS = 99_999_999_999_999;

// A leading minus is accepted so that fromCents and toCents round-trip refunds and balances.
const SIGNED_MONEY = /^(-?)(0|[1-9]\d{0,11})\.(\d{2})$/;
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

interface Ratio {
  num: bigint;
  den: bigint;
}

export function toCents(text: string): number {
  const match = typeof text === 'string' ? SIGNED_MONEY.exec(text) : null;
  if (!match) throw new RangeError(`not an amount: "${String(text)}" (expected two decimals, e.g. "123.24")`);
  const cents = Number(match[2]) * 100 + Number(match[3]);
  return match[1] === '-' && cents !== 0 ? -cents : cents;
}

export function fromCents(cents: number): string {
  assertSafeInteger(cents, 'cents');
  const abs = Math.abs(cents);
  const rest = abs % 100;
  // Subtracting the remainder first keeps the division exact near 2^53, where abs / 100 could round up.
  const units = (abs - rest) / 100;
  return `${cents < 0 ? '-' : ''}${units}.${String(rest).padStart(2, '0')}`;
}

/** 123450 → "1 234.50": amounts as people read them in summaries (the Temporal UI), thousands set apart. */
export function groupedAmount(cents: number): string {
  const [units, fraction] = fromCents(cents).split('.') as [string, string];
  return `${units.replace(/\B(?=(\d{3})+(?!\d))/g, ' ')}.${fraction}`;
}

/**
 * An amount as a float, for the CrmAmount search attribute (a DOUBLE managers sort and filter by in the
 * Temporal UI). Never computed with: sums stay in integer cents.
 */
export function amountAttribute(cents: number): number {
  return cents / 100;
}

export function sumCents(...amounts: readonly number[]): number {
  let total = 0;
  for (const amount of amounts) {
    assertSafeInteger(amount, 'cents');
    total += amount;
    assertSafeInteger(total, 'sum of cents');
  }
  return total;
}

/** cents × factor for an integer factor such as a quantity; refuses results beyond safe integers. */
export function mulCents(cents: number, factor: number): number {
  assertSafeInteger(cents, 'cents');
  assertSafeInteger(factor, 'factor');
  return toSafeNumber(BigInt(cents) * BigInt(factor));
}

/** cents × rate × times, rounded once, half up, to whole cents. */
export function mulRateHalfUp(cents: number, rate: string, times = 1): number {
  assertSafeInteger(cents, 'cents');
  assertCount(times, 'times');
  const { num, den } = parseDecimal(rate);
  return toSafeNumber(divideHalfUp(BigInt(cents) * num * BigInt(times), den));
}

/** The price after taking percentOff % off, rounded half up to whole cents. */
export function applyPercentOff(cents: number, percentOff: number | string): number {
  assertSafeInteger(cents, 'cents');
  const percent = parsePercent(percentOff);
  // Round the price the customer pays, not the discount: one rounding, on the number that is shown.
  const keptNum = 100n * percent.den - percent.num;
  return toSafeNumber(divideHalfUp(BigInt(cents) * keptNum, 100n * percent.den));
}

/** Exact ordering of two non-negative decimals (numbers or strings): negative, zero or positive. */
export function compareDecimal(a: number | string, b: number | string): number {
  const x = parseDecimal(decimalText(a));
  const y = parseDecimal(decimalText(b));
  const diff = x.num * y.den - y.num * x.den;
  return diff === 0n ? 0 : diff < 0n ? -1 : 1;
}

/** Plain decimal text of a non-negative number or string, e.g. 12.5 → "12.5"; a valid string is kept as given. */
export function decimalText(value: number | string): string {
  const text = typeof value === 'number' ? String(value) : value;
  // String(1e-7) is "1e-7": exponent forms are refused rather than misread.
  if (typeof text !== 'string' || !DECIMAL.test(text)) throw new RangeError(`not a non-negative decimal: "${String(value)}"`);
  return text;
}

function parseDecimal(text: string): Ratio {
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`not a non-negative decimal: "${text}"`);
  const fraction = match[2] ?? '';
  return { num: BigInt(match[1] + fraction), den: 10n ** BigInt(fraction.length) };
}

function parsePercent(value: number | string): Ratio {
  const percent = parseDecimal(decimalText(value));
  if (percent.num > 100n * percent.den) throw new RangeError(`percentage above 100: "${String(value)}"`);
  return percent;
}

// Commercial half-up: a half moves away from zero, so a refund rounds like the charge it reverses.
function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const abs = remainder < 0n ? -remainder : remainder;
  if (2n * abs < denominator) return quotient;
  return numerator < 0n ? quotient - 1n : quotient + 1n;
}

function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`amount out of range: ${value} cents`);
  }
  return Number(value);
}

function assertSafeInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer, got ${value}`);
}

function assertCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
}
