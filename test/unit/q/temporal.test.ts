/**
 * Temporal types: literal parsing round-trips through display, string parsing as `"D"$`
 * does it, casts and field extraction. Expected texts come from the q reference
 * transcripts (docs/ref/cast.md, tok.md, datatypes.md, overloads) and documented limits.
 */
import { strict as assert } from "node:assert";
import { formatConsole } from "../../../server/src/q/format";
import {
  addMonths,
  castTemporal,
  castToTemporal,
  formatTemporalAtom,
  formatTemporalItem,
  parseTemporalLiteral,
  parseTemporalString,
  type Raw,
  temporalField,
  temporalFieldValue,
  temporalVectorSuffix,
} from "../../../server/src/q/temporal";
import { atom, float, long, type Value, vectorOf } from "../../../server/src/q/values";

/** Parse a literal and display it as an atom. */
function show(token: string): string {
  const a = parseTemporalLiteral(token);
  assert.ok(a, `literal not parsed: ${token}`);
  return formatTemporalAtom(a.type, a.raw);
}

describe("temporal literals", () => {
  const cases: [string, number, string][] = [
    ["2024.01.15", 14, "2024.01.15"],
    ["2000.01.01", 14, "2000.01.01"],
    ["1999.12.31", 14, "1999.12.31"],
    ["2024.01m", 13, "2024.01m"],
    ["2024.01.15D12:00:00.123", 12, "2024.01.15D12:00:00.123000000"],
    ["2024.01.15D12", 12, "2024.01.15D12:00:00.000000000"],
    ["2024.01.15T12:00:00.000", 15, "2024.01.15T12:00:00.000"],
    ["12:30", 17, "12:30"],
    ["12:30:15", 18, "12:30:15"],
    ["12:30:15.123", 19, "12:30:15.123"],
    ["12:00:00.000000", 16, "0D12:00:00.000000000"],
    ["00:00:00.000000001", 16, "0D00:00:00.000000001"],
    ["0D12", 16, "0D12:00:00.000000000"],
    ["1D", 16, "1D00:00:00.000000000"],
    ["-0D00:00:01", 16, "-0D00:00:01.000000000"],
    ["0Np", 12, "0Np"],
    ["0Nd", 14, "0Nd"],
    ["0Nm", 13, "0Nm"],
    ["0Nz", 15, "0Nz"],
    ["0Nn", 16, "0Nn"],
    ["0Nu", 17, "0Nu"],
    ["0Nv", 18, "0Nv"],
    ["0Nt", 19, "0Nt"],
    ["0Wd", 14, "0Wd"],
    ["-0Wp", 12, "-0Wp"],
    ["0Wz", 15, "0Wz"],
  ];
  for (const [token, type, text] of cases) {
    it(`${token} is type ${type} and shows ${text}`, () => {
      const a = parseTemporalLiteral(token);
      assert.equal(a?.type, type);
      assert.equal(show(token), text);
    });
  }
  it("rejects impossible dates and non-temporal tokens", () => {
    for (const bad of ["2024.02.30", "2024.13m", "12:60", "42", "abc", "2024.01"]) {
      assert.equal(parseTemporalLiteral(bad), undefined, bad);
    }
  });
  it("stores exact nanoseconds beyond 2^53", () => {
    const a = parseTemporalLiteral("2024.01.15D12:00:00.000000001");
    assert.equal(typeof a?.raw, "bigint");
    assert.equal(a?.raw, 758635200000000001n);
  });
});

