// pitcrew's trace of Vitest's workers: a setup file that pitcrew's
// reporter adds to each project (`setupFiles`), which writes, from inside
// the worker and synchronously, the tests that start and the results of
// the tests that finished, in pitcrew's events format (see
// vitest_reporter.mjs), to the file named by PITCREW_VITEST_TRACE.
//
// Why, beside the reporter: the reporter runs in Vitest's main process and
// learns of a worker's tests only from the updates the worker sends, which
// Vitest holds back for up to 100 ms to send several at once. A test that
// blocks its worker (`while (true) {}`) stops it before it sends them, so
// at a timeout the reporter knows neither which test hung nor the results
// of the tests that finished just before. This trace does: when a test
// starts, the results of the tests that finished before it are written,
// then its start. pitcrew reads the trace only when it killed the runner at
// a timeout, to fill in what the reporter lost.
//
// How: a root `beforeEach` (a test's start, before its own hooks) and a
// root `afterAll` (a file's end). A test is over once Vitest has set its
// `result.duration` (or, in Vitest 2, turned it to `skip` from inside),
// after its retries, repeats and `fails` flip; before
// that, its result may still change, and nothing is written for it.
// Should Vitest change those fields, the trace names what started and
// pitcrew knows what it knew without it.
import { closeSync, openSync, writeSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { afterAll, beforeEach } from 'vitest';

const MESSAGE_MAX = 16 * 1024;
const trace = process.env.PITCREW_VITEST_TRACE;
// Test files are named relative to the folder Vitest's main process ran
// in, as the reporter names them (a worker may have changed its own).
const root = process.env.PITCREW_VITEST_ROOT || process.cwd();

function open(path) {
  try {
    return openSync(path, 'a');
  } catch {
    return undefined;
  }
}

const fd = trace ? open(trace) : undefined;

function write(record) {
  try {
    writeSync(fd, JSON.stringify(record) + '\n');
  } catch {
    // A trace that cannot be written only loses what it adds at a timeout.
  }
}

function names(task) {
  const path = [];
  for (let at = task.suite; at && at !== task.file && !('filepath' in at); at = at.suite) {
    // Vitest 1's top-level tests keep its nameless default suite (id '')
    // as their `suite`, though the file holds them: no block of theirs.
    if (at.id === '') continue;
    path.unshift(String(at.name));
  }
  const file = relative(root, String(task.file?.filepath ?? '')).split(sep).join('/');
  return { file, path, name: String(task.name) };
}

// `result` of a test that is over, as the reporter writes it.
function caseOf(task, result) {
  const state = result.state;
  const outcome = state === 'pass' ? 'passed' : state === 'fail' ? 'failed' : 'skipped';
  const record = { event: 'case', ...names(task), outcome, time: Number(result.duration ?? 0) / 1000 };
  const retries = Number(result.retryCount ?? 0);
  if (outcome !== 'skipped' && retries > 0) {
    const rerun = { message: 'failed, then retried by vitest', time: 0 };
    record.reruns = Array(Math.min(retries, 256)).fill(rerun);
  }
  const first = (result.errors || [])[0];
  if (outcome === 'failed' && first) {
    record.message = String(first.message ?? first).slice(0, MESSAGE_MAX);
    if (typeof first.name === 'string') record.type = first.name;
  }
  return record;
}

// The tests this file started whose end is not written yet.
const open_tests = new Set();
// Those of them that ran to their end (`onTestFinished`) and whose result
// is not final yet: no longer running, their `end` written.
const ended = new Set();

// Writes the end of every started test that is over.
function settle() {
  for (const task of open_tests) {
    const result = task.result;
    // Vitest 2 ends a test skipped from inside (`ctx.skip()`) with no
    // duration, its mode turned to `skip`.
    if (!result || (typeof result.duration !== 'number' && task.mode !== 'skip')) continue;
    open_tests.delete(task);
    if (!ended.delete(task)) write({ event: 'end', ...names(task) });
    write(caseOf(task, result));
  }
}

if (fd !== undefined) {
  beforeEach((context) => {
    try {
      settle();
      const task = context?.task;
      // A retry or a repeat of a test already started is the same test,
      // running again.
      if (task && (!open_tests.has(task) || ended.delete(task))) {
        open_tests.add(task);
        write({ event: 'start', ...names(task), kind: 'test' });
        // Its end as it ends, before its result is final (Vitest sets the
        // duration later): a worker that dies after it, under a test
        // running beside it (`describe.concurrent`) or in a hook
        // (`beforeAll` of the next block, `afterAll`), did not die under
        // it. Where Vitest has no such hook, the next test's start says so.
        context.onTestFinished?.(() => {
          try {
            if (open_tests.has(task) && !ended.has(task)) {
              ended.add(task);
              write({ event: 'end', ...names(task) });
            }
          } catch {
            // As above.
          }
        });
      }
    } catch {
      // The trace is an extra, never a reason to fail a test.
    }
  });
  afterAll(() => {
    try {
      settle();
    } finally {
      try {
        closeSync(fd);
      } catch {
        // Closed already.
      }
    }
  });
}
