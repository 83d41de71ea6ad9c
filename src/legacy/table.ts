// Every module's predecessor (call_python) translations, by predecessor name. Each module keeps
// its own beside it (src/modules/<name>/legacy.ts); this only puts them together.
import type { LegacyTable } from '../kit/legacy';
import { CRYPTO_LEGACY } from '../modules/crypto/legacy';
import { DATABASE_LEGACY } from '../modules/database/legacy';
import { EXCEL_LEGACY } from '../modules/excel/legacy';
import { LOGGING_LEGACY } from '../modules/logging/legacy';
import { SFTP_LEGACY } from '../modules/sftp/legacy';
import { MAIL_LEGACY } from '../modules/mail/legacy';
import { SYSTEM_LEGACY } from '../modules/system/legacy';
import { XPATH_LEGACY } from '../modules/xpath/legacy';

export type { LegacyCall, LegacyEntry } from '../kit/legacy';

export const LEGACY: LegacyTable = { ...DATABASE_LEGACY, ...EXCEL_LEGACY, ...CRYPTO_LEGACY, ...LOGGING_LEGACY, ...SFTP_LEGACY, ...MAIL_LEGACY, ...XPATH_LEGACY, ...SYSTEM_LEGACY };
