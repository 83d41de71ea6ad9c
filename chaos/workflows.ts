// The workflows the chaos suite drives: Perl scripts under chaos/workflows/ that use only CPAN APIs
// (DBI, Excel::Writer::XLSX) through perl/compat, with the data each one starts from and the rules
// that judge an in-doubt outcome. Each later module (SFTP, mail, ...) adds its workflows here.
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffDb, withPg, type Artifacts } from './artifacts';
import type { RunDirs } from './harness';
import { startSink, type Received } from '../test/mail-sink';
import { startSshd, stopSshd } from '../test/sshd';

export interface SuiteOptions {
  quick: boolean;
  /** cache directory for generated source data shared by the runs of one invocation */
  cache: string;
}

export interface Prepared {
  args: string[];
  /** SQLite files whose tables are artifacts */
  sqlite: string[];
  /** PostgreSQL table prefix whose tables are artifacts */
  pgPrefix?: string;
  /** workbooks (names in the output directory) read back cell by cell */
  xlsx: string[];
  cleanup(): Promise<void>;
}

export interface Golden {
  artifacts: Artifacts;
  /** requests the workflow sends (crash points = requests x phases) */
  requests: number;
  byFunction: Record<string, number>;
  durationMs: number;
  journalBytes: number;
  /** database after the k-th commit (k = 0: before the script ran), for judging in-doubt commits */
  states: Record<string, Record<string, string[]>>;
}

export interface Workflow {
  name: string;
  script: string;
  summary: string;
  usesPg: boolean;
  /** daemon settings (the autostarted replacement daemon inherits them from the client) */
  env: Record<string, string>;
  prepare(dirs: RunDirs, o: SuiteOptions): Promise<Prepared>;
  /** commits after which the database is recorded for in-doubt judgement (CHAOS_STOP_AFTER=k) */
  stopPoints: number;
  /** the daemon's orphan grace, when the workflow needs a short one (else the runner's default) */
  orphanGraceSeconds?: number;
  /** null: an in-doubt report that is acceptable (nothing done twice); else why not */
  judgeInDoubt(step: string, got: Artifacts, golden: Golden): string | null;
}

const REGIONS = ['North', 'South', 'East', 'West', 'Zone \u00e9t\u00e9'];

