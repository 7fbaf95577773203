/**
 * The one door to the vendor SDKs (sdks.ts). In a build, `./sdks` is rewritten
 * to the separate dist/sdks.js (scripts/build.mjs), so the SDKs are read from
 * disk the first time a provider, batch job or embedder is created; under tsx
 * (tests) it is the TypeScript module itself.
 */
type Sdks = typeof import("./sdks");

let loaded: Sdks | undefined;

export function loadSdks(): Sdks {
  loaded ??= require("./sdks") as Sdks;
  return loaded;
}
