// The `.h` namespace's text utilities (code.kx.com/q/ref/doth): HTML and XML markup, URL
// escapes, HTTP response text, tables as tab-separated or XML lines. All are pure string
// functions; the ones that depend on a session global (`.h.cd` reads the delimiter `.h.d`)
// and the format table `.h.tx` are defined in q by dot-h.ts. The web server itself (`.z.ph`,
// `.h.hp` served over a socket) is not here: the sandbox has no sockets.

import { raise } from "../errors";
import { qString } from "../format";
import { formatTemporalItem } from "../temporal";
import { count, decodeBytes, encodeText, index, items, list, str, textOf, type Value, type VerbDef } from "../values";
import { keyword } from "./define";
import { prepareText } from "./filetext";
import { fromJson } from "./text";

/** Characters `.h.hu` leaves as they are (q's `.h.sc`). */
export const URL_SAFE = "$-.+!*'(),abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789";
/** `.h.sa`: the style sheet for anchors; `.h.sb`: for the body. */
export const STYLE_ANCHORS = "a{text-decoration:none}a:link{color:024C7E}a:visited{color:024C7E}a:active{color:958600}";
export const STYLE_BODY = "body{font:10pt verdana;text-align:justify}";
/** `.h.ty`: MIME types by file extension. */
export const MIME_TYPES: readonly [string, string][] = [
  ["htm", "text/html"],
  ["html", "text/html"],
  ["csv", "text/comma-separated-values"],
  ["txt", "text/plain"],
  ["xml", "text/plain"],
  ["xls", "application/msexcel"],
  ["gif", "image/gif"],
  ["jpg", "image/jpeg"],
  ["png", "image/png"],
  ["svg", "image/svg+xml"],
  ["ico", "image/x-icon"],
  ["js", "application/javascript"],
  ["css", "text/css"],
  ["json", "application/json"],
  ["pdf", "application/pdf"],
  ["zip", "application/zip"],
];

/** A string argument (a char atom counts as a one-character string). */
function text(v: Value): string {
  if (v.kind === "vector" && (v.type === 10 || v.type === 4)) return decodeBytes(v.data as Uint8Array);
  if (v.kind === "atom" && v.type === 10) return String.fromCharCode(v.v as number);
  return raise("type");
}

/** A tag or attribute name: a symbol or a string. */
const name = (v: Value): string => (v.kind === "atom" && v.type === 11 ? (v.v as string) : text(v));

/** A list of strings (a single string counts as one). */
function lines(v: Value): string[] {
  if (v.kind === "vector" && v.type === 10) return [text(v)];
  if (v.kind === "list") return v.items.map(text);
  return raise("type");
}

const tagged = (tag: string, body: string): string => `<${tag}>${body}</${tag}>`;

/** Lines of text, each ending in a newline. */
const lineBlock = (x: Value): string =>
  lines(x)
    .map((l) => `${l}\n`)
    .join("");

/** `<tag a="v" ...>` from a dictionary of attributes; string values quoted, others as is. */
function openTag(tag: string, attrs: Value): string {
  if (attrs.kind !== "dict") return raise("type");
  const n = count(attrs.keys);
  let out = `<${tag}`;
  for (let i = 0; i < n; i++) {
    const v = index(attrs.values, i);
    const shown = v.kind === "vector" && v.type === 10 ? `"${text(v)}"` : name(v);
    out += ` ${name(index(attrs.keys, i))}=${shown}`;
  }
  return `${out}>`;
}

const escapeXml = (s: string): string => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

function urlEncode(s: string): string {
  let out = "";
  for (const b of encodeText(s)) {
    const c = String.fromCharCode(b);
    out += URL_SAFE.includes(c) ? c : `%${b.toString(16).padStart(2, "0")}`;
  }
  return out;
}

function urlDecode(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "%" && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...encodeText(s[i]!));
  }
  return decodeBytes(Uint8Array.from(bytes));
}

