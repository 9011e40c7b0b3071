// Runs the built plugin on test/input.json with `pitcrew plugin run` and
// checks the answer against test/expected.json (every field named there
// must match; others may be anything). `npm test`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const here = new URL('.', import.meta.url).pathname;
const pitcrew = process.env.PITCREW || 'pitcrew';

function contains(actual, expected) {
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length
      && expected.every((e, i) => contains(actual[i], e));
  }
  if (expected !== null && typeof expected === 'object') {
    return actual !== null && typeof actual === 'object'
      && Object.entries(expected).every(([k, v]) => k in actual && contains(actual[k], v));
  }
  return actual === expected;
}

const out = execFileSync(pitcrew, ['plugin', 'run', `${here}{{wasm}}`, '--input', `${here}test/input.json`]);
const { answer } = JSON.parse(out);
const expected = JSON.parse(readFileSync(`${here}test/expected.json`, 'utf8'));
assert.ok(contains(answer, expected), `answer ${JSON.stringify(answer)} does not match ${JSON.stringify(expected)}`);
console.log('ok');
