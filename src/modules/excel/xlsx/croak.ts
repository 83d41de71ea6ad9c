// What the real module croaks while it writes the workbook (close): thrown by the writer's steps
// with the real message, it reaches the script as that croak (code excel_error), not as a write
// failure.
export class CroakError extends Error {}
