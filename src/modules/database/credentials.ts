// Passwords can come three ways (the password argument, `password=` in the DSN, a `Password`
// connect attribute). They are gathered into the one `password` field, which is sealed in the
// journal; the DSN and attributes that are journaled and shown keep no password, and a DSN
// quoted in an error message has it masked.

/** DSN keys (DBD::Pg password, ODBC PWD) and connect attributes that hold a password. */
const SECRET_KEY = /^\s*(password|passwd|pwd)\s*$/i;

/** `dsn` with every password value replaced by `***` (for messages). */
export function maskDsn(dsn: string): string {
  return dsn.replace(/((?:^|[:;(,])\s*(?:password|passwd|pwd)\s*=)[^;)]*/gi, '$1***');
}

/** `dsn` without its password pairs, and the (last) password it held. */
function splitDsn(dsn: string): { dsn: string; password: string | null } {
  const m = /^(dbi:[A-Za-z_]\w*(?:\([^)]*\))?:)(.*)$/is.exec(dsn);
  if (!m || !m[2].includes('=')) return { dsn, password: null };
  let password: string | null = null;
  const kept = m[2].split(';').filter((part) => {
    const eq = part.indexOf('=');
    if (eq <= 0 || !SECRET_KEY.test(part.slice(0, eq))) return true;
    password = part.slice(eq + 1).trim();
    return false;
  });
  return { dsn: m[1] + kept.join(';'), password };
}

export interface ConnectCredentials {
  dsn: string;
  attrs: Record<string, unknown>;
  password: string | null;
}

/**
 * The connect's credentials with the password in one place. As DBD::Pg appends a non-empty
 * password argument after the DSN (libpq keeps the last value), the argument wins, then the DSN,
 * then the attribute.
 */
export function gatherCredentials(dsn: string, attrs: Record<string, unknown>, password: string | null): ConnectCredentials {
  const split = splitDsn(dsn);
  let fromAttr: string | null = null;
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (SECRET_KEY.test(k)) fromAttr = v === null || v === undefined ? null : String(v);
    else rest[k] = v;
  }
  const chosen = password !== null && password !== '' ? password : split.password ?? fromAttr ?? password;
  return { dsn: split.dsn, attrs: rest, password: chosen };
}