/** `.h.hn[status;type;body]`: an HTTP response with the MIME type of the extension symbol. */
function httpResponse(status: string, type: Value, body: string): string {
  const ext = name(type);
  const mime = MIME_TYPES.find(([k]) => k === ext)?.[1] ?? "application/octet-stream";
  return `HTTP/1.1 ${status}\r\nContent-Type: ${mime}\r\nConnection: close\r\nContent-Length: ${encodeText(body).length}\r\n\r\n${body}`;
}

/** `.h.xd`: a table as XML lines, a `<r>` element per row holding an element per column. */
function xmlLines(t: Value, precision: number): Value {
  const tbl = t.kind === "dict" && t.keys.kind === "table" && t.values.kind === "table" ? unkey(t) : t;
  if (tbl.kind !== "table") return raise("type");
  const n = count(tbl);
  const out = [str("<R>")];
  for (let r = 0; r < n; r++) {
    const cells = tbl.columns.map((c, j) => {
      const v = index(tbl.data[j]!, r);
      const s = v.kind === "vector" && v.type === 10 ? text(v) : textOf(qString(v, precision));
      return tagged(c, escapeXml(s));
    });
    out.push(str(tagged("r", cells.join(""))));
  }
  out.push(str("</R>"));
  return list(out);
}

function unkey(t: Extract<Value, { kind: "dict" }>): Value {
  const k = t.keys as Extract<Value, { kind: "table" }>;
  const v = t.values as Extract<Value, { kind: "table" }>;
  return { kind: "table", columns: [...k.columns, ...v.columns], data: [...k.data, ...v.data] };
}

const XML_HEAD = '<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>';
const SHEET_NS = "urn:schemas-microsoft-com:office:spreadsheet";

/** The rows of one Excel worksheet: a header row of column names, then a row per record. */
function worksheet(sheet: string, t: Value, precision: number): string[] {
  const tbl = t.kind === "dict" ? unkey(t as Extract<Value, { kind: "dict" }>) : t;
  if (tbl.kind !== "table") return raise("type");
  const cell = (v: Value): string => {
    const numeric = v.kind === "atom" && v.type >= 1 && v.type <= 9;
    const s = v.kind === "vector" && v.type === 10 ? text(v) : textOf(qString(v, precision));
    return `<Cell><Data ss:Type="${numeric ? "Number" : "String"}">${escapeXml(s)}</Data></Cell>`;
  };
  const rows = [`<Row>${tbl.columns.map((c) => cell(str(c))).join("")}</Row>`];
  for (let r = 0; r < count(tbl); r++) rows.push(`<Row>${tbl.data.map((c) => cell(index(c, r))).join("")}</Row>`);
  return [`<Worksheet ss:Name="${sheet}"><Table>`, ...rows, "</Table></Worksheet>"];
}

/** `.h.ed` (one sheet) and `.h.edsn` (a dictionary of sheet names to tables): Excel XML. */
function excel(sheets: [string, Value][], precision: number, namespaces: string): Value {
  // q gives two lines: the XML declaration, then the whole workbook.
  const body = sheets.flatMap(([n, t]) => worksheet(n, t, precision)).join("");
  return list([XML_HEAD, `<Workbook xmlns="${SHEET_NS}" ${namespaces}>${body}</Workbook>`].map(str));
}

