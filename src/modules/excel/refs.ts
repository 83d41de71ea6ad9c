// A1 notation helpers (zero-based rows and columns, as Excel::Writer::XLSX counts).

export function colName(col: number): string {
  let s = '';
  let c = col + 1;
  while (c > 0) {
    const r = (c - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    c = Math.floor((c - 1) / 26);
  }
  return s;
}

export function cellRef(row: number, col: number): string {
  return `${colName(col)}${row + 1}`;
}

export function rangeRef(r1: number, c1: number, r2: number, c2: number): string {
  return r1 === r2 && c1 === c2 ? cellRef(r1, c1) : `${cellRef(r1, c1)}:${cellRef(r2, c2)}`;
}

