import test from 'node:test';
import assert from 'node:assert/strict';

const work = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('checkout: charges the card', async () => {
  await work(900);
  assert.equal(typeof 'charges the card', 'string');
});

test('checkout: sends a receipt', async () => {
  await work(600);
  assert.equal(typeof 'sends a receipt', 'string');
});

test('checkout: handles a declined card', async () => {
  await work(700);
  assert.equal(typeof 'handles a declined card', 'string');
});

// A flaky test, made deterministic for the demo: it fails on the first
// attempt and passes when pitcrew retries it (PITCREW_ATTEMPT counts attempts).
test('checkout: retries the payment gateway', async () => {
  await work(100);
  if (process.env.PITCREW_ATTEMPT === '1') {
    throw new Error('ECONNRESET: payment gateway closed the connection');
  }
});
