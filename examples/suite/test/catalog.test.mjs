import test from 'node:test';
import assert from 'node:assert/strict';

const work = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('catalog: lists products', async () => {
  await work(150);
  assert.equal(typeof 'lists products', 'string');
});

test('catalog: filters by price', async () => {
  await work(150);
  assert.equal(typeof 'filters by price', 'string');
});