describe("temporal display (docs transcripts)", () => {
  it("shows the timestamp limits (-0W 0Wp+1 -1)", () => {
    assert.equal(formatTemporalItem(12, -9223372036854775806n), "1707.09.22D00:12:43.145224194");
    assert.equal(formatTemporalItem(12, 9223372036854775806n), "2292.04.10D23:47:16.854775806");
    assert.equal(formatTemporalItem(16, 9223372036854775806n), "106751D23:47:16.854775806");
    assert.equal(formatTemporalItem(16, -9223372036854775806n), "-106751D23:47:16.854775806");
  });
  it("shows the cast of 42 to every temporal type (12 13 14 15 16 17 18 19h$42)", () => {
    const expected = [
      "2000.01.01D00:00:00.000000042",
      "2003.07m",
      "2000.02.12",
      "2000.02.12T00:00:00.000",
      "0D00:00:00.000000042",
      "00:42",
      "00:00:42",
      "00:00:00.042",
    ];
    expected.forEach((text, i) => {
      assert.equal(formatTemporalAtom(12 + i, 42), text);
    });
  });
  it("shows dates before year 1 as zeros (0001.01.01-1)", () => {
    const d = parseTemporalLiteral("0001.01.01")?.raw as number;
    assert.equal(formatTemporalAtom(14, d - 1), "0000.00.00");
    assert.equal(formatTemporalAtom(15, d - 1), "0000.00.00T00:00:00.000");
  });
  it("puts the month suffix once after a month vector (2012.03 2012.04m)", () => {
    const raws = [146, 147];
    assert.equal(
      raws.map((r) => formatTemporalItem(13, r)).join(" ") + temporalVectorSuffix(13, raws),
      "2012.03 2012.04m",
    );
  });
  it("needs a suffix only when no item names the type", () => {
    assert.equal(temporalVectorSuffix(14, [0, -2147483648]), "");
    assert.equal(temporalVectorSuffix(14, [-2147483648, -2147483648]), "d");
  });
});

describe("temporal string parsing", () => {
  const cases: [string, string, string][] = [
    ["D", "2024.01.15", "2024.01.15"],
    ["D", "2000-12-12", "2000.12.12"],
    ["D", "20240115", "2024.01.15"],
    ["D", "06/01/2010", "2010.06.01"],
    ["D", "3001.01.01", "3001.01.01"],
    ["D", "2147483648", "0Nd"],
    ["D", "rubbish", "0Nd"],
    ["U", "12:13:14", "12:13"],
    ["T", "123456789", "12:34:56.789"],
    ["T", "123456123987654", "12:34:56.123"],
    ["N", "123456123987654", "0D12:34:56.123987654"],
    ["P", "2015-10-28D03:55:58.6542", "2015.10.28D03:55:58.654200000"],
    ["P", "10129708800", "2290.12.31D00:00:00.000000000"],
    ["P", "00000000000", "1970.01.01D00:00:00.000000000"],
    ["P", "10129708800.123456789", "2290.12.31D00:00:00.123456789"],
    ["P", "20191122-11:11:11.123", "2019.11.22D11:11:11.123000000"],
    ["Z", "20191122-11:11:11.123", "2019.11.22T11:11:11.123"],
    ["M", "2024.03", "2024.03m"],
    ["V", "10:01:01", "10:01:01"],
  ];
  const typeOf: Record<string, number> = { P: 12, M: 13, D: 14, Z: 15, N: 16, U: 17, V: 18, T: 19 };
  for (const [c, text, shown] of cases) {
    it(`"${c}"$"${text}" shows ${shown}`, () => {
      const t = typeOf[c] as number;
      assert.equal(formatTemporalAtom(t, parseTemporalString(t, text)), shown);
    });
  }
});

