// The predecessor's call_python email_helper functions on ours. Its MailHelper composed a plain
// text message in its daemon; here send_simple does the same (To, From, Subject, a UTF-8 text
// body, no Date: a translation must give the same request on a resend, so the server stamps it).
// Attachments (send_with_file, send_multipart) are the script's files: MailHelper reads them itself.
import { text, type LegacyTable } from '../../kit/legacy';

const nested = (result: Record<string, unknown> = {}) => ({ success: true, result });

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  return text(v ?? '').split(/\s*,\s*/).filter(Boolean);
}

function header(name: string, v: string): string {
  // non-ASCII header text as an RFC 2047 encoded word, CR/LF never let through
  const clean = v.replace(/[\r\n]+/g, ' ');
  return `${name}: ${/[^\x20-\x7e]/.test(clean) ? `=?UTF-8?B?${Buffer.from(clean, 'utf8').toString('base64')}?=` : clean}\r\n`;
}

export const MAIL_LEGACY: LegacyTable = {
  'email_helper.send_simple': {
    to: (p) => {
      const to = list(p.to);
      const from = text(p.from ?? '');
      // an empty envelope is refused by send's schema (bad_params), as any other bad request
      const body = text(p.msg ?? p.body ?? '').replace(/\r?\n/g, '\r\n');
      const data = header('To', to.join(', ')) + header('From', from) + header('Subject', text(p.subject ?? ''))
        + 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n' + body;
      return {
        module: 'mail', function: 'send',
        params: {
          inline: { from: from.replace(/.*<([^\s]*?)>.*/, '$1'), to: to.map((a) => a.replace(/.*<([^\s]*?)>.*/, '$1')), data: { $b64: Buffer.from(data, 'utf8').toString('base64') } },
          host: text(p.smtp ?? 'localhost'), port: Number(p.port ?? 25), timeout: 120, client: 'localhost', tls: 'allowed', auth: null, skip_bad: false,
        },
      };
    },
    shape: (r) => nested({ sent: true, message_id: r.message_id, accepted: r.accepted }),
  },
};
