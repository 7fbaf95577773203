/**
 * Uniform grid over the unit square for hit-testing the map: points are
 * bucketed once (counting sort into CSR arrays), then a hover or a box query
 * visits only the cells it overlaps. With about 8 points per cell a hover
 * looks at a few dozen points whatever the total.
 */
export class PointGrid {
  readonly side: number;
  /** cellStart[c]…cellStart[c+1] indexes `items` for cell c. */
  private readonly cellStart: Uint32Array;
  private readonly items: Uint32Array;

  constructor(
    private readonly x: Float32Array,
    private readonly y: Float32Array,
  ) {
    const n = x.length;
    this.side = Math.max(8, Math.min(1024, Math.ceil(Math.sqrt(n / 8))));
    const cells = this.side * this.side;
    const cellOf = new Uint32Array(n);
    const count = new Uint32Array(cells + 1);
    for (let i = 0; i < n; i++) {
      const c = this.cell(x[i]!, y[i]!);
      cellOf[i] = c;
      count[c + 1]!++;
    }
    for (let c = 0; c < cells; c++) count[c + 1]! += count[c]!;
    this.cellStart = count.slice();
    this.items = new Uint32Array(n);
    const fill = count; // reused as the write cursor per cell
    for (let i = 0; i < n; i++) this.items[fill[cellOf[i]!]!++] = i;
  }

  private clampCell(v: number): number {
    return Math.max(0, Math.min(this.side - 1, Math.floor(v * this.side)));
  }

  private cell(px: number, py: number): number {
    return this.clampCell(py) * this.side + this.clampCell(px);
  }

  /** Calls `visit(i)` for every point in cells overlapping [x0,x1]×[y0,y1] (a superset: callers test exactly). */
  visit(x0: number, y0: number, x1: number, y1: number, visit: (i: number) => void): void {
    const cx0 = this.clampCell(Math.min(x0, x1));
    const cx1 = this.clampCell(Math.max(x0, x1));
    const cy0 = this.clampCell(Math.min(y0, y1));
    const cy1 = this.clampCell(Math.max(y0, y1));
    for (let cy = cy0; cy <= cy1; cy++) {
      for (let cx = cx0; cx <= cx1; cx++) {
        const c = cy * this.side + cx;
        for (let k = this.cellStart[c]!; k < this.cellStart[c + 1]!; k++) visit(this.items[k]!);
      }
    }
  }

  /** The nearest point within `r` of (px, py) for which `accept` holds, or -1. */
  nearest(px: number, py: number, r: number, accept: (i: number) => boolean): number {
    let best = -1;
    let bestD = r * r;
    this.visit(px - r, py - r, px + r, py + r, (i) => {
      const dx = this.x[i]! - px;
      const dy = this.y[i]! - py;
      const d = dx * dx + dy * dy;
      if (d <= bestD && accept(i)) {
        bestD = d;
        best = i;
      }
    });
    return best;
  }
}
