// What the real module croaks (or dies with) while it writes the workbook (close): thrown by the
// writer's steps with the real message, it reaches the script as that croak (code excel_error;
// the shim croaks it, so it gets the script's line, or dies with it as it is for a `die`), not as
// a write failure.
export class CroakError extends Error {
  constructor(message: string, readonly kind: 'croak' | 'die' = 'croak') {
    super(message);
  }
}
