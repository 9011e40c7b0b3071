// pitcrew's reporter for Playwright Test, beside its JUnit and list ones:
// Playwright reports a test file that cannot be loaded (a syntax error, a
// failed import) to no JUnit testcase and runs no test at all, so the run
// would say only "no test". Each such error with a location is one JSON
// line here (the file named by PITCREW_PLAYWRIGHT_ERRORS), which pitcrew
// turns into a failed test named by the file, with Playwright's words.
//
// And each test that Playwright reports skipped without having run it (a
// setup project or an earlier test in serial mode failed, `--max-failures`
// was reached) is one line `{"notRun": {"classname", "name"}}`, named as
// Playwright's JUnit names it: its JUnit says only "skipped", and a test
// that never ran must not pass as skipped. A test skipped on purpose
// (`test.skip`, `fixme`, also at run time) expects to be skipped; these
// expected to run.
//
// And each test that failed is one line `{"failed": {"classname", "name",
// "file"}}` with its file: Playwright's JUnit names a test by its path
// relative to the project's `testDir`, which says nothing of the folder,
// and a failed setup project that ran in a shard beside its dependents
// must be keyed by its own file, as in the shard that planned it.
//
// And each test of a project that others depend on (a setup or teardown
// project), whatever its outcome, is one line `{"dependency": {"classname",
// "name", "file"}}`: run beside a shard's own files, it is counted under
// its own file, by the shard that plans it or, planned nowhere, once.
//
// And, as the tests run, events in pitcrew's own format (the file named by
// PITCREW_PLAYWRIGHT_EVENTS, written synchronously): every test planned,
// each start, end and result. Playwright writes its JUnit report only at
// exit, so a run killed at pitcrew's timeout would leave nothing: from
// these, the finished tests keep their results and the test still running
// is named as the one that hung, even when it hangs its worker (reporters
// run in the main process).
const fs = require('node:fs');

const DETAILS_MAX = 64 * 1024;

// `text` cut to at most `max` UTF-16 units, never between the halves of
// a surrogate pair: a lone half is written as `\ud83d`, which no strict
// JSON reader (pitcrew's included) takes, and the record would be lost.
function cut(text, max) {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

// A test as Playwright's JUnit names it: the file suite's title (root,
// project, file, then describes and the test).
function junitNames(test) {
  const path = test.titlePath();
  const project = path[1] && process.env.PLAYWRIGHT_JUNIT_INCLUDE_PROJECT_IN_TEST_NAME ? `[${path[1]}] ` : '';
  return { classname: path[2] ?? '', name: project + path.slice(3).join(' \u203a ') };
}

// The spec file a test belongs to: its file suite's. A test's own
// location is where `test()` was called, which may be a helper that a
// spec file calls.
function fileOf(test) {
  const kind = (suite) => (typeof suite.type === 'function' ? suite.type() : suite.type);
  let suite = test.parent;
  while (suite && kind(suite) !== 'file') suite = suite.parent;
  return suite?.location?.file ?? test.location?.file;
}

// A test's names in an event: the JUnit classname as its path, so that a
// result read from the events is the test of the same name in the report;
// and, for a test of a project others depend on, its file (relative to
// where the run is, as pitcrew reads the `dependency` lines), so that it is
// keyed by its own file as in the report.
function eventNames(test, dependencies) {
  const { classname, name } = junitNames(test);
  const names = { path: [classname], name };
  if (dependencies?.has(test.parent?.project()?.name)) {
    const file = fileOf(test);
    if (file) names.file = require('node:path').relative(process.cwd(), file);
  }
  return names;
}

// A finished run of a test as an event: `attempt` when Playwright will run
// a failed test again (its own `retries`), else `case`.
function resultEvent(test, result, dependencies) {
  const status = result.status;
  const outcome =
    status === 'skipped' ? 'skipped' : status === test.expectedStatus ? 'passed' : 'failed';
  const again = outcome === 'failed' && result.retry < test.retries;
  const error = result.error ?? (result.errors ?? [])[0];
  const record = {
    event: again ? 'attempt' : 'case',
    ...eventNames(test, dependencies),
    outcome,
    time: (result.duration ?? 0) / 1000,
    invocation: result.retry + 1,
  };
  if (outcome === 'failed') {
    record.message = cut(String(error?.message ?? status), 4096);
    record.details = cut(String(error?.stack ?? ''), DETAILS_MAX);
  }
  return record;
}

class PitcrewPlaywrightErrors {
  constructor() {
    this.out = process.env.PITCREW_PLAYWRIGHT_ERRORS;
    if (this.out) fs.writeFileSync(this.out, '');
    this.events = process.env.PITCREW_PLAYWRIGHT_EVENTS;
    if (this.events) fs.writeFileSync(this.events, '');
  }

  event(...records) {
    if (!this.events || records.length === 0) return;
    fs.appendFileSync(this.events, records.map((r) => JSON.stringify(r) + '\n').join(''));
  }

  printsToStdio() {
    return false;
  }

  onBegin(config, suite) {
    this.suite = suite;
    this.dependencies = new Set(
      (config.projects ?? []).flatMap((p) => [...(p.dependencies ?? []), ...(p.teardown ? [p.teardown] : [])]),
    );
    this.event(...suite.allTests().map((test) => ({ event: 'planned', ...eventNames(test, this.dependencies) })));
  }

  onTestBegin(test) {
    this.event({ event: 'start', ...eventNames(test, this.dependencies) });
  }

  onTestEnd(test, result) {
    this.event({ event: 'end', ...eventNames(test, this.dependencies) }, resultEvent(test, result, this.dependencies));
  }

  onEnd() {
    if (!this.out || !this.suite) return;
    const lines = [];
    for (const test of this.suite.allTests()) {
      const outcome = test.outcome();
      if (outcome === 'skipped' && test.expectedStatus !== 'skipped') {
        lines.push(JSON.stringify({ notRun: junitNames(test) }) + '\n');
      } else if (outcome === 'unexpected' || outcome === 'flaky') {
        const failed = { ...junitNames(test), file: fileOf(test) };
        lines.push(JSON.stringify({ failed }) + '\n');
      } else if (this.dependencies.has(test.parent?.project()?.name)) {
        const dependency = { ...junitNames(test), file: fileOf(test) };
        lines.push(JSON.stringify({ dependency }) + '\n');
      }
    }
    if (lines.length) fs.appendFileSync(this.out, lines.join(''));
  }

  onError(error) {
    const file = error && error.location && error.location.file;
    if (!this.out || typeof file !== 'string') return;
    const record = {
      file,
      line: Number.isInteger(error.location.line) ? error.location.line : null,
      message: String(error.message ?? ''),
      details: cut([error.stack, error.snippet].filter((s) => typeof s === 'string').join('\n\n'), DETAILS_MAX),
    };
    fs.appendFileSync(this.out, JSON.stringify(record) + '\n');
  }
}

module.exports = PitcrewPlaywrightErrors;
