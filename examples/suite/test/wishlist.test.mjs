import test from 'node:test';
import assert from 'node:assert/strict';

const work = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('wishlist: saves an item', async () => {
  await work(80);
  assert.equal(typeof 'saves an item', 'string');
});

test('wishlist: shares a list', async () => {
  await work(90);
  assert.equal(typeof 'shares a list', 'string');
});
