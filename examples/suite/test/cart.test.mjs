import test from 'node:test';
import assert from 'node:assert/strict';

const work = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('cart: adds an item', async () => {
  await work(300);
  assert.equal(typeof 'adds an item', 'string');
});

test('cart: removes an item', async () => {
  await work(200);
  assert.equal(typeof 'removes an item', 'string');
});

test('cart: totals with tax', async () => {
  await work(400);
  assert.equal(typeof 'totals with tax', 'string');
});
