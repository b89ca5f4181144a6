import { expect } from 'vitest';
import type { CaughtMail, MailCatcher } from '../../channels/mail-catcher';
import { customerWithContact } from './customers';
import { uniq, type Harness } from './harness';
import { ticketDriver } from './tickets';
import { eventually } from './wait';

// The customer's portal as the tests reach it: a ticket resolved (or asked a question) by support, and the
// links taken from the mail the customer's contact received.

const TOKEN = '[A-Za-z0-9_-]{43}';

/** The mails to an address whose subject starts as given, once there are `count`. */
export const mailsTo = (catcher: MailCatcher, address: string, subject: string, count = 1) =>
  eventually(async () => catcher.messages().filter((m) => m.to.includes(address) && m.subject.startsWith(subject)), (m) => m.length === count);

/** The two links of a resolution mail, checked to be exactly the portal page of one token with its two answers. */
export function resolutionLinks(mail: CaughtMail, publicUrl: string) {
  const solved = new RegExp(`^Solved\\? Please rate our help \\(1 to 5\\): (\\S+)$`, 'm').exec(mail.text)?.[1];
  const notSolved = new RegExp(`^Not solved\\? Tell us what is missing and we will continue: (\\S+)$`, 'm').exec(mail.text)?.[1];
  const page = new RegExp(`^${publicUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/portal/t/(${TOKEN})#solved$`).exec(solved ?? '');
  expect(page, mail.text).not.toBeNull();
  const token = page![1]!;
  expect(notSolved).toBe(`${publicUrl}/portal/t/${token}#not-solved`);
  return { token, path: `/portal/t/${token}`, solved: solved!, notSolved: notSolved! };
}

/** The answer link of a question mail. */
export function questionLink(mail: CaughtMail, publicUrl: string) {
  const link = /^Please answer here: (\S+)$/m.exec(mail.text)?.[1];
  const token = new RegExp(`/portal/t/(${TOKEN})$`).exec(link ?? '')?.[1];
  expect(link, mail.text).toBe(`${publicUrl}/portal/t/${token}`);
  return { token: token!, path: `/portal/t/${token}`, link: link! };
}

/** A billing complaint of a fresh customer, resolved at L1 by an agent; with the resolution mail's links. */
export async function resolvedTicket(h: Harness, catcher: MailCatcher, resolution = 'We credited 12.50 EUR on your next invoice.') {
  const t = ticketDriver(h);
  const contact = await customerWithContact(h);
  const subject = `Double charge ${uniq()}`;
  const opened = await t.open({ customerId: contact.customerId, category: 'billing', subject });
  await t.act('agent', opened.id, 'resolve', { resolution });
  const [mail] = await mailsTo(catcher, contact.email, `[${opened.id}] Your request is resolved`);
  return { ...contact, id: opened.id as string, subject, resolution, mail: mail!, links: resolutionLinks(mail!, h.config.notifications.publicUrl) };
}
