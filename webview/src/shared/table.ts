/**
 * A virtual table: fixed-height rows, only the visible slice in the DOM, so a
 * list of 100k sections scrolls as easily as one of ten. Keyboard: the table
 * is one tab stop; Up/Down/PageUp/PageDown/Home/End move the active row and
 * Enter opens it (aria-activedescendant tells screen readers which one).
 */
import { el } from "./dom";

export interface Column {
  title: string;
  className?: string;
  /** Cell text for the row at position `k` of the current order. */
  text(k: number): string;
  /** Optional tooltip for the cell. */
  title2?(k: number): string;
}

const ROW_HEIGHT = 22;
let tableIds = 0;

export class VirtualTable {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rowsEl: HTMLElement;
  private readonly id = `t${++tableIds}`;
  private count = 0;
  private active = -1;
  private drawn = "";

  constructor(
    label: string,
    private columns: Column[],
    private readonly onOpen: (k: number) => void,
  ) {
    this.element = el("div", "vtable");
    this.element.setAttribute("role", "grid");
    this.element.setAttribute("aria-label", label);
    const head = el("div", "vrow vhead");
    head.setAttribute("role", "row");
    this.element.appendChild(head);
    this.body = el("div", "vbody");
    this.body.tabIndex = 0;
    this.spacer = el("div", "vspacer");
    this.rowsEl = el("div", "vrows");
    this.spacer.appendChild(this.rowsEl);
    this.body.appendChild(this.spacer);
    this.element.appendChild(this.body);
    this.setColumns(columns);
    this.body.addEventListener("scroll", () => this.render());
    new ResizeObserver(() => this.render()).observe(this.body);
    this.body.addEventListener("keydown", (e) => this.key(e));
    this.rowsEl.addEventListener("click", (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>(".vrow");
      if (!row?.dataset["k"]) return;
      const k = Number(row.dataset["k"]);
      this.setActive(k);
      this.onOpen(k);
    });
  }

  setColumns(columns: Column[]): void {
    this.columns = columns;
    const head = this.element.firstElementChild as HTMLElement;
    head.replaceChildren(
      ...columns.map((c) => {
        const cell = el("div", `vcell ${c.className ?? ""}`, c.title);
        cell.setAttribute("role", "columnheader");
        return cell;
      }),
    );
    this.refresh();
  }

  /** Sets how many rows there are and redraws (cell text is read again through the columns). */
  setCount(count: number): void {
    this.count = count;
    if (this.active >= count) this.active = -1;
    this.spacer.style.height = `${count * ROW_HEIGHT}px`;
    this.refresh();
  }

  get rowCount(): number {
    return this.count;
  }

  refresh(): void {
    this.drawn = "";
    this.render();
  }

  scrollToTop(): void {
    this.body.scrollTop = 0;
  }

  private setActive(k: number): void {
    this.active = Math.max(0, Math.min(this.count - 1, k));
    const top = this.active * ROW_HEIGHT;
    if (top < this.body.scrollTop) this.body.scrollTop = top;
    else if (top + ROW_HEIGHT > this.body.scrollTop + this.body.clientHeight)
      this.body.scrollTop = top + ROW_HEIGHT - this.body.clientHeight;
    this.body.setAttribute("aria-activedescendant", `${this.id}-${this.active}`);
    this.refresh();
  }

  private key(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.body.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: this.active + 1,
      ArrowUp: this.active - 1,
      PageDown: this.active + page,
      PageUp: this.active - page,
      Home: 0,
      End: this.count - 1,
    };
    if (e.key in moves && this.count > 0) {
      e.preventDefault();
      this.setActive(moves[e.key]!);
    } else if (e.key === "Enter" && this.active >= 0) {
      e.preventDefault();
      this.onOpen(this.active);
    }
  }

  private render(): void {
    const top = this.body.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - 5);
    const last = Math.min(this.count, Math.ceil((top + this.body.clientHeight) / ROW_HEIGHT) + 5);
    const key = `${first}:${last}:${this.active}`;
    if (key === this.drawn) return;
    this.drawn = key;
    this.rowsEl.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    const rows: HTMLElement[] = [];
    for (let k = first; k < last; k++) {
      const row = el("div", k === this.active ? "vrow active" : "vrow");
      row.setAttribute("role", "row");
      row.id = `${this.id}-${k}`;
      row.dataset["k"] = String(k);
      for (const c of this.columns) {
        const cell = el("div", `vcell ${c.className ?? ""}`, c.text(k));
        cell.setAttribute("role", "gridcell");
        if (c.title2) cell.title = c.title2(k);
        row.appendChild(cell);
      }
      rows.push(row);
    }
    this.rowsEl.replaceChildren(...rows);
  }
}