/** `.h.http`: each http:// or https:// address in the text becomes a link to itself. */
const linkAddresses = (s: string): string => s.replace(/https?:\/\/[^\s"<>]+/g, (u) => `<a href="${u}">${u}</a>`);

/** `.h.iso8601`: a timestamp (nanoseconds since 2000) in ISO 8601 form. */
function iso8601(x: Value): Value {
  if (x.kind !== "atom" || typeof x.v === "string" || x.v instanceof Uint8Array) return raise("type");
  const raw = x.type === 12 ? (x.v as bigint) : BigInt(Math.trunc(Number(x.v)));
  const t = formatTemporalItem(12, raw);
  return str(t.replace(/^(\d{4})\.(\d\d)\.(\d\d)D/, "$1-$2-$3T"));
}

const stringify = (f: (s: string) => string) => (x: Value) => str(f(text(x)));

export const DOTH_VERBS: VerbDef[] = [
  keyword(".h.htc", ["An element: the tag around the text.", [".h.htc[tag;s]"], '.h.htc[`p;"hi"]  → "<p>hi</p>"'], {
    dyadic: (x, y) => str(tagged(name(x), text(y))),
  }),
  keyword(
    ".h.hta",
    [
      "An opening tag with attributes from a dictionary.",
      [".h.hta[tag;attrs]"],
      '.h.hta[`a;(,`href)!enlist"x.htm"]  → "<a href=\\"x.htm\\">"',
    ],
    { dyadic: (x, y) => str(openTag(name(x), y)) },
  ),
  keyword(
    ".h.htac",
    [
      "An element with attributes: opening tag, text, closing tag.",
      [".h.htac[tag;attrs;s]"],
      '.h.htac[`b;(,`id)!enlist"ab";"x"]  → "<b id=\\"ab\\">x</b>"',
    ],
    { nary: ([t, a, s]) => str(`${openTag(name(t!), a!)}${text(s!)}</${name(t!)}>`), valence: 3 },
  ),
  keyword(".h.ha", ["A link to an address.", [".h.ha[url;s]"], '.h.ha["u";"t"]  → "<a href=\\"u\\">t</a>"'], {
    dyadic: (x, y) => str(`<a href="${text(x)}">${text(y)}</a>`),
  }),
  keyword(
    ".h.hb",
    ["A link that opens in the frame named v.", [".h.hb[url;s]"], '.h.hb["u";"t"]  → "<a target=v href=\\"u\\">t</a>"'],
    { dyadic: (x, y) => str(`<a target=v href="${text(x)}">${text(y)}</a>`) },
  ),
  keyword(".h.nbr", ["Text that does not break across lines.", [".h.nbr s"], '.h.nbr "a b"  → "<nobr>a b</nobr>"'], {
    monadic: stringify((s) => tagged("nobr", s)),
  }),
  keyword(".h.pre", ["Lines as a preformatted block.", [".h.pre lines"], '.h.pre enlist"a"  → "<pre>a\\n</pre>"'], {
    monadic: (x) => str(tagged("pre", lineBlock(x))),
  }),
  keyword(".h.xmp", ["Lines as an example block.", [".h.xmp lines"], '.h.xmp enlist"a"  → "<xmp>a\\n</xmp>"'], {
    monadic: (x) => str(tagged("xmp", lineBlock(x))),
  }),
  keyword(".h.text", ["Lines as paragraphs.", [".h.text lines"], '.h.text enlist"a"  → "<p>a</p>\\n"'], {
    monadic: (x) =>
      str(
        lines(x)
          .map((l) => `${tagged("p", l)}\n`)
          .join(""),
      ),
  }),
  keyword(
    ".h.code",
    [
      "Tab-separated text with every second piece as code.",
      [".h.code s"],
      '.h.code "a\\tb"  → "a <code><nobr>b</nobr></code>"',
    ],
    {
      monadic: stringify((s) =>
        s
          .split("\t")
          .map((p, i) => (i % 2 === 1 ? tagged("code", tagged("nobr", p)) : p))
          .join(" "),
      ),
    },
  ),
  keyword(".h.hc", ['Escapes "<" as &lt;.', [".h.hc s"], '.h.hc "<a>"  → "&lt;a>"'], {
    monadic: stringify((s) => s.replaceAll("<", "&lt;")),
  }),
  keyword(".h.xs", ["Escapes & < > for XML.", [".h.xs s"], '.h.xs "a&b"  → "a&amp;b"'], {
    monadic: stringify(escapeXml),
  }),
  keyword(".h.hr", ["A rule as long as the text.", [".h.hr s"], '.h.hr "abc"  → "---"'], {
    monadic: stringify((s) => "-".repeat(s.length)),
  }),
  keyword(".h.hu", ["URL-encodes text.", [".h.hu s"], '.h.hu "a b"  → "a%20b"'], { monadic: stringify(urlEncode) }),
  keyword(".h.uh", ["Decodes URL-encoded text.", [".h.uh s"], '.h.uh "a%20b"  → "a b"'], {
    monadic: stringify(urlDecode),
  }),
  keyword(
    ".h.hn",
    [
      "An HTTP response: status, MIME type by extension, body.",
      [".h.hn[status;type;body]"],
      '-23#.h.hn["404";`txt;"no"]  → "Content-Length: 2\\r\\n\\r\\nno"',
    ],
    { nary: ([s, t, b]) => str(httpResponse(text(s!), t!, text(b!))), valence: 3 },
  ),
  keyword(
    ".h.hy",
    [
      "An HTTP 200 response with the MIME type of an extension.",
      [".h.hy[type;body]"],
      '15#.h.hy[`txt;"ok"]  → "HTTP/1.1 200 OK"',
    ],
    { dyadic: (x, y) => str(httpResponse("200 OK", x, text(y))) },
  ),
  keyword(
    ".h.he",
    ["An HTTP 400 response reporting an error.", [".h.he s"], '24#.h.he "x"  → "HTTP/1.1 400 Bad Request"'],
    { monadic: (x) => str(httpResponse("400 Bad Request", str("txt"), `'${text(x)}`)) },
  ),
  keyword(
    ".h.html",
    [
      "A page: the .h.sa and .h.sb styles and the body text.",
      [".h.html s"],
      '-29#.h.html "hi"  → "</head><body>hi</body></html>"',
    ],
    {
      monadic: stringify((s) =>
        tagged("html", tagged("head", tagged("style", STYLE_ANCHORS + STYLE_BODY)) + tagged("body", s)),
      ),
    },
  ),
  keyword(
    ".h.http",
    [
      "Web addresses in text become links.",
      [".h.http s"],
      '.h.http "see http://x"  → "see <a href=\\"http://x\\">http://x</a>"',
    ],
    { monadic: stringify(linkAddresses) },
  ),
  keyword(
    ".h.iso8601",
    [
      "A timestamp (or nanoseconds since 2000) in ISO 8601 form.",
      [".h.iso8601 p"],
      '.h.iso8601 0  → "2000-01-01T00:00:00.000000000"',
    ],
    { monadic: iso8601 },
  ),
  keyword(".h.td", ["A table as tab-separated lines.", [".h.td t"], '.h.td ([]a:1 2)  → (,"a";,"1";,"2")'], {
    monadic: (x, ctx) => prepareText("\t", x, ctx.settings.precision),
  }),
  keyword(
    ".h.xd",
    ["A table as XML lines.", [".h.xd t"], '.h.xd ([]a:1 2)  → ("<R>";"<r><a>1</a></r>";"<r><a>2</a></r>";"</R>")'],
    { monadic: (x, ctx) => xmlLines(x, ctx.settings.precision) },
  ),
  keyword(
    ".h.xt",
    ["Parses lines in a format; json parses each line.", [".h.xt[`json;lines]"], '.h.xt[`json;enlist"[1]"]  → ,,1f'],
    {
      dyadic: (x, y) => (name(x) === "json" ? list(lines(y).map(fromJson)) : raise("domain")),
    },
  ),
  keyword(
    ".h.ed",
    [
      "A table as Excel XML lines.",
      [".h.ed t"],
      'first .h.ed ([]a:1 2)  → "<?xml version=\\"1.0\\"?><?mso-application progid=\\"Excel.Sheet\\"?>"',
    ],
    {
      monadic: (x, ctx) =>
        excel(
          [["Sheet1", x]],
          ctx.settings.precision,
          `xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="${SHEET_NS}" xmlns:html="http://www.w3.org/TR/REC-html40"`,
        ),
    },
  ),
  keyword(
    ".h.edsn",
    [
      "Tables as sheets of one Excel XML workbook, named by the dictionary's keys.",
      [".h.edsn sheets"],
      'first .h.edsn (1#`s)!enlist([]a:1 2)  → "<?xml version=\\"1.0\\"?><?mso-application progid=\\"Excel.Sheet\\"?>"',
    ],
    {
      monadic: (x, ctx) => {
        if (x.kind !== "dict") return raise("type");
        const sheets = items(x.keys).map((k, i): [string, Value] => [name(k), index(x.values, i)]);
        return excel(sheets, ctx.settings.precision, `xmlns:ss="${SHEET_NS}"`);
      },
    },
  ),
];
