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
//   file;
// - `attempt`: a failed run of a test, written as it ends. Jest says
//   nothing of whether `jest.retryTimes` runs it again (its retries come
//   after the file's other tests), so pitcrew pairs each with the test's
//   next run (`invocation` one higher, Jest's `invocations`), which takes it
//   as a rerun; one that no run follows is the test's failed result. Written
//   at once, a failed run is kept even when Jest is stopped before its
//   retry;
// - `verdict`: why Jest failed the run outside every test;
// - `report`, format `jest-results`: where Jest keeps each file's last
//   result (`--onlyFailures`), which pitcrew writes again after the run.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const DETAILS_MAX = 64 * 1024;
// As pitcrew keeps a message (a longer record line would be skipped).
const MESSAGE_MAX = 16 * 1024;

// `text` cut to at most `max` UTF-16 units, never between the halves of
// a surrogate pair: a lone half is written as `\ud83d`, which no strict
// JSON reader (pitcrew's included) takes, and the record would be lost.
function cut(text, max) {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

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
  return { message: cut(message.trim(), MESSAGE_MAX), details: cut(text, DETAILS_MAX) };
}

// Where this process's coverage goes when shards run side by side
// (PITCREW_COVERAGE_PART, a path without extension): Jest's coverage of one
// shard is a part, so each process writes it whole as `PREFIX.json` and
// notes in `PREFIX.note.json` what Jest was asked for (reports, their
// folder, the threshold); pitcrew joins the parts and makes the reports
// and the threshold check from the whole run (coverage_join.cjs). Neither
// is made here from the part: `coverageThreshold` on a part fails a green
// suite, and each shard's reports would overwrite the last's.
//
// The global configuration is frozen, its `coverageReporters` list and
// `coverageThreshold` object are not, and Jest's coverage reporter reads
// them only when the run completes: they are emptied in place. Where that
// fails, nothing is noted and the shard reports as Jest would.
function takeCoverage(globalConfig) {
  const prefix = process.env.PITCREW_COVERAGE_PART;
  if (!prefix || !globalConfig || !globalConfig.collectCoverage) return;
  const reporters = globalConfig.coverageReporters;
  const threshold = globalConfig.coverageThreshold;
  if (!Array.isArray(reporters) || Object.isFrozen(reporters)) return;
  if (threshold && Object.isFrozen(threshold)) return;
  const libs = istanbulLibraries();
  if (!libs) return;
  const part = path.resolve(prefix + '.json');
  const note = {
    rules: 'jest',
    part,
    directory: globalConfig.coverageDirectory,
    reporters: JSON.parse(JSON.stringify(reporters)),
    threshold: threshold ? JSON.parse(JSON.stringify(threshold)) : null,
    libs,
  };
  fs.mkdirSync(path.dirname(part), { recursive: true });
  fs.rmSync(part, { force: true });
  fs.writeFileSync(path.resolve(prefix + '.note.json'), JSON.stringify(note));
  // Relative to the coverage folder: istanbul writes no absolute path.
  const file = path.relative(path.resolve(globalConfig.coverageDirectory || '.'), part);
  reporters.splice(0, reporters.length, ['json', { file }]);
  for (const key of Object.keys(threshold || {})) delete threshold[key];
}

// Where the libraries Jest's own coverage reporter uses are, for the join
// to read and write what it does: found from the `@jest/reporters` this
// Jest loaded (its coverage reporter is made before ours).
function istanbulLibraries() {
  const { createRequire } = require('node:module');
  const loaded = Object.keys(require.cache).find((f) => /[\\/]@jest[\\/]reporters[\\/]build[\\/]/.test(f));
  if (!loaded) return null;
  const from = createRequire(loaded);
  const libs = {};
  // Its major version: Jest 30 changed how `global` is checked.
  try {
    libs.jestMajor = parseInt(require(from.resolve('@jest/reporters/package.json')).version, 10);
  } catch {
    libs.jestMajor = null;
  }
  for (const name of ['istanbul-lib-coverage', 'istanbul-lib-report', 'istanbul-reports', 'glob']) {
    try {
      libs[name] = from.resolve(name);
    } catch {
      if (name !== 'glob') return null;
    }
  }
  return libs;
}