function seedDb(file: string): void {
  const db = new Database(file);
  db.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, region TEXT NOT NULL);
           CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, day TEXT, amount REAL, status TEXT)`);
  const c = db.prepare('INSERT INTO customers VALUES (?, ?, ?)');
  const o = db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= 60; i++) c.run(i, `Customer ${i}${i % 9 === 0 ? '\twith tab' : ''}${i % 13 === 0 ? '\nsecond line' : ''}`, REGIONS[i % 5]);
    for (let i = 1; i <= 500; i++) o.run(i, ((i * 7) % 60) + 1, `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`, Math.round(i * 1337) / 100, i % 11 === 0 ? 'late' : 'ok');
  })();
  db.close();
}

function bigDb(file: string, rows: number): void {
  const db = new Database(file);
  db.pragma('journal_mode = DELETE');
  db.exec('CREATE TABLE big (id INTEGER PRIMARY KEY, code TEXT NOT NULL, label TEXT, qty INTEGER, price REAL)');
  const ins = db.prepare('INSERT INTO big VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= rows; i++) ins.run(i, `C${String(i).padStart(7, '0')}`, i % 17 === 0 ? null : `label ${i % 1000} \u00fc`, i % 97, Math.round((i % 10007) * 3.1) / 100);
  })();
  db.close();
}

function eventsDb(file: string): void {
  const db = new Database(file);
  db.exec(`CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, value REAL NOT NULL, note TEXT);
           CREATE TABLE progress (upto INTEGER PRIMARY KEY, kind TEXT NOT NULL, cnt INTEGER NOT NULL)`);
  const ins = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?)');
  const kinds = ['login', 'order', 'refund', 'ping'];
  db.transaction(() => {
    for (let i = 1; i <= 1000; i++) ins.run(i, kinds[(i * 3) % 4], ((i * 7919) % 1000) / 8, i % 10 === 0 ? null : `event ${i}`);
  })();
  db.close();
}

/** Builds a source file once per invocation, then copies it for each run (runs never share files). */
function cached(o: SuiteOptions, name: string, build: (file: string) => void, target: string): void {
  const src = path.join(o.cache, name);
  if (!fs.existsSync(src)) {
    const tmp = `${src}.${process.pid}.part`;
    build(tmp);
    fs.renameSync(tmp, src);
  }
  fs.copyFileSync(src, target);
}

const noCleanup = async () => undefined;

/** A new SQLite file holding the given tables. */
function freshDb(file: string, sql: string): string {
  const d = new Database(file);
  d.exec(sql);
  d.close();
  return file;
}

/** After an in-doubt commit k the database must be as after commit k-1 or after commit k. */
function judgeCommit(step: string, got: Artifacts, golden: Golden): string | null {
  const names = ['commit accounts', 'commit transfers', 'commit interest'];
  const k = names.indexOf(step) + 1;
  if (k === 0) return `unexpected in-doubt step "${step}"`;
  const before = golden.states[String(k - 1)];
  const after = k === names.length ? golden.artifacts.db : golden.states[String(k)];
  if (!before || !after) return `no recorded database state around commit ${k}`;
  const db0 = diffDb(before, got.db);
  const db1 = diffDb(after, got.db);
  if (db0.length && db1.length) return `database is neither the state before nor after ${step}: ${db1[0]}`;
  return null;
}

const TXN_SQL = (p: string) => [
  `CREATE TABLE ${p}accounts (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, balance BIGINT NOT NULL)`,
  `CREATE TABLE ${p}ledger (id INTEGER PRIMARY KEY, src INTEGER NOT NULL, dst INTEGER NOT NULL, amount INTEGER NOT NULL)`,
];

/** An SMTP sink for a run: each message it receives is filed in the output directory as
 * mail-NN-<tag>.eml (so the output files, an artifact, show how many messages arrived, and which). */
async function mailSink(dirs: RunDirs, tag: (m: Received) => string) {
  let n = 0;
  return startSink({}, (m) => {
    n++;
    fs.writeFileSync(path.join(dirs.out, `mail-${String(n).padStart(2, '0')}-${tag(m)}.eml`), m.data);
  });
}

export const WORKFLOWS: Workflow[] = [
  {
    name: 'seed',
    script: 'seed.pl',
    summary: 'the seed business process: SQLite query -> workbook with formats over 3 worksheets -> close -> SFTP upload (atomic) to a test sshd -> the workbook mailed (Mail::Sender MailFile) to an SMTP sink',
    usesPg: false,
    env: {},
    stopPoints: 0,
    async prepare(dirs) {
      const db = path.join(dirs.data, 'sales.db');
      seedDb(db);
      const sshd = await startSshd();
      fs.writeFileSync(path.join(dirs.data, 'sshd.dir'), sshd.dir);
      // the mail's bytes hold the workbook's (zip timestamps): the sink files it by its count only
      const sink = await mailSink(dirs, () => 'report');
      const cleanup = async () => { stopSshd(sshd.dir); fs.rmSync(sshd.dir, { recursive: true, force: true }); await sink.close(); };
      return { args: [db, path.join(dirs.out, 'report.xlsx'), String(sink.port), String(sshd.port), sshd.dir], sqlite: [db], xlsx: ['report.xlsx'], cleanup };
    },
    // a report in doubt was mailed once or not at all, never twice
    judgeInDoubt: (step, got) => (step !== 'mail report' ? `unknown in-doubt step "${step}"` : got.files.filter((f) => f.startsWith('mail-')).length > 1 ? 'the report was mailed twice' : null),
  },
  {
    name: 'txn-sqlite',
    script: 'txn.pl',
    summary: 'transactional job on SQLite (AutoCommit off, inserts, updates, commits); no marker table: an interrupted commit may be in doubt',
    usesPg: false,
    env: {},
    stopPoints: 2,
    async prepare(dirs) {
      const file = path.join(dirs.data, 'bank.db');
      const db = new Database(file);
      for (const s of TXN_SQL('')) db.exec(s);
      db.close();
      return { args: [`dbi:SQLite:dbname=${file}`, '', ''], sqlite: [file], xlsx: [], cleanup: noCleanup };
    },
    judgeInDoubt: judgeCommit,
  },
  {
    name: 'txn-pg',
    script: 'txn.pl',
    summary: 'the same transactional job on PostgreSQL, with the commit-outcome marker table (exactly-once commits)',
    usesPg: true,
    env: { CPAN_BRIDGE_MARKER_TABLE: '1' },
    stopPoints: 2,
    async prepare() {
      const prefix = `chaos_${randomBytes(5).toString('hex')}_`;
      await withPg(async (c) => { for (const s of TXN_SQL(prefix)) await c.query(s); });
      return {
        args: ['dbi:Pg:dbname=test;host=127.0.0.1', 'postgres', prefix], sqlite: [], pgPrefix: prefix, xlsx: [],
        cleanup: () => withPg(async (c) => { await c.query(`DROP TABLE IF EXISTS ${prefix}accounts, ${prefix}ledger`); }),
      };
    },
    judgeInDoubt: judgeCommit,
  },
  {
    name: 'export',
    script: 'export.pl',
    summary: 'a large export: every row of a table (100,000 rows; 5,000 in --quick) into one worksheet',
    usesPg: false,
    env: {},
    stopPoints: 0,
    async prepare(dirs, o) {
      const rows = o.quick ? 5000 : 100000;
      const db = path.join(dirs.data, 'big.db');
      cached(o, `big-${rows}.db`, (f) => bigDb(f, rows), db);
      return { args: [db, path.join(dirs.out, 'export.xlsx')], sqlite: [], xlsx: ['export.xlsx'], cleanup: noCleanup };
    },
    judgeInDoubt: (step) => `the export workflow has no in-doubt step, got "${step}"`,
  },
  {
    name: 'long',
    script: 'long.pl',
    summary: 'a long job: one cursor (fetched 25 rows at a time) and one workbook open across ~100 requests, a lookup statement re-executed, AutoCommit progress rows (marker table on)',
    usesPg: false,
    env: { CPAN_BRIDGE_MARKER_TABLE: '1', CPAN_BRIDGE_PREFETCH: '25' },
    stopPoints: 0,
    async prepare(dirs, o) {
      const db = path.join(dirs.data, 'events.db');
      cached(o, 'events.db', eventsDb, db);
      return { args: [db, path.join(dirs.out, 'long.xlsx')], sqlite: [db], xlsx: ['long.xlsx'], cleanup: noCleanup };
    },
    judgeInDoubt(step, got, golden) {
      // "progress N" in doubt: the progress table holds the rows before N, or those up to N; the
      // workbook was never closed, so it must not exist (no half-written report).
      const m = /^progress (\d+)$/.exec(step);
      if (!m) return `unexpected in-doubt step "${step}"`;
      const upto = Number(m[1]);
      const key = Object.keys(golden.artifacts.db).find((k) => k.endsWith(':progress'))!;
      const rows = golden.artifacts.db[key];
      const keep = (incl: boolean) => rows.filter((r) => { const u = (JSON.parse(r) as number[])[0]; return incl ? u <= upto : u < upto; });
      const ok = [keep(false), keep(true)].some((want) => diffDb({ ...golden.artifacts.db, [key]: want }, got.db).length === 0);
      if (!ok) return `progress table is neither the rows before ${upto} nor those up to ${upto}`;
      if (got.files.length) return `output files after an in-doubt stop: ${got.files.join(', ')}`;
      return null;
    },
  },
  {
    name: 'threads',
    script: 'threads.pl',
    summary: 'Perl ithreads: 4 threads at once, each its own connection, 40 inserts and reads each, beside the main thread\'s connection (marker table on)',
    usesPg: false,
    env: { CPAN_BRIDGE_MARKER_TABLE: '1' },
    stopPoints: 0,
    async prepare(dirs) {
      const db = freshDb(path.join(dirs.data, 'threads.db'), 'CREATE TABLE t (thread INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (thread, n))');
      return { args: [db], sqlite: [db], xlsx: [], cleanup: noCleanup };
    },
    judgeInDoubt: (step) => `the threads workflow has no in-doubt step (marker table on), got "${step}"`,
  },
  {
    name: 'fork',
    script: 'fork.pl',
    summary: 'forked children, each connecting on its own and inserting, while the parent keeps its connection and a workbook (marker table on)',
    usesPg: false,
    env: { CPAN_BRIDGE_MARKER_TABLE: '1' },
    stopPoints: 0,
    async prepare(dirs) {
      const db = freshDb(path.join(dirs.data, 'fork.db'), 'CREATE TABLE t (who TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (who, n))');
      return { args: [db, path.join(dirs.out, 'fork.xlsx')], sqlite: [db], xlsx: ['fork.xlsx'], cleanup: noCleanup };
    },
    judgeInDoubt: (step) => `the fork workflow has no in-doubt step (marker table on), got "${step}"`,
  },
  {
    name: 'process-mode',
    script: 'procmode.pl',
    summary: 'process mode (CPAN_BRIDGE_DAEMON=0) beside a live daemon: a transaction, a cursor and a workbook held across pauses longer than the orphan grace (1 s)',
    usesPg: false,
    env: { CPAN_BRIDGE_DAEMON: '0', CPAN_BRIDGE_MARKER_TABLE: '1' },
    stopPoints: 0,
    orphanGraceSeconds: 1,
    async prepare(dirs) {
      const db = freshDb(path.join(dirs.data, 'pm.db'), 'CREATE TABLE t (n INTEGER PRIMARY KEY, v TEXT NOT NULL)');
      return { args: [db, path.join(dirs.out, 'pm.xlsx')], sqlite: [db], xlsx: ['pm.xlsx'], cleanup: noCleanup };
    },
    judgeInDoubt: (step) => `the process-mode workflow has no in-doubt step (marker table on), got "${step}"`,
  },
  {
    name: 'crypt',
    script: 'crypt.pl',
    summary: 'Crypt::CBC streaming encryption of a 200 KiB file (a crypt per 4 KiB chunk, pbkdf2, fixed salt) into a file renamed into place, then decrypted back and compared',
    usesPg: false,
    env: {},
    stopPoints: 0,
    async prepare(dirs) {
      const file = path.join(dirs.data, 'partner.dat');
      const buf = Buffer.alloc(200 * 1024 + 13);
      for (let i = 0; i < buf.length; i++) buf[i] = (i * 7919 + (i >> 8)) & 0xff;
      fs.writeFileSync(file, buf);
      return { args: [file, path.join(dirs.out, 'partner.enc')], sqlite: [], xlsx: [], cleanup: noCleanup };
    },
    judgeInDoubt: (step) => `the crypt workflow has no in-doubt step, got "${step}"`,
  },
  {
    name: 'log4perl',
    script: 'log4perl.pl',
    summary: 'Log::Log4perl: 3,000 records logged to a File appender, errors to a second file, warnings on the screen, a size-rotated Log::Dispatch::FileRotate file; line counts and digests of every file',
    usesPg: false,
    // batches cut by size only (1,000 events), so every run makes the same requests
    env: { CPAN_BRIDGE_LOG_BATCH_SECONDS: '0' },
    stopPoints: 0,
    async prepare(dirs) {
      return { args: [dirs.out], sqlite: [], xlsx: [], cleanup: noCleanup };
    },
    judgeInDoubt: (step) => `the log4perl workflow has no in-doubt step, got "${step}"`,
  },
  {
    name: 'sftp',
    script: 'sftp.pl',
    summary: 'Net::SFTP::Foreign push/pull against a test sshd: mkpath, 12 uploads (one of 3 MiB, some atomic), renames (one overwriting), removes, a manifest, 3 downloads, the remote tree with checksums',
    usesPg: false,
    env: {},
    stopPoints: 0,
    async prepare(dirs) {
      const sshd = await startSshd();
      fs.writeFileSync(path.join(dirs.data, 'sshd.dir'), sshd.dir); // for the sshd-restart fault
      const inDir = path.join(dirs.data, 'reports');
      fs.mkdirSync(inDir);
      for (let i = 0; i < 12; i++) {
        const size = i === 2 ? 3 * 1024 * 1024 + 5 : 500 + i * 1777;
        const buf = Buffer.alloc(size);
        for (let k = 0; k < size; k++) buf[k] = (k * 31 + i * 7 + (k >> 10)) & 0xff;
        fs.writeFileSync(path.join(inDir, `report-${String(i).padStart(2, '0')}${i === 11 ? ' \u00e9t\u00e9' : ''}.dat`), buf);
      }
      return { args: [String(sshd.port), sshd.dir, inDir, dirs.out], sqlite: [], xlsx: [], cleanup: async () => { stopSshd(sshd.dir); fs.rmSync(sshd.dir, { recursive: true, force: true }); } };
    },
    judgeInDoubt: (step) => `the sftp workflow resolves its side effects by looking at the server, got an in-doubt "${step}"`,
  },
  {
    name: 'mail',
    script: 'mail.pl',
    summary: 'Mail::Sender: a multipart report with a 3 MiB attachment (several spool writes), then a notice, to an SMTP sink that files each message under its digest: every message exactly once, or reported in doubt',
    usesPg: false,
    env: {},
    stopPoints: 0,
    async prepare(dirs) {
      const file = path.join(dirs.data, 'report.bin');
      const buf = Buffer.alloc(3 * 1024 * 1024 + 77);
      for (let i = 0; i < buf.length; i++) buf[i] = (i * 7919 + (i >> 9)) & 0xff;
      fs.writeFileSync(file, buf);
      const sink = await mailSink(dirs, (m) => createHash('sha256').update(JSON.stringify([m.from, m.to])).update(m.data).digest('hex').slice(0, 16));
      return { args: [String(sink.port), file], sqlite: [], xlsx: [], cleanup: () => sink.close() };
    },
    // the message in doubt was either delivered once or not at all: never twice
    judgeInDoubt: (step, got, golden) => {
      const mails = got.files.filter((f) => f.startsWith('mail-'));
      const want = golden.artifacts.files.filter((f) => f.startsWith('mail-'));
      const digests = mails.map((f) => f.slice(8));
      if (new Set(digests).size !== digests.length) return `a message was delivered twice (${mails.join(', ')})`;
      if (digests.some((d) => !want.some((w) => w.slice(8) === d))) return `a message differs from the golden run's (${mails.join(', ')})`;
      return step === 'mail report' || step === 'mail notice' ? null : `unknown in-doubt step "${step}"`;
    },
  },
  {
    name: 'xpath',
    script: 'xpath.pl',
    summary: 'XML::XPath over a partner file: node lists, typed values, namespaced attributes, setNodeText and createNode, the changes read back and the document written to a file renamed into place',
    usesPg: false,
    env: {},
    stopPoints: 0,
    async prepare(dirs) {
      const file = path.join(dirs.data, 'partners.xml');
      const rows = Array.from({ length: 6 }, (_, i) => `  <partner id="p${i + 1}"><host>h${i + 1}.example</host><ops:sla minutes="${(i + 1) * 15}"/></partner>`);
      fs.writeFileSync(file, `<?xml version="1.0"?>\n<partners xmlns:ops="urn:ops">\n${rows.join('\n')}\n</partners>\n`);
      return { args: [file, path.join(dirs.out, 'partners.out.xml')], sqlite: [], xlsx: [], cleanup: noCleanup };
    },
    judgeInDoubt: (step) => `the xpath workflow has no in-doubt step, got "${step}"`,
  },
];
