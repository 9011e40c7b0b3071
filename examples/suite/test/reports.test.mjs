import test from 'node:test';
import assert from 'node:assert/strict';

const work = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('reports: builds the daily report', async () => {
  await work(2600);
  assert.equal(typeof 'builds the daily report', 'string');
});
