// After Jest or Vitest shards ran, each runner process with its coverage
// written as one part (`takeCoverage` in jest_reporter.cjs and
// vitest_reporter.mjs): the parts joined into one coverage map, the
// project's coverage reports written from it into its coverage folder, as
// one run writes them, and its threshold checked on the whole run, by the
// runner's own rules (the note's `rules`): exit 3 with the runner's
// messages when not met. Reports that print to the terminal (`text`
// without a `file`) are not made: pitcrew's output is its own.
//
// argv[1]: JSON {"notes": [the parts' notes]}. Run in the project's folder
// with the `node` that ran the tests, using the istanbul libraries the
// runner's own coverage uses (the note names them).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const THRESHOLD_NOT_MET = 3;
// A process that stopped before its run's end (a timeout, a crash) wrote
// no part: that shard failed already. The reports are made from the rest,
// and the threshold is not checked, which would blame coverage for what
// the failed shard lost. The parts stay, for a look.
const NO_PART = 4;
// A report the project asked for could not be written (as the runners do,
// the others are written and the threshold is checked).
const REPORT_FAILED = 5;
const MEASURES = ['statements', 'branches', 'lines', 'functions'];

const { notes: notePaths } = JSON.parse(process.argv[1]);
const notes = [];
for (const file of notePaths) {
  try {
    notes.push(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (error) {
    console.error(`a note could not be read: ${file}: ${error.message}`);
  }
}
if (notes.length === 0) process.exit(0);
const first = notes[0];
const libCoverage = require(first.libs['istanbul-lib-coverage']);
const libReport = require(first.libs['istanbul-lib-report']);
const reports = require(first.libs['istanbul-reports']);

const map = libCoverage.createCoverageMap({});
let missing = 0;
for (const note of notes) {
  if (!fs.existsSync(note.part)) {
    missing += 1;
    continue;
  }
  map.merge(JSON.parse(fs.readFileSync(note.part, 'utf8')));
}
if (missing === notes.length) {
  console.error(`error: no runner process wrote its coverage (${missing} noted it): no report is made`);
  process.exit(NO_PART);
}

const vitest = first.rules === 'vitest';
const threshold = (vitest ? vitestThresholds(first.threshold) : first.threshold) || {};
const context = libReport.createContext({
  coverageMap: map,
  dir: first.directory,
  watermarks: vitest ? first.watermarks || libReport.getDefaultWatermarks() : jestWatermarks(threshold),
});
// As each runner passes them to every report (Jest's columns: those of
// a terminal, and no terminal here).
const base = vitest ? { skipFull: first.skipFull, projectRoot: first.root } : { maxCols: Infinity };
const failedReports = [];
for (const entry of first.reporters) {
  const [name, given] = Array.isArray(entry) ? entry : [entry, {}];
  const options = given || {};
  if (printsToTerminal(name, options)) continue;
  try {
    reports.create(name, { ...base, ...options }).execute(context);
  } catch (error) {
    failedReports.push(`${name}: ${error.message}`);
  }
}

if (missing > 0) {
  console.error(`error: ${missing} runner process(es) wrote no coverage: the reports lack it and the threshold is not checked`);
  process.exit(NO_PART);
}
const errors = vitest ? vitestCheck(map, threshold, first.root) : jestCheck(map, threshold, first.libs.jestMajor);
if (errors.length === 0 && failedReports.length > 0) {
  // A warning, which says the parts stay: they do, to make that report.
  console.error(`error: coverage reports not written: ${failedReports.join('; ')}`);
  process.exit(REPORT_FAILED);
}
for (const note of notes) fs.rmSync(note.part, { force: true });
for (const file of notePaths) fs.rmSync(file, { force: true });
if (errors.length > 0) {
  console.log(errors.join('\n'));
  process.exit(THRESHOLD_NOT_MET);
}

function printsToTerminal(name, options) {
  const terminal = ['text', 'text-summary', 'text-lcov', 'teamcity'];
  return terminal.includes(name) && !options.file;
}

// As Jest: the global threshold of a measure is the high watermark.
function jestWatermarks(threshold) {
  const marks = libReport.getDefaultWatermarks();
  for (const key of MEASURES) {
    const value = threshold.global && threshold.global[key];
    if (value !== undefined) marks[key][1] = value;
  }
  return marks;
}

// Jest's threshold rules, on the joined map. Each key of
// `coverageThreshold` other than `global` is a path prefix or a glob (from
// where Jest ran): files under a path are checked together, files of a
// glob one by one, and such files leave `global`, which checks the rest
// (from Jest 30, every file when none is left; before, nothing). A path or
// glob that no covered file matches is an error. The messages are those
// of the project's Jest.
function jestCheck(map, threshold, major) {
  const before30 = Number.isInteger(major) && major < 30;
  const groups = Object.keys(threshold);
  const files = map.files();
  const kinds = {};
  const groupOf = new Map(files.map((file) => [file, []]));
  const globbed = {};
  for (const group of groups) {
    if (group === 'global') continue;
    const resolved = path.resolve(group);
    // From Jest 28 a path key keeps its trailing slash (`src/a/` is not
    // `src/ab`); before, `path.resolve` dropped it.
    const keepsSlash = !(Number.isInteger(major) && major < 28);
    const trailing = keepsSlash && group.endsWith(path.sep) && !resolved.endsWith(path.sep) ? path.sep : '';
    const absolute = resolved + trailing;
    for (const file of files) {
      if (file.startsWith(absolute)) {
        kinds[group] = 'path';
        groupOf.get(file).push(group);
        continue;
      }
      if (globbed[absolute] === undefined) globbed[absolute] = globFiles(absolute);
      if (globbed[absolute].has(file)) {
        kinds[group] = 'glob';
        groupOf.get(file).push(group);
      }
    }
  }
  const inGroup = (group) => files.filter((f) => groupOf.get(f).includes(group));
  const globalFiles = files.filter((f) => groupOf.get(f).length === 0);
  const summary = (some) =>
    some.map((f) => map.fileCoverageFor(f).toSummary()).reduce((all, next) => (all ? all.merge(next) : next), undefined);
  const check = (name, wanted, actuals) =>
    measuresMissed(wanted, actuals).map(({ key, actual, uncovered, limit }) => {
      if (limit < 0) return `Jest: Uncovered count for ${key} (${uncovered}) exceeds ${name} threshold (${-limit})`;
      if (before30) return `Jest: "${name}" coverage threshold for ${key} (${limit}%) not met: ${actual}%`;
      return `Jest: Coverage for ${key} (${actual}%) does not meet "${name}" threshold (${limit}%)`;
    });
  let errors = [];
  for (const group of groups) {
    if (group === 'global') {
      const coverage = summary(globalFiles.length > 0 || before30 ? globalFiles : files);
      if (coverage) errors = errors.concat(check(group, threshold[group], coverage));
    } else if (kinds[group] === 'path') {
      errors = errors.concat(check(group, threshold[group], summary(inGroup(group))));
    } else if (kinds[group] === 'glob') {
      for (const file of inGroup(group)) {
        errors = errors.concat(check(file, threshold[group], map.fileCoverageFor(file).toSummary()));
      }
    } else {
      errors.push(`Jest: Coverage data for ${group} was not found.`);
    }
  }
  return errors;
}

// The files a Jest threshold glob names, as Jest expands it (the `glob`
// package it depends on); none when that package is not found.
function globFiles(pattern) {
  if (!first.libs.glob) return new Set();
  const glob = require(first.libs.glob);
  const sync = (glob.glob && glob.glob.sync) || glob.sync;
  if (typeof sync !== 'function') return new Set();
  return new Set(sync(pattern, { windowsPathsNoEscape: true }).map((f) => path.resolve(f)));
}

// Vitest's thresholds with `100: true` spelled out (for the global ones
// and each glob's).
function vitestThresholds(thresholds) {
  if (!thresholds) return null;
  const spelled = (t) => (t && t[100] ? { ...t, lines: 100, functions: 100, branches: 100, statements: 100 } : t);
  const out = spelled({ ...thresholds });
  for (const key of Object.keys(out)) {
    if (out[key] && typeof out[key] === 'object') out[key] = spelled(out[key]);
  }
  return out;
}

// Vitest's threshold rules: the global measures over every file (glob
// files included); each other key a glob (picomatch, on the path from the
// project's root) whose files are checked together; `perFile` checks each
// file of a set on its own.
function vitestCheck(map, thresholds, root) {
  const perFile = Boolean(thresholds.perFile);
  const sets = [{ name: 'global', files: map.files(), wanted: thresholds }];
  for (const key of Object.keys(thresholds)) {
    if (['perFile', 'autoUpdate', '100', ...MEASURES].includes(key)) continue;
    const matches = picomatch()(key);
    const files = map.files().filter((f) => matches(path.relative(root, f)));
    sets.push({ name: key, files, wanted: thresholds[key] || {} });
  }
  const errors = [];
  for (const { name, files, wanted } of sets) {
    const shown = name === 'global' ? name : `"${name}"`;
    const summaries = perFile
      ? files.map((file) => ({ file, summary: map.fileCoverageFor(file).toSummary() }))
      : [{ file: null, summary: summaryOf(files) }];
    for (const { file, summary } of summaries) {
      const where = file ? ` for ${path.relative('.', file).split(path.sep).join('/')}` : '';
      for (const { key, actual, uncovered, limit } of measuresMissed(wanted, summary)) {
        errors.push(
          limit < 0
            ? `ERROR: Uncovered ${key} (${uncovered}) exceed ${shown} threshold (${-limit})${where}`
            : `ERROR: Coverage for ${key} (${actual}%) does not meet ${shown} threshold (${limit}%)${where}`,
        );
      }
    }
  }
  return errors;
}

function summaryOf(files) {
  const some = libCoverage.createCoverageMap({});
  for (const file of files) some.addFileCoverage(map.fileCoverageFor(file));
  return some.getCoverageSummary();
}

function picomatch() {
  if (!first.libs.picomatch) throw new Error('picomatch, which Vitest matches threshold globs with, was not found');
  return require(first.libs.picomatch);
}

// The measures of `actuals` (a coverage summary) that miss `wanted`: a
// number is a lowest percentage, a negative one a largest uncovered count.
function measuresMissed(wanted, actuals) {
  const missed = [];
  for (const key of MEASURES) {
    const limit = wanted[key];
    if (typeof limit !== 'number') continue;
    const measure = actuals[key] || (actuals.data && actuals.data[key]);
    const uncovered = measure.total - measure.covered;
    if ((limit < 0 && -limit < uncovered) || (limit >= 0 && measure.pct < limit)) {
      missed.push({ key, actual: measure.pct, uncovered, limit });
    }
  }
  return missed;
}
