// pitcrew's reporter for Jest: one JSON object per line (the records
// `events.rs` reads, as node_reporter.mjs writes them) to the file named by
// PITCREW_EVENTS, written as results arrive, so what finished before a
// timeout is kept and the test that was running can be named.
//
// Why not JUnit (jest-junit): it joins the describe titles into one
// attribute, so the describe path depends on its options, and XML turns
// tabs and newlines in names into spaces, so tests whose names differ only
// there looked like one test run twice. Here a test is its file, its
// `ancestorTitles` (the `path`) and its exact `title`.
//
// Records (`event`):
// - `planned`: a test file asked for by path (its tests are not known
//   before it runs), `path` [] and `name` the file; `start` follows when it
//   reports anything, so a file that never ran (`--bail`) is named;
// - `found`: left to find its own files (no --runTestsByPath), how many it
//   found (`count`), before any runs: Jest names a file only when it
//   starts, so pitcrew lists the files when fewer report;
// - `start` / `end`: a test began / finished;
// - `case`: a test's result: `outcome` (passed, failed, skipped), `time` in
//   seconds, and for failures `message` and `details`. A file that failed
//   outside its tests (an import, a hook) is one failed case named by the
//   file. Attempts of a test that `jest.retryTimes` retried go with its
//   last one as `reruns` (`message`, `time`): they are runs of one test.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const DETAILS_MAX = 64 * 1024;

function fileOf(test) {
  return path.relative(process.cwd(), test.path).split(path.sep).join('/');
}

function outcomeOf(status) {
  if (status === 'passed') return 'passed';
  if (status === 'failed') return 'failed';
  return 'skipped'; // pending, skipped, todo, disabled
}

function failureOf(messages) {
  const text = (messages || []).map(String).join('\n\n');
  if (text === '') return {};
  const message = text.split('\n').find((l) => l.trim() !== '') || text;
  return { message: message.trim(), details: text.slice(0, DETAILS_MAX) };
}

class PitcrewJestReporter {
  constructor(globalConfig) {
    this.out = process.env.PITCREW_EVENTS;
    // Per file, how many results of each test were written live, so the
    // file's final result adds only those that were not (skipped tests).
    this.written = new Map();
    this.begun = new Set();
    // Per file, the failed attempts not written yet: Jest reports each
    // attempt of a test under `jest.retryTimes` as it ends (`invocations`
    // 1, 2, …), its retries after the file's other tests, and says nothing
    // before whether one follows. A failed attempt waits for the next
    // attempt of that test, or for the file's end.
    this.held = new Map();
    if (this.out) fs.writeFileSync(this.out, '');
    // The files asked for by path (pitcrew passes them after
    // --runTestsByPath), so that those `--bail` never started are named.
    this.byPath = Boolean(globalConfig && globalConfig.runTestsByPath);
    if (this.byPath) {
      for (const arg of globalConfig.nonFlagArgs || []) {
        const file = path.resolve(String(arg));
        if (!fs.existsSync(file) || !fs.statSync(file).isFile()) continue;
        this.write({ event: 'planned', file: fileOf({ path: file }), path: [], name: fileOf({ path: file }) });
      }
    }
  }

  onRunStart(aggregated) {
    const count = aggregated && aggregated.numTotalTestSuites;
    if (!this.byPath && Number.isInteger(count)) this.write({ event: 'found', count });
  }

  write(record) {
    if (this.out) fs.appendFileSync(this.out, JSON.stringify(record) + '\n');
  }

  fileBegins(file) {
    if (this.begun.has(file)) return;
    this.begun.add(file);
    this.write({ event: 'start', file, path: [], name: file });
    this.write({ event: 'end', file, path: [], name: file });
  }

  onTestCaseStart(test, info) {
    const file = fileOf(test);
    this.fileBegins(file);
    this.write({ event: 'start', file, path: info.ancestorTitles || [], name: String(info.title) });
  }

  onTestCaseResult(test, result) {
    const file = fileOf(test);
    this.fileBegins(file);
    const names = { file, path: result.ancestorTitles || [], name: String(result.title) };
    // Each attempt starts and ends; only its result may wait.
    this.write({ event: 'end', ...names });
    const key = JSON.stringify([names.path, names.name]);
    const record = this.recordOf(names, result);
    const invocation = Number(result.invocations) || 1;
    if (!this.held.has(file)) this.held.set(file, new Map());
    const held = this.held.get(file);
    const before = held.get(key);
    held.delete(key);
    if (before && invocation > before.invocation) {
      // An attempt after a failed one: that one was a run of this test.
      record.reruns = [...(before.record.reruns || []), { message: before.record.message || 'failed', time: before.record.time }];
    } else if (before) {
      this.finish(file, key, before.record); // another test of the same name
    }
    if (record.outcome === 'failed') {
      held.set(key, { record, invocation });
    } else {
      this.finish(file, key, record);
    }
  }

  // Writes a test's result, once its attempts are over.
  finish(file, key, record) {
    this.write(record);
    if (!this.written.has(file)) this.written.set(file, new Map());
    const seen = this.written.get(file);
    seen.set(key, (seen.get(key) || 0) + 1);
  }

  recordOf(names, result) {
    const record = {
      event: 'case',
      ...names,
      outcome: outcomeOf(result.status),
      time: Number(result.duration || 0) / 1000,
    };
    if (result.location && Number.isInteger(result.location.line)) record.line = result.location.line;
    if (record.outcome === 'failed') Object.assign(record, failureOf(result.failureMessages));
    return record;
  }

  onTestResult(test, fileResult) {
    const file = fileOf(test);
    this.fileBegins(file);
    for (const [key, { record }] of this.held.get(file) || new Map()) this.finish(file, key, record);
    this.held.delete(file);
    const seen = this.written.get(file) || new Map();
    for (const result of fileResult.testResults || []) {
      const names = { file, path: result.ancestorTitles || [], name: String(result.title) };
      const key = JSON.stringify([names.path, names.name]);
      const live = seen.get(key) || 0;
      if (live > 0) {
        seen.set(key, live - 1);
        continue;
      }
      this.write(this.recordOf(names, result));
    }
    // The file failed outside its tests: it could not be loaded, or a
    // hook outside every test failed. Jest fails the run for it.
    const error = fileResult.testExecError;
    if (error || (fileResult.failureMessage && !(fileResult.testResults || []).some((r) => r.status === 'failed'))) {
      const text = error ? String(error.stack || error.message || error) : String(fileResult.failureMessage);
      this.write({
        event: 'case',
        file,
        path: [],
        name: file,
        outcome: 'failed',
        time: 0,
        ...failureOf([text]),
      });
    }
    this.written.delete(file);
  }
}

module.exports = PitcrewJestReporter;
