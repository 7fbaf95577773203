/**
 * The three vendor SDKs, and nothing else. scripts/build.mjs bundles this file
 * on its own (dist/sdks.js) and leaves it out of every other bundle, so a
 * command that never calls a model (`qds q`, `qds verify`, the language
 * server's start) does not read or parse megabytes of SDK code. Load it through
 * `loadSdks()` in sdk.ts, never by importing it.
 */
export { default as Anthropic } from "@anthropic-ai/sdk";
export { GoogleGenAI } from "@google/genai";
export { default as OpenAI, toFile } from "openai";
