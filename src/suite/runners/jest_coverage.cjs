// After Jest shards ran side by side, each process with its coverage
// written as one part (see `takeCoverage` in jest_reporter.cjs): the parts
// joined into one coverage map, the project's coverage reports written
// from it into its coverage folder, as one Jest run writes them, and its
// `coverageThreshold` checked on the whole run, as Jest checks it: exit 3
// with Jest's messages when not met. Reports that print to the terminal
// (`text` without a `file`) are not made: pitcrew's output is its own.
//
// argv[1]: JSON {"notes": [the parts' notes]}. Run in the project's folder
// with the `node` that ran Jest, using the libraries Jest's own coverage
// reporter uses (the note names them).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const THRESHOLD_NOT_MET = 3;
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
// A process that stopped before its run's end (a timeout, a crash) wrote
// no part: that shard failed already. The reports are made from the rest,
// and the threshold is not checked, which would blame coverage for what
// the failed shard lost.
const NO_PART = 4;
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
  console.error(`error: no shard process wrote its coverage (${missing} noted it): no report is made`);
  process.exit(NO_PART);
}
const threshold = first.threshold || {};
const context = libReport.createContext({
  coverageMap: map,
  dir: first.directory,
  watermarks: watermarks(threshold),
});
for (const entry of first.reporters) {
  const [name, options] = Array.isArray(entry) ? entry : [entry, {}];
  if (printsToTerminal(name, options || {})) continue;
  reports.create(name, { ...(options || {}) }).execute(context);
}

for (const note of notes) fs.rmSync(note.part, { force: true });
for (const file of notePaths) fs.rmSync(file, { force: true });

if (missing > 0) {
  console.error(`error: ${missing} shard process(es) wrote no coverage: the reports lack it and the threshold is not checked`);
  process.exit(NO_PART);
}
const errors = checkThreshold(map, threshold);
if (errors.length > 0) {
  console.log(errors.join('\n'));
  process.exit(THRESHOLD_NOT_MET);
}

function printsToTerminal(name, options) {
  const terminal = ['text', 'text-summary', 'text-lcov', 'teamcity'];
  return terminal.includes(name) && !options.file;
}

// As Jest: the global threshold of a measure is the high watermark.
function watermarks(threshold) {
  const marks = libReport.getDefaultWatermarks();
  for (const key of MEASURES) {
    const value = threshold.global && threshold.global[key];
    if (value !== undefined) marks[key][1] = value;
  }
  return marks;
}

// Jest's threshold semantics, on the joined map. Each key of
// `coverageThreshold` other than `global` is a path prefix or a glob (from
// where Jest ran): files under a path are checked together, files of a
// glob one by one, and such files leave `global`, which checks the rest
// (every file when none is left). A number is a lowest percentage, a
// negative one a largest uncovered count. A path or glob that no covered
// file matches is an error.
function checkThreshold(map, threshold) {
  const groups = Object.keys(threshold);
  if (groups.length === 0) return [];
  const files = map.files();
  const kinds = {};
  const groupOf = new Map(files.map((file) => [file, []]));
  const globbed = {};
  for (const group of groups) {
    if (group === 'global') continue;
    const resolved = path.resolve(group);
    const trailing = group.endsWith(path.sep) && !resolved.endsWith(path.sep) ? path.sep : '';
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
  let errors = [];
  for (const group of groups) {
    if (group === 'global') {
      const coverage = summary(globalFiles.length > 0 ? globalFiles : files);
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

function check(name, thresholds, actuals) {
  const errors = [];
  for (const key of MEASURES) {
    const wanted = thresholds[key];
    if (wanted === undefined) continue;
    const actual = actuals[key].pct;
    const uncovered = actuals[key].total - actuals[key].covered;
    if (wanted < 0 && -wanted < uncovered) {
      errors.push(`Jest: Uncovered count for ${key} (${uncovered}) exceeds ${name} threshold (${-wanted})`);
    } else if (wanted >= 0 && actual < wanted) {
      errors.push(`Jest: Coverage for ${key} (${actual}%) does not meet "${name}" threshold (${wanted}%)`);
    }
  }
  return errors;
}

// The files a threshold glob names, as Jest expands it (the `glob`
// package it depends on); none when that package is not found.
function globFiles(pattern) {
  if (!first.libs.glob) return new Set();
  const glob = require(first.libs.glob);
  const sync = (glob.glob && glob.glob.sync) || glob.sync;
  if (typeof sync !== 'function') return new Set();
  return new Set(sync(pattern, { windowsPathsNoEscape: true }).map((f) => path.resolve(f)));
}
