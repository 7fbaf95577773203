/**
 * The page's component layer: every control a webview uses comes from here,
 * built today on @vscode/webview-ui-toolkit (archived upstream in 2025; it
 * still works and follows the editor's theme). Callers get plain elements
 * and callbacks, never toolkit types, so swapping in @vscode-elements means
 * rewriting this file only.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDivider,
  vsCodeDropdown,
  vsCodeOption,
  vsCodePanels,
  vsCodePanelTab,
  vsCodePanelView,
  vsCodeProgressRing,
  vsCodeTextField,
} from "@vscode/webview-ui-toolkit";
import { el } from "./dom";

let registered = false;
export function registerComponents(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeDivider(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodePanels(),
    vsCodePanelTab(),
    vsCodePanelView(),
    vsCodeProgressRing(),
    vsCodeTextField(),
  );
}

export interface ButtonOptions {
  appearance?: "primary" | "secondary" | "icon";
  title?: string;
  /** Toggle buttons report their state to assistive technology. */
  pressed?: boolean;
}

export function button(label: string, onClick: () => void, opts: ButtonOptions = {}): HTMLElement {
  const b = el("vscode-button" as "button");
  b.textContent = label;
  b.setAttribute("appearance", opts.appearance ?? "secondary");
  if (opts.title) b.title = opts.title;
  if (opts.pressed !== undefined) setPressed(b, opts.pressed);
  b.addEventListener("click", onClick);
  return b;
}

export function setPressed(b: HTMLElement, pressed: boolean): void {
  b.setAttribute("aria-pressed", String(pressed));
  b.setAttribute("appearance", pressed ? "primary" : "secondary");
}

export function setDisabled(e: HTMLElement, disabled: boolean): void {
  e.toggleAttribute("disabled", disabled);
}

export interface Field {
  element: HTMLElement;
  get value(): string;
  set value(v: string);
}

export function textField(placeholder: string, label: string, onInput: (value: string) => void): Field {
  const f = el("vscode-text-field" as "input");
  f.setAttribute("placeholder", placeholder);
  f.setAttribute("aria-label", label);
  f.addEventListener("input", () => onInput(f.value));
  return {
    element: f,
    get value() {
      return f.value;
    },
    set value(v: string) {
      f.value = v;
    },
  };
}

export function dropdown<T extends string>(
  label: string,
  options: readonly (readonly [T, string])[],
  value: T,
  onChange: (value: T) => void,
): { element: HTMLElement; set(value: T): void } {
  const d = el("vscode-dropdown" as "select");
  d.setAttribute("aria-label", label);
  for (const [v, text] of options) {
    const o = el("vscode-option" as "option", undefined, text);
    o.setAttribute("value", v);
    if (v === value) o.setAttribute("selected", "");
    d.appendChild(o);
  }
  d.addEventListener("change", () => onChange(d.value as T));
  return { element: d, set: (v) => void (d.value = v) };
}

/**
 * A count badge. Not the toolkit's <vscode-badge>: its template binds a
 * style attribute, which the page's CSP (no inline styles) blocks.
 */
export function badge(text: string): HTMLElement {
  return el("span", "badge", text);
}

export function divider(): HTMLElement {
  return el("vscode-divider" as "hr");
}

export function progress(): HTMLElement {
  return el("vscode-progress-ring" as "div");
}

/** Tabs over views; `onChange` gets the id of the tab shown. */
export function tabs(
  items: readonly { id: string; label: string; content: HTMLElement }[],
  onChange?: (id: string) => void,
): { element: HTMLElement; show(id: string): void; setLabel(id: string, label: string): void } {
  const panels = el("vscode-panels" as "div");
  const tabEls = new Map<string, HTMLElement>();
  for (const item of items) {
    const tab = el("vscode-panel-tab" as "div", undefined, item.label);
    tab.id = `tab-${item.id}`;
    tabEls.set(item.id, tab);
    panels.appendChild(tab);
  }
  for (const item of items) {
    const view = el("vscode-panel-view" as "div");
    view.id = `view-${item.id}`;
    view.appendChild(item.content);
    panels.appendChild(view);
  }
  panels.addEventListener("change", () => {
    const id = panels.getAttribute("activeid")?.replace(/^tab-/, "");
    if (id) onChange?.(id);
  });
  return {
    element: panels,
    show: (id) => panels.setAttribute("activeid", `tab-${id}`),
    setLabel: (id, label) => {
      const t = tabEls.get(id);
      if (t) t.textContent = label;
    },
  };
}
