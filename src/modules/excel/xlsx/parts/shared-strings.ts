// xl/sharedStrings.xml (SharedStrings.pm). Strings are in first-write order; a rich string is its
// <r> runs' XML, written unescaped.
import { XmlWriter } from '../xml';

/** The real module's escapes of strings in the SST (and inline strings): _xHHHH_ and control characters. */
export function escapeControl(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/_x[0-9a-fA-F]{4}_|[\x00-\x08\x0B-\x1F]/.test(s)) return s;
  return s.replace(/(_x[0-9a-fA-F]{4}_)/g, '_x005F$1')
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x08\x0B-\x1F]/g, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
}

/** Whether a <t> needs xml:space="preserve": leading or trailing whitespace as Perl's \s sees it. */
export function preserveSpace(s: string): boolean {
  return /^[ \t\n\v\f\r]/.test(s) || /[ \t\n\v\f\r]$/.test(s);
}

export function sstStart(w: XmlWriter, count: number, unique: number): void {
  w.declaration();
  w.startTag('sst', [['xmlns', 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'], ['count', count], ['uniqueCount', unique]]);
}

export function writeSi(w: XmlWriter, str: string): void {
  const s = escapeControl(str);
  if (s.startsWith('<r>') && s.endsWith('</r>')) {
    w.richSiElement(s);
    return;
  }
  w.siElement(s, preserveSpace(s) ? [['xml:space', 'preserve']] : undefined);
}

export function sstEnd(w: XmlWriter): void {
  w.endTag('sst');
}
