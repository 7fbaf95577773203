/**
 * Small DOM helpers for page code. Under the strict CSP no markup carries a
 * style attribute; positions and sizes are set through the CSSOM
 * (element.style.x = …), which CSP allows.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Calls `fn` once `ms` after the last call. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** A CSS colour (any syntax, custom properties resolved on `from`) as packed RGBA bytes, via a 1×1 canvas. */
export function resolveColor(css: string, from: Element = document.body): [number, number, number, number] {
  const probe = el("span");
  probe.style.color = css;
  from.appendChild(probe);
  const computed = getComputedStyle(probe).color;
  probe.remove();
  const ctx = el("canvas").getContext("2d", { willReadFrequently: true });
  if (ctx === null) return [128, 128, 128, 255];
  ctx.canvas.width = ctx.canvas.height = 1;
  ctx.clearRect(0, 0, 1, 1);
  ctx.fillStyle = computed;
  ctx.fillRect(0, 0, 1, 1);
  const d = ctx.getImageData(0, 0, 1, 1).data;
  return [d[0]!, d[1]!, d[2]!, d[3]!];
}

export function formatInt(n: number): string {
  return n.toLocaleString("en-US");
}