class PitcrewJestReporter {
  constructor(globalConfig) {
    this.out = process.env.PITCREW_EVENTS;
    this.globalConfig = globalConfig;
    takeCoverage(globalConfig);
    // Per file, how many tests of each name were written live (their first
    // run), so the file's final result adds only those that were not
    // (skipped tests).
    this.written = new Map();
    // Per file, how many of its copies are running: a file two projects
    // both match runs once for each, side by side, and Jest names the
    // first copy's project in the other's live results too. The counts are
    // forgotten only when the last copy ends (round 66: one copy's end
    // dropped the other's, and its tests counted up to three times).
    this.running = new Map();
    this.begun = new Set();
    if (this.out) fs.writeFileSync(this.out, '');
    // Whether jest stops at a failure (`--bail`, `bail` in the config): a
    // run that left tests unrun after a failed test, never told to stop,
    // crashed (a test file's `process.exit` ends jest in band).
    this.write({ event: 'stops', count: Number(globalConfig && globalConfig.bail) || 0 });
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

  onTestStart(test) {
    const file = fileOf(test);
    this.running.set(file, (this.running.get(file) || 0) + 1);
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
    this.write({ event: 'end', ...names });
    const record = this.recordOf(names, result);
    const invocation = Number(result.invocations) || 1;
    record.invocation = invocation;
    if (record.outcome === 'failed') record.event = 'attempt';
    this.write(record);
    // A test's later runs are that test again, not another of its name.
    if (invocation === 1) {
      const key = JSON.stringify([names.path, names.name]);
      if (!this.written.has(file)) this.written.set(file, new Map());
      const seen = this.written.get(file);
      seen.set(key, (seen.get(key) || 0) + 1);
    }
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
    const running = (this.running.get(file) || 1) - 1;
    if (running > 0) {
      this.running.set(file, running);
    } else {
      this.running.delete(file);
      this.written.delete(file);
    }
  }

  // Jest keeps each test file's last result and time (what
  // `--onlyFailures` runs next, and the next run's order) in one record per
  // project, which each Jest process writes whole when it ends, from what
  // it read when it began: of shards side by side, the last to end wins,
  // and the others' failures are lost. Where the record is (`report`,
  // format `jest-results`), so that pitcrew writes it again from the whole
  // run. Found by the run's own sequencer; a custom sequencer of another
  // shape is left as it is.
  noteResultsRecord(contexts) {
    const config = this.globalConfig;
    if (!config || typeof config.testSequencer !== 'string' || !contexts) return;
    try {
      const loaded = require(config.testSequencer);
      const Sequencer = loaded.default || loaded;
      const sequencer = new Sequencer({ contexts: [...contexts], globalConfig: config });
      if (typeof sequencer._getCachePath !== 'function') return;
      for (const context of contexts) {
        const file = sequencer._getCachePath(context);
        if (typeof file === 'string') this.write({ event: 'report', format: 'jest-results', file });
      }
    } catch {
      // No record named: Jest's stays as the last process wrote it.
    }
  }

  // Jest fails a run for obsolete snapshots (a test or file that no longer
  // checks them) outside every test: said as the run's verdict, so that a
  // failed test that a retry turns flaky does not hide it. Snapshots that
  // did not match are their tests' failures, not this.
  onRunComplete(contexts, results) {
    this.noteResultsRecord(contexts);
    const snapshot = (results && results.snapshot) || {};
    if (snapshot.didUpdate) return;
    const obsolete = Number(snapshot.unchecked) || 0;
    const files = Number(snapshot.filesRemoved) || 0;
    if (obsolete === 0 && files === 0) return;
    const parts = [];
    if (obsolete > 0) parts.push(`${obsolete} obsolete snapshot(s)`);
    if (files > 0) parts.push(`${files} obsolete snapshot file(s)`);
    this.write({ event: 'verdict', message: `${parts.join(', ')} (jest fails the run for them; \`jest -u\` removes them)` });
  }
}

module.exports = PitcrewJestReporter;
