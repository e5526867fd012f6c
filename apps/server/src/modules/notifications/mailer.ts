import { type TLocale, translate, ZLocale } from '@opennrm/domain';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Queryable } from '../../db/client.ts';
import type { Config } from '../../env.ts';
import { notificationMessage } from './notifications.service.ts';

const transports = new Map<string, Transporter>();

function transport(url: string): Transporter {
  let t = transports.get(url);
  if (!t) {
    t = nodemailer.createTransport(url);
    transports.set(url, t);
  }
  return t;
}

/**
 * Sends the e-mail of one notification (job `email.send`). The text is the notification message in
 * the recipient's language: case number and referral purpose, nothing personal.
 */
export async function sendNotificationEmail(
  q: Queryable,
  config: Pick<Config, 'smtpUrl' | 'smtpFrom'>,
  notificationId: string,
): Promise<void> {
  if (!config.smtpUrl) return;
  const [n] = await q.query<{
    kind: Parameters<typeof notificationMessage>[1];
    case_number: string;
    purpose: Parameters<typeof notificationMessage>[3];
    from_agency: string | null;
    email: string | null;
    locale: string;
    active: boolean;
  }>(
    `select n.kind, n.case_number, n.purpose, a.name as from_agency, u.email, u.locale, u.active
       from notifications n join users u on u.id = n.user_id left join agencies a on a.id = n.from_agency_id
      where n.id = $1`,
    [notificationId],
  );
  if (!n?.email || !n.active) return;
  const locale: TLocale = ZLocale.safeParse(n.locale).success ? (n.locale as TLocale) : 'ru';
  const message = notificationMessage(locale, n.kind, n.case_number, n.purpose, n.from_agency);
  await transport(config.smtpUrl).sendMail({
    from: config.smtpFrom,
    to: n.email,
    subject: `${translate(locale, 'notifications.emailSubject')}: ${n.case_number}`,
    text: `${message}\n\n${translate(locale, 'notifications.emailFooter')}\n`,
  });
}
