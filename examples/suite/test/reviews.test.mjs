import test from 'node:test';
import assert from 'node:assert/strict';

const work = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('reviews: posts a review', async () => {
  await work(120);
  assert.equal(typeof 'posts a review', 'string');
});
