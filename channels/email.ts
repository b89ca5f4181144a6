import nodemailer from 'nodemailer';
import { isPermanentSmtpRefusal } from '../domain/notifications';
import type { Rendered } from './render';

export interface OutgoingMail extends Rendered {
  to: string;
  /** The same on every attempt of one delivery, so the receiver can drop a repeat. */
  messageId: string;
}

/** `code`: the receiver's answer (SMTP reply code or HTTP status) where there was one. */
export type SendOutcome = { ok: true; code: number | null } | { ok: false; permanent: boolean; error: string; code: number | null };

export interface Mailer {
  send(mail: OutgoingMail): Promise<SendOutcome>;
  close(): void;
}

/** SMTP through nodemailer, one message per recipient (each in their own language, with their own Message-ID). */
export function createMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl, { from });
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail({
          to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId,
          // RFC 3834: an automatic message, so auto-responders and our own inbound channel do not answer it.
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
        return { ok: true, code: Number(/^\d{3}/.exec(info.response)?.[0] ?? 250) };
      } catch (error) {
        const { responseCode, message } = error as { responseCode?: number; message?: string };
        return { ok: false, permanent: isPermanentSmtpRefusal(responseCode), error: message ?? String(error), code: responseCode ?? null };
      }
    },
    close: () => transport.close(),
  };
}

/** The domain part of the From address: Message-IDs are made unique under it (RFC 5322 §3.6.4). */
export function mailDomain(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return address.split('@')[1]?.trim() || 'crmflow.localhost';
}
