import { randomBytes } from 'node:crypto';

export interface MimeAttachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface MimeEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  attachments: MimeAttachment[];
  /** Separates the parts; random unless given (tests give one to compare whole messages). */
  boundary?: string;
}

const crlf = '\r\n';

/** Base64 in lines of 76 characters, as MIME bodies carry it (RFC 2045). */
const base64Lines = (text: string) =>
  (
    Buffer.from(text, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join(crlf);

/** A header value on one line: line breaks in it would start a header of their own. */
const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ').trim();

/** A header text, encoded as an RFC 2047 word when it is not plain ASCII. */
function headerText(value: string): string {
  const line = oneLine(value);
  return /^[\x20-\x7e]*$/.test(line) ? line : `=?UTF-8?B?${Buffer.from(line, 'utf8').toString('base64')}?=`;
}

/** A file name as a quoted parameter: quotes and backslashes taken out, non-ASCII kept out. */
const fileName = (name: string) =>
  oneLine(name)
    .replace(/["\\]/g, '')
    .replace(/[^\x20-\x7e]/g, '_');

/**
 * An email with attachments as one raw MIME message (RFC 2045/2046): `multipart/mixed` with the
 * text as a `text/plain` part and each attachment as a base64 part with its file name.
 */
export function mimeEmail(email: MimeEmail): string {
  const boundary = email.boundary ?? `=_fsm_${randomBytes(12).toString('hex')}`;
  const lines = [
    `From: ${oneLine(email.from)}`,
    `To: ${oneLine(email.to)}`,
    `Subject: ${headerText(email.subject)}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(email.text),
  ];
  for (const attachment of email.attachments) {
    const name = fileName(attachment.filename);
    lines.push(
      `--${boundary}`,
      `Content-Type: ${oneLine(attachment.contentType)}; name="${name}"`,
      'Content-Transfer-Encoding: base64',
      `Content-Disposition: attachment; filename="${name}"`,
      '',
      base64Lines(attachment.content),
    );
  }
  lines.push(`--${boundary}--`, '');
  return lines.join(crlf);
}
