// A method table entry: the one place that says what a recorded call accepts (a JSON schema of its
// args array, checked by excel.call before the call is journaled) and how it is replayed at close.
import type { Schema } from '../../../../kit/types';
import type { Workbook } from '../model/workbook';

/** A format reference in a call's args: { "$fmt": idx } (resolved to the Format at replay). */
export interface FormatRef { $fmt: number }
/** A chart reference: { "$chart": idx }. */
export interface ChartRef { $chart: number }

export const fmtRef: Schema = { type: 'object', required: ['$fmt'], additionalProperties: false, properties: { $fmt: { type: 'integer', minimum: 0 } } };
export const chartRef: Schema = { type: 'object', required: ['$chart'], additionalProperties: false, properties: { $chart: { type: 'integer', minimum: 0 } } };

/** `T` is the target the call applies to (Workbook, Worksheet, a chart...). */
export interface Method<T> {
  /** JSON schema of the args array. */
  args: Schema;
  /** Replays the call; args are as sent (references still { "$fmt": n }: resolve with wb.format()). */
  apply(target: T, args: unknown[], wb: Workbook): void;
}

export type MethodTable<T> = Record<string, Method<T>>;

/** Builds an args schema: a fixed list of positional argument schemas, the last `optional` may be left off. */
export function argList(items: Schema[], required = items.length): Schema {
  // draft-07 tuple form (the engine's ajv); its meta-schema wants at least one item schema
  if (items.length === 0) return { type: 'array', maxItems: 0 };
  return { type: 'array', items, additionalItems: false, minItems: required, maxItems: items.length };
}
