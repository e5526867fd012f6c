import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { runDueJobs } from '../../jobs/jobs.runner.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { referredCase } from '../../test/referral-fixtures.ts';

/** A real SMTP server on 127.0.0.1 (free port) that keeps every message it receives. */
const received: { to: string[]; data: string }[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    let data = '';
    stream.on('data', (c: Buffer) => {
      data += c.toString('utf8');
    });
    stream.on('end', () => {
      received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
      callback();
    });
  },
});

/** The decoded text body of a single-part message (nodemailer picks quoted-printable or base64). */
function textBody(raw: string): string {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const body = rest.join('\r\n\r\n');
  const enc = /content-transfer-encoding:\s*([\w-]+)/i.exec(head ?? '')?.[1]?.toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable')
    return Buffer.from(
      body
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  return body;
}

let t: TestApp;
beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const { port } = smtp.server.address() as { port: number };
  t = await createTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}`, SMTP_FROM: 'OpenNRM <nrm@test.invalid>' });
});
afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('e-mail notifications', () => {
  it('sends one e-mail per notified user through SMTP, with the case number and purpose only', async () => {
    const shelter = await t.as('shelter.worker');
    const policeId = await t.agencyId('Almaty City Police Department');
    const { number } = await referredCase(t, shelter, { toAgencyId: policeId, scope: ['identity'] });
    expect(received.length).toBe(0); // queued in the request's transaction, sent by the job runner
    await runDueJobs(t.deps, 'mail');
    const toPolice = received.filter((m) => m.to.some((a) => a.startsWith('police.')));
    expect(toPolice.map((m) => m.to[0]).sort()).toEqual([
      'police.decision@demo.opennrm.invalid',
      'police.investigator@demo.opennrm.invalid',
      'police.supervisor@demo.opennrm.invalid',
    ]);
    const mail = textBody(toPolice[0]!.data);
    expect(mail).toContain(number);
    expect(mail).toContain('Официальная идентификация'); // the recipient's language (ru)
    expect(mail).not.toMatch(/Ахметова|Akhmetova|98041750|\+7 701/);
    await runDueJobs(t.deps, 'mail');
    expect(received.filter((m) => m.to.some((a) => a.startsWith('police.'))).length).toBe(3);
  });
});
