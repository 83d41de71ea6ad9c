// Every error code that travels in `error.code`, with what it means and whether the client may
// simply retry. Throw sites name a code; retryability comes from here (only codes marked `varies`,
// whose retryability depends on the failure, take it from the throw site).
// src/protocol/PROTOCOL.md lists the same codes (test/unit/error-codes.test.ts checks it).

export interface ErrorCodeInfo {
  meaning: string;
  retryable: boolean | 'varies';
  /** The request may or may not have taken effect. */
  inDoubt?: boolean;
}

/** Codes the daemon sends. */
export const DAEMON_ERRORS = {
  bad_frame: { meaning: 'a frame that is not one JSON object in UTF-8', retryable: false },
  too_deep: { meaning: 'JSON nested deeper than max_nesting_depth', retryable: false },
  frame_too_large: { meaning: 'a frame over max_frame_bytes (refused before its body is read)', retryable: false },
  bad_request: { meaning: 'a request without an id, or not shaped as a request', retryable: false },
  unknown_module: { meaning: 'no such module', retryable: false },
  unknown_function: { meaning: 'no such function in the module', retryable: false },
  bad_params: { meaning: 'params that fail the function\'s schema, or a handle of the wrong kind', retryable: false },
  unknown_handle: { meaning: 'a handle that was closed or never created', retryable: false },
  foreign_handle: { meaning: 'a handle of another client', retryable: false },
  id_reused: { meaning: 'a request id already used in the session for a different call: not run', retryable: false },
  in_doubt: { meaning: 'a side effect began before the daemon stopped and its outcome is unknown: not run again', retryable: false, inDoubt: true },
  replay_diverged: { meaning: 'after a restart, replaying a handle\'s journal gave other results than the client was told', retryable: false },
  limit: { meaning: 'a configured maximum (handles per session or in total, open workbooks, SFTP sessions)', retryable: true },
  memory_limit: { meaning: 'the daemon is over memory_ceiling_bytes: no new database connection or workbook', retryable: true },
  too_many_connections: { meaning: 'the daemon already serves max_connections connections', retryable: true },
  hello_timeout: { meaning: 'no hello within hello_timeout_seconds', retryable: false },
  idle_timeout: { meaning: 'silence before authentication over unauthenticated_idle_seconds', retryable: false },
  auth_failed: { meaning: 'a wrong token, or a client of another uid', retryable: false },
  protocol_mismatch: { meaning: 'the client\'s protocol version is not served', retryable: false },
  journal_lost: { meaning: 'the journal holds fewer commits than the client was told (truncated or restored)', retryable: false },
  journal_unavailable: { meaning: 'the journal cannot be written', retryable: true },
  shutting_down: { meaning: 'the daemon is stopping: reconnect', retryable: true },
  busy: { meaning: 'process mode: the state directory is held by a daemon that does not answer', retryable: true },
  path_denied: { meaning: 'a file path the client may not use (the state directory, outside allowed_dirs, not its own)', retryable: false },
  not_permitted: { meaning: 'a privileged call (system.shutdown, system.cleanup) by a client that is not the daemon\'s owner', retryable: false },
  internal: { meaning: 'an unexpected failure inside the daemon', retryable: false },
  db_error: { meaning: 'the database refused (err/errstr/state fields as DBI has them); retryable when the connection was lost or the database is busy', retryable: 'varies' },
  excel_error: { meaning: 'Excel::Writer::XLSX would refuse the call (its message)', retryable: false },
  excel_open_failed: { meaning: 'the workbook\'s file cannot be created (errno field)', retryable: false },
  excel_write_failed: { meaning: 'the workbook cannot be written at close (errno field)', retryable: false },
  log_open_failed: { meaning: 'a log file (or its directory) cannot be opened or created (errno and path fields)', retryable: false },
  log_write_failed: { meaning: 'a log file cannot be written (errno field)', retryable: false },
  crypto_error: { meaning: 'Crypt::CBC refused (its croak text: a bad key, cipher, padding or ciphertext)', retryable: false },
  sftp_connect_failed: { meaning: 'the SSH connection of a new SFTP session failed (kind field: refused, auth, hostkey_unknown, hostkey_changed, timeout, other)', retryable: false },
  sftp_connection: { meaning: 'the SFTP server was lost and a bounded reconnect with backoff failed', retryable: false },
  mail_error: { meaning: 'the SMTP server refused or could not be reached (stage, kind and the server\'s reply as fields); nothing was delivered', retryable: false },
  xpath_error: { meaning: 'XML::XPath would die (its text: a malformed document or expression, an unreadable file)', retryable: false },
} as const satisfies Record<string, ErrorCodeInfo>;

/** Codes only clients make up (no daemon reply carried them). */
export const CLIENT_ERRORS = {
  disconnected: { meaning: 'TypeScript client: the connection to the daemon was lost', retryable: true },
  daemon_unavailable: { meaning: 'Perl client: no daemon could be reached or started, and fallback is off or failed', retryable: true },
  process_failed: { meaning: 'Perl client: a process-mode call died without a reply', retryable: false, inDoubt: true },
  error: { meaning: 'Perl client: a failure that was not a coded error (a plain die)', retryable: false },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof DAEMON_ERRORS;
export type ClientErrorCode = keyof typeof CLIENT_ERRORS;

export const ERROR_CODES: Record<ErrorCode | ClientErrorCode, ErrorCodeInfo> = { ...DAEMON_ERRORS, ...CLIENT_ERRORS };