describe("temporal casts and fields", () => {
  const lit = (s: string): Raw => parseTemporalLiteral(s)?.raw as Raw;
  it("date to timestamp and back", () => {
    const p = castTemporal(14, 12, lit("2024.01.15")) as Raw;
    assert.equal(formatTemporalAtom(12, p), "2024.01.15D00:00:00.000000000");
    assert.equal(formatTemporalAtom(14, castTemporal(12, 14, lit("2024.01.15D23:59:59")) as Raw), "2024.01.15");
  });
  it('datetime to date rounds to the day ("d"$2009.10.03T13:08:00.222)', () => {
    assert.equal(formatTemporalAtom(14, castTemporal(15, 14, lit("2009.10.03T13:08:00.222")) as Raw), "2009.10.03");
  });
  it("month of a date and date of a month (`date$3 xbar `month$2019.11.19)", () => {
    assert.equal(formatTemporalAtom(13, castTemporal(14, 13, lit("2019.11.19")) as Raw), "2019.11m");
    assert.equal(formatTemporalAtom(14, castTemporal(13, 14, lit("2019.10m")) as Raw), "2019.10.01");
  });
  it("clock parts of a timestamp", () => {
    const p = lit("2024.01.15D12:34:56.789123456");
    assert.equal(formatTemporalAtom(19, castTemporal(12, 19, p) as Raw), "12:34:56.789");
    assert.equal(formatTemporalAtom(18, castTemporal(12, 18, p) as Raw), "12:34:56");
    assert.equal(formatTemporalAtom(17, castTemporal(12, 17, p) as Raw), "12:34");
    assert.equal(formatTemporalAtom(16, castTemporal(12, 16, p) as Raw), "0D12:34:56.789123456");
  });
  it("clamps dates outside the timestamp range (`timestamp$1666.09.02)", () => {
    assert.equal(formatTemporalAtom(12, castTemporal(14, 12, lit("1666.09.02")) as Raw), "-0Wp");
  });
  it("nulls stay null and infinities stay infinite across casts", () => {
    assert.equal(formatTemporalAtom(12, castTemporal(14, 12, lit("0Nd")) as Raw), "0Np");
    assert.equal(formatTemporalAtom(12, castTemporal(14, 12, lit("0Wd")) as Raw), "0Wp");
  });
  it("extracts year, mm, dd, hh, uu, ss", () => {
    const p = lit("2024.03.15D12:34:56.789");
    assert.deepEqual(
      ["year", "mm", "dd", "hh", "uu", "ss"].map((f) => temporalField(12, p, f)),
      [2024, 3, 15, 12, 34, 56],
    );
    assert.equal(temporalField(14, lit("2024.03.15"), "hh"), undefined);
    assert.equal(temporalField(14, lit("0Nd"), "year"), -2147483648);
  });
  it("adds months the way .Q.addmonths does", () => {
    assert.equal(formatTemporalAtom(14, addMonths(lit("2007.10.16") as number, 6)), "2008.04.16");
    assert.equal(formatTemporalAtom(14, addMonths(lit("2006.10.29") as number, 4)), "2007.03.01");
  });
});

describe("temporal casts on values", () => {
  const show = (v: Value | undefined): string => {
    assert.ok(v, "cast refused");
    return formatConsole(v);
  };
  const lit = (s: string): number => parseTemporalLiteral(s)?.raw as number;
  it("reinterprets numbers (`date$42, `month$42)", () => {
    assert.equal(show(castToTemporal(14, long(42))), "2000.02.12");
    assert.equal(show(castToTemporal(13, long(42))), "2003.07m");
    assert.equal(show(castToTemporal(15, float(1.5))), "2000.01.02T12:00:00.000");
  });
  it("casts vectors between temporal types", () => {
    const dates = vectorOf(14, [lit("2024.01.15"), lit("2024.02.20")]);
    assert.equal(show(castToTemporal(13, dates)), "2024.01 2024.02m");
    assert.equal(show(castToTemporal(12, dates)), "2024.01.15D00:00:00.000000000 2024.02.20D00:00:00.000000000");
  });
  it("refuses a date to a timespan", () => {
    assert.equal(castToTemporal(16, atom(14, 0)), undefined);
  });
  it("extracts fields as ints or casts (x.year, x.mm, x.hh, x.date)", () => {
    const dates = vectorOf(14, [lit("2024.01.15"), lit("2025.03.20")]);
    assert.equal(show(temporalFieldValue("year", dates)), "2024 2025i");
    assert.equal(show(temporalFieldValue("mm", dates)), "1 3i");
    assert.equal(show(temporalFieldValue("dd", dates)), "15 20i");
    const p = atom(12, parseTemporalLiteral("2024.01.15D12:34:56")?.raw as bigint);
    assert.equal(show(temporalFieldValue("hh", p)), "12i");
    assert.equal(show(temporalFieldValue("date", p)), "2024.01.15");
    assert.equal(show(temporalFieldValue("minute", p)), "12:34");
    assert.equal(temporalFieldValue("hh", dates), undefined);
  });
});
