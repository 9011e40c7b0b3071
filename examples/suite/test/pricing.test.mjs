import test from 'node:test';
import assert from 'node:assert/strict';

const work = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('pricing: applies a coupon', async () => {
  await work(100);
  assert.equal(typeof 'applies a coupon', 'string');
});

test('pricing: rounds to cents', async () => {
  await work(50);
  assert.equal(typeof 'rounds to cents', 'string');
});
