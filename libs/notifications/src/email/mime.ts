import MailComposer from 'nodemailer/lib/mail-composer';
import { EmailMessage } from './email-provider.port';

/**
 * The message as MIME bytes, UTF-8 throughout (quoted-printable or base64 as nodemailer chooses), with
 * our own Message-ID: built once per send so the transport sends exactly these bytes.
 */
export async function composeMime(message: EmailMessage): Promise<Buffer> {
  const composer = new MailComposer({
    from: message.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: message.messageId,
    headers: message.headers,
    textEncoding: 'base64',
  });
  return composer.compile().build();
}
