/**
 * Analysis results (offsets, plain records) to LSP types (positions, enums).
 * Nothing else in the server knows both shapes.
 */
import {
  CompletionItemKind,
  DiagnosticSeverity,
  type DocumentSymbol,
  type FoldingRange,
  FoldingRangeKind,
  type Diagnostic as LspDiagnostic,
  type Range,
  SymbolKind,
} from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { CandidateKind } from "../q/analysis/complete";
import type { Diagnostic, Severity } from "../q/analysis/lint";
import type { Fold, OutlineSymbol, SymbolKind as QSymbolKind } from "../q/analysis/outline";
import type { Span } from "../q/tokens";

export const toRange = (doc: TextDocument, span: Span): Range => ({
  start: doc.positionAt(span.start),
  end: doc.positionAt(span.end),
});

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(doc: TextDocument, d: Diagnostic, source = "qds"): LspDiagnostic {
  return { range: toRange(doc, d.span), message: d.message, severity: SEVERITY[d.severity], code: d.code, source };
}

export const COMPLETION_KIND: Record<CandidateKind, CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword,
  glyph: CompletionItemKind.Operator,
  function: CompletionItemKind.Function,
  variable: CompletionItemKind.Variable,
  param: CompletionItemKind.Variable,
  local: CompletionItemKind.Variable,
  namespace: CompletionItemKind.Module,
  constant: CompletionItemKind.Constant,
};

export const SYMBOL_KIND: Record<QSymbolKind, SymbolKind> = {
  namespace: SymbolKind.Namespace,
  function: SymbolKind.Function,
  variable: SymbolKind.Variable,
  param: SymbolKind.TypeParameter,
  local: SymbolKind.Variable,
};

export function toDocumentSymbol(doc: TextDocument, s: OutlineSymbol): DocumentSymbol {
  return {
    name: s.name,
    kind: SYMBOL_KIND[s.kind],
    range: toRange(doc, s.span),
    selectionRange: toRange(doc, s.selection),
    children: s.children.map((c) => toDocumentSymbol(doc, c)),
  };
}

export const toFoldingRange = (f: Fold): FoldingRange => ({
  startLine: f.startLine,
  endLine: f.endLine,
  ...(f.kind === "comment" ? { kind: FoldingRangeKind.Comment } : {}),
});
