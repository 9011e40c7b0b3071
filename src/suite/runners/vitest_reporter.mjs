// pitcrew's reporter for Vitest (the reporter API of Vitest 3 and later;
// Vitest 2's results are written from its `onFinished`, at the run's end):
// one JSON object per line (the records `events.rs` reads, as
// node_reporter.mjs writes them) to the file named by PITCREW_EVENTS,
// written as results arrive, so what finished before a timeout is kept and
// the test that was running can be named.
//
// Why not Vitest's JUnit: it puts the file in `classname` and the describe
// path and title, joined with " > ", in `name`, so a title containing " > "
// is ambiguous, and XML turns tabs and newlines in names into spaces, so
// tests whose names differ only there looked like one test run twice. Here
// a test is its file, its describe path and its exact name.
//
// Records (`event`):
// - `planned`: a test file of the run (`path` [], `name` the file) and,
//   once it is collected, each of its tests; a planned test that never
//   reports (a timeout, a crash, `--bail`) is named by pitcrew;
// - `start` / `end`: a test (or the file, when collected) began / finished;
// - `unrun`: a test that was collected, perhaps started, and cancelled
//   before it ran (`--bail` or `bail` in the config: Vitest marks the tests
//   it cancels skipped, which a test the file skips is told apart from by
//   its mode when collected);
// - `case`: a test's result: `outcome` (passed, failed, skipped), `time` in
//   seconds, and for failures `message`, `type` and `details`. A file that
//   failed outside its tests (an import, a hook) is one failed case named by
//   the file; a `describe` whose own hook failed (`beforeAll`, `afterAll`)
//   is one failed case named by the block, as Vitest fails the run for it
//   while its tests read as skipped. An error no test caught (an unhandled rejection after a test
//   ended), for which Vitest fails the run, is a failed case `unhandled
//   error` in the file it came from;
// - `elsewhere`: such an error that another run reports as its own test's
//   failure (a type error in a typecheck test file of another shard): it
//   explains Vitest's failed exit, and is counted there.
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

const DETAILS_MAX = 64 * 1024;
// As pitcrew keeps a message and its reruns (a longer record line would be
// skipped).
const MESSAGE_MAX = 16 * 1024;
const RERUNS_MAX = 256;

// `text` cut to at most `max` UTF-16 units, never between the halves of
// a surrogate pair: a lone half is written as `\ud83d`, which no strict
// JSON reader (pitcrew's included) takes, and the record would be lost.
function cut(text, max) {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

// Whether a test's mode, as collected, skips it.
function skipMode(mode) {
  return mode === 'skip' || mode === 'todo';
}

// A task tree's tests, depth first, each with its describe path; `suite`
// sees each describe block on the way down.
function* testsOf(task, path = [], suite = () => {}) {
  for (const child of task.tasks || []) {
    if (child.type !== 'suite') {
      yield { task: child, path };
      continue;
    }
    suite(child, path);
    yield* testsOf(child, [...path, String(child.name)], suite);
  }
}

// The environment a test file names in its docblock (`// @vitest-environment
// jsdom`), from its first 4 KiB; none when it names none or cannot be read.
function environmentOf(file) {
  try {
    const head = readFileSync(resolve(process.cwd(), file), 'utf8').slice(0, 4096);
    // A path as the error will show it resolved: `./env.js` is `…/env.js`.
    return /@vitest-environment\s+([^\s*]+)/.exec(head)?.[1]?.replace(/^\.\//, '');
  } catch {
    return undefined;
  }
}

// Whether `text` holds `word` with no letter, digit, `_` or `.` against
// it (so an environment `node` is not found in `node_modules`).
function namesWord(text, word) {
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    const before = text[at - 1] ?? ' ';
    const after = text[at + word.length] ?? ' ';
    if (!/[\w.]/.test(before) && !/[\w.:]/.test(after)) return true;
  }
  return false;
}

function fileOf(module) {
  return relative(process.cwd(), module.moduleId).split(sep).join('/');
}

function names(test) {
  const path = [];
  for (let at = test.parent; at && at.type === 'suite'; at = at.parent) path.unshift(String(at.name));
  return { file: fileOf(test.module), path, name: String(test.name) };
}

// The failed runs before a test's last, which Vitest's own retries ran in
// this process (it keeps only the last run's errors).
function rerunsOf(retries) {
  const rerun = { message: 'failed, then retried by vitest', time: 0 };
  return Array(Math.min(retries, RERUNS_MAX)).fill(rerun);
}

function failureOf(errors) {
  const first = (errors || [])[0];
  if (!first) return {};
  const message = cut(String(first.message ?? first), MESSAGE_MAX);
  const details = cut(
    (errors || []).map((e) => String(e.stack ?? e.message ?? e)).join('\n\n'),
    DETAILS_MAX,
  );
  const record = { message, details };
  if (typeof first.name === 'string') record.type = first.name;
  return record;
}

// Where this process's coverage goes when shards run one after another
// or side by side (PITCREW_COVERAGE_PART, a path without extension):
// Vitest's coverage of one shard is a part, so it is written whole as
// `PREFIX.json`, outside the coverage folder (the next Vitest cleans
// that), and `PREFIX.note.json` notes what Vitest was asked for (reports,
// their folder, thresholds); pitcrew joins the parts and makes the
// reports and the threshold check from the whole run (coverage_join.cjs).
// Neither is made here from the part: thresholds on a part fail a green
// suite, and each shard's reports would replace the last's.
//
// `onInit` comes after Vitest resolved the coverage options its provider
// reads when the run ends (the same object): its reporters and thresholds
// are replaced there. Where the libraries to join with are not found,
// nothing is noted and Vitest reports as it would.
function takeCoverage(vitest) {
  const prefix = process.env.PITCREW_COVERAGE_PART;
  const options = vitest?.config?.coverage;
  if (!prefix || !options?.enabled || !Array.isArray(options.reporter)) return;
  const root = vitest.config.root || process.cwd();
  const libs = libraries(root, options.provider || 'v8');
  if (!libs) return;
  const part = resolve(prefix + '.json');
  const directory = resolve(root, options.reportsDirectory || 'coverage');
  const clone = (value) => (value === undefined ? null : JSON.parse(JSON.stringify(value)));
  const note = {
    rules: 'vitest',
    part,
    directory,
    reporters: clone(options.reporter),
    threshold: clone(options.thresholds),
    watermarks: clone(options.watermarks),
    skipFull: Boolean(options.skipFull),
    root,
    libs,
  };
  mkdirSync(dirname(part), { recursive: true });
  rmSync(part, { force: true });
  writeFileSync(resolve(prefix + '.note.json'), JSON.stringify(note));
  // Relative to the coverage folder: istanbul writes no absolute path.
  options.reporter = [['json', { file: relative(directory, part) }]];
  options.thresholds = {};
}

// Where the istanbul libraries of the project's coverage provider
// (`@vitest/coverage-v8` or `-istanbul`) are, and Vitest's picomatch (its
// threshold globs).
function libraries(root, provider) {
  if (provider !== 'v8' && provider !== 'istanbul') return null;
  try {
    const project = createRequire(join(root, 'package.json'));
    const from = createRequire(project.resolve(`@vitest/coverage-${provider}/package.json`));
    const libs = {};
    for (const name of ['istanbul-lib-coverage', 'istanbul-lib-report', 'istanbul-reports']) {
      libs[name] = from.resolve(name);
    }
    try {
      libs.picomatch = createRequire(project.resolve('vitest/package.json')).resolve('picomatch');
    } catch {
      // Only threshold globs need it; the join says so when one does.
    }
    return libs;
  } catch {
    return null;
  }
}

// The workers' trace (vitest_trace.mjs, named by PITCREW_VITEST_SETUP) as
// the first setup file of each project that runs in Node: its records are
// written before the project's own setup runs. Not in a browser, which has
// no file to write to. Vitest hands each worker its project's settings as
// it starts the worker, after `onInit`.
function traceWorkers(vitest) {
  const given = process.env.PITCREW_VITEST_SETUP;
  if (!given || !process.env.PITCREW_VITEST_TRACE) return;
  // Vite names files with forward slashes everywhere, Windows included.
  const setup = sep === '\\' ? given.split(sep).join('/') : given;
  process.env.PITCREW_VITEST_ROOT = process.cwd();
  const projects = Array.isArray(vitest?.projects) && vitest.projects.length > 0 ? vitest.projects : [vitest];
  for (const project of projects) {
    const config = project?.config;
    if (!config || config.browser?.enabled) continue;
    const files = Array.isArray(config.setupFiles) ? config.setupFiles : [];
    if (!files.includes(setup)) config.setupFiles = [setup, ...files];
    // A DOM environment (jsdom, happy-dom) has its modules served by Vite,
    // which serves no file outside the project's workspace: the setup
    // file, in pitcrew's scratch folder, is let in (Vitest 3 and 4 keep
    // the server as `vite`, Vitest 2 as `server`).
    const folder = dirname(setup);
    for (const server of [project?.vite, project?.server, vitest?.vite, vitest?.server]) {
      const allow = server?.config?.server?.fs?.allow;
      if (Array.isArray(allow) && !allow.includes(folder)) allow.push(folder);
    }
  }
}

export default class PitcrewVitestReporter {
  constructor() {
    this.out = process.env.PITCREW_EVENTS;
    // Tests whose result was written, so a module's end adds only the
    // others (tests Vitest never reported one by one).
    this.done = new Set();
    this.planned = new Set();
    // Modules whose own errors (an import that fails) were written.
    this.failedModules = new Set();
    // Suites whose own errors (a hook that failed) were written.
    this.failedSuites = new Set();
    // Files that began to run (collected, or in Vitest 2's results).
    this.started = new Set();
    // Tests skipped by their file (`.skip`, `.todo`, `skipIf`, another's
    // `.only`), as collected: Vitest marks the tests a `bail` cancels
    // skipped too.
    this.declaredSkips = new Set();
    if (this.out) writeFileSync(this.out, '');
  }

  onInit(vitest) {
    // Vitest 3's hooks say they are called; Vitest 2 calls none of them.
    this.modern = false;
    takeCoverage(vitest);
    traceWorkers(vitest);
    // The project lets unhandled errors pass, and so does Vitest's exit.
    this.ignoreUnhandled = Boolean(vitest?.config?.dangerouslyIgnoreUnhandledErrors);
    // Its projects are read when needed: they are replaced as it starts.
    this.vitest = vitest;
    // Whether Vitest stops at a failure (`--bail`, `bail` in the config):
    // a run that left tests unrun after a failed test, never told to stop,
    // crashed (Vitest 3's main process dies when a file kills its worker).
    this.write({ event: 'stops', count: Number(vitest?.config?.bail) || 0 });
  }

  // Whether `file`, where a type error is, is a typecheck test file: one
  // this run was not given, since tsc checks the whole project and Vitest
  // reports an error in a file outside the run as an unhandled "source
  // error". The shard that runs that file reports it as its test's
  // failure; here it would be counted once more per shard. (Vitest 3 and 4
  // name the check `_isCachedTypecheckFile`, Vitest 2 `isTypecheckFile`;
  // both keep the list they glob.)
  isTypeTest(file) {
    const projects = this.vitest?.projects;
    return (Array.isArray(projects) ? projects : []).some((project) => {
      for (const check of ['_isCachedTypecheckFile', 'isTypecheckFile']) {
        if (typeof project?.[check] === 'function') return Boolean(project[check](file));
      }
      const list = project?.typecheckFilesList;
      return Array.isArray(list) && list.includes(file);
    });
  }

  write(record) {
    if (this.out) appendFileSync(this.out, JSON.stringify(record) + '\n');
  }

  fileRecord(event, module) {
    const file = fileOf(module);
    if (event === 'start') this.started.add(file);
    this.write({ event, file, path: [], name: file });
  }

  // Every file of the run, before any runs: a file `--bail` never starts
  // is never queued, yet it is named.
  onTestRunStart(specifications) {
    this.modern = true;
    for (const spec of specifications || []) this.plan(spec);
  }

  // Vitest 2's first word: the files it found, before any runs (Vitest 3
  // and 4 say it with `onTestRunStart` too). Written as they come, so
  // that a run killed at a timeout, whose results Vitest 2 never writes,
  // still names the files it never ran.
  onPathsCollected(paths) {
    for (const path of paths || []) this.plan({ moduleId: String(path) });
  }

  onTestModuleQueued(module) {
    this.modern = true;
    this.plan(module);
  }

  plan(module) {
    const file = fileOf(module);
    if (this.planned.has(file)) return;
    this.planned.add(file);
    this.write({ event: 'planned', file, path: [], name: file });
  }

  onTestModuleCollected(module) {
    this.fileRecord('start', module);
    this.fileRecord('end', module);
    for (const test of module.children.allTests()) {
      this.write({ event: 'planned', ...names(test) });
      if (skipMode(test.options?.mode)) this.declaredSkips.add(test.id);
    }
    // A module that failed to import is over once collected: Vitest 3
    // names its errors only at the run's end, which a timeout never
    // reaches.
    this.moduleErrors(module);
  }

  // Vitest may handle two batches of its workers' updates at once, so a
  // test's result can arrive before its start: a start after the result
  // would read as a test still running when the run ended.
  onTestCaseReady(test) {
    if (this.done.has(test.id)) return;
    this.write({ event: 'start', ...names(test) });
  }

  onTestCaseResult(test) {
    this.modern = true;
    const result = test.result();
    if (result.state === 'pending') return;
    this.write({ event: 'end', ...names(test) });
    this.caseOf(test, result);
  }

  // Vitest 2's word: every file's tests as collected, before they run.
  onCollected(files) {
    for (const file of files || []) {
      for (const { task } of testsOf(file)) if (skipMode(task.mode)) this.declaredSkips.add(task.id);
    }
  }

  // A test read as skipped though its file did not skip it, once the run
  // is being cancelled (a `bail` after a failure): it never ran.
  cancelled(id) {
    return this.vitest?.isCancelling === true && !this.declaredSkips.has(id);
  }

  caseOf(test, result) {
    if (this.done.has(test.id)) return;
    this.done.add(test.id);
    const outcome = result.state === 'passed' ? 'passed' : result.state === 'failed' ? 'failed' : 'skipped';
    if (outcome === 'skipped' && this.cancelled(test.id)) {
      this.write({ event: 'unrun', ...names(test) });
      return;
    }
    const diagnostic = test.diagnostic();
    const record = {
      event: 'case',
      ...names(test),
      outcome,
      time: Number(diagnostic?.duration ?? 0) / 1000,
    };
    if (test.location && Number.isInteger(test.location.line)) record.line = test.location.line;
    // Vitest's own retries (`--retry N`, `retry` in the config or a test's
    // options) ran the test again in this process: runs of one test, so a
    // pass after them is flaky. Vitest keeps only the last run's errors.
    const retries = Number(diagnostic?.retryCount ?? 0);
    if (outcome !== 'skipped' && retries > 0) record.reruns = rerunsOf(retries);
    if (outcome === 'failed') Object.assign(record, failureOf(result.errors));
    else if (outcome === 'skipped' && typeof result.note === 'string') record.message = result.note;
    this.write(record);
  }

  onTestModuleEnd(module) {
    this.settle(module);
    this.moduleErrors(module);
    this.suiteErrors(module);
  }

  // Each `describe` whose own errors (its `beforeAll` or `afterAll` threw)
  // fail the run: one failed case named by the block, once, of its own
  // type: pitcrew retries it with the block's tests.
  suiteErrors(module) {
    const suites = module.children?.allSuites ? module.children.allSuites() : [];
    for (const suite of suites) {
      const errors = typeof suite.errors === 'function' ? suite.errors() : [];
      if (errors.length === 0 || this.failedSuites.has(suite.id)) continue;
      this.failedSuites.add(suite.id);
      this.write(this.hookFailure(names(suite), errors));
    }
  }

  hookFailure(record, errors) {
    return { event: 'case', ...record, outcome: 'failed', time: 0, ...failureOf(errors), type: 'block failed outside its tests' };
  }

  // A module's own errors (it did not import) as one failed test named by
  // its file, once. Vitest 3 ends a module that failed to collect without
  // `onTestModuleEnd`: the run's end writes it then.
  moduleErrors(module) {
    const errors = module.errors();
    const file = fileOf(module);
    if (errors.length === 0 || this.failedModules.has(file)) return;
    this.failedModules.add(file);
    this.write({ event: 'case', file, path: [], name: file, outcome: 'failed', time: 0, ...failureOf(errors) });
  }

  // A module's tests without a written result: a result Vitest did not
  // report one by one is written; a test still pending once its module (or
  // the run) is over never ran (`--bail` cancelled it): `unrun`.
  settle(module) {
    for (const test of module.children.allTests()) {
      if (this.done.has(test.id)) continue;
      const result = test.result();
      if (result.state !== 'pending') {
        // Its result read as pending when it came: it started, and ended.
        this.write({ event: 'end', ...names(test) });
        this.caseOf(test, result);
      } else {
        this.done.add(test.id);
        this.write({ event: 'unrun', ...names(test) });
      }
    }
  }

  // Vitest 2 (whose reporters get none of the hooks above): the run's
  // files as task trees once it is over. Nothing is written here live: at
  // a timeout, the workers' trace (vitest_trace.mjs) says what ran.
  onFinished(files, errors) {
    if (this.modern !== false) return;
    for (const file of files || []) {
      const name = fileOf({ moduleId: String(file.filepath) });
      this.plan({ moduleId: String(file.filepath) });
      // A file `--bail` cancelled before it began has no result and no
      // tests: left planned, it is named as never run (not as a file that
      // ran and declared no test).
      if (!file.result && (file.tasks || []).length === 0) continue;
      this.started.add(name);
      for (const event of ['start', 'end']) this.write({ event, file: name, path: [], name });
      const hooks = [];
      const tests = [
        ...testsOf(file, [], (suite, path) => {
          const errors = suite.result?.errors || [];
          if (errors.length > 0) hooks.push(this.hookFailure({ file: name, path, name: String(suite.name) }, errors));
        }),
      ];
      for (const { task, path } of tests) {
        const state = task.result?.state;
        const skipped = skipMode(task.mode) || skipMode(state);
        const outcome = skipped ? 'skipped' : state === 'pass' ? 'passed' : state === 'fail' ? 'failed' : undefined;
        const record = { file: name, path, name: String(task.name) };
        if (outcome === undefined || (outcome === 'skipped' && this.cancelled(task.id))) {
          this.write({ event: 'unrun', ...record });
          continue;
        }
        const done = { event: 'case', ...record, outcome, time: Number(task.result?.duration ?? 0) / 1000 };
        const retries = Number(task.result?.retryCount ?? 0);
        if (outcome !== 'skipped' && retries > 0) done.reruns = rerunsOf(retries);
        if (outcome === 'failed') Object.assign(done, failureOf(task.result?.errors));
        this.write(done);
      }
      for (const hook of hooks) this.write(hook);
      const own = file.result?.errors || [];
      if (own.length > 0) {
        this.write({ event: 'case', file: name, path: [], name, outcome: 'failed', time: 0, ...failureOf(own) });
      }
    }
    const first = (files || [])[0];
    this.unhandled(errors, first ? { moduleId: String(first.filepath) } : undefined);
  }

  onTestRunEnd(modules, unhandledErrors) {
    for (const module of modules || []) {
      this.settle(module);
      this.moduleErrors(module);
      this.suiteErrors(module);
    }
    this.unhandled(unhandledErrors, (modules || [])[0]);
  }

  // An error from no file that stopped files of the run from starting
  // (a `@vitest-environment` that cannot load): Vitest 4 names them
  // (`[vitest-pool]: Failed to start forks worker for test files a, b.`),
  // Vitest 2 and 3 do not: then the files that never started and whose
  // environment the error names (as a word of it: `./env/db`, `'db'`).
  // Each is one failed case named by the file, as a file that does not
  // import: not a failure of whichever file came first, nor a file
  // "stopped after a failed test". An unhandled rejection or exception
  // comes from a file that ran, never from these. Whether it wrote them.
  unstartedFiles(error) {
    if (/^Unhandled Rejection|^Uncaught Exception/.test(String(error?.type ?? ''))) return false;
    const named = /Failed to start \S+ worker for test files (.+)\.$/.exec(String(error?.message ?? ''));
    let files = named ? named[1].split(', ').map((path) => fileOf({ moduleId: path })) : [];
    if (files.length === 0) {
      const said = `${error?.message ?? ''} ${error?.cause?.message ?? ''}`;
      files = [...this.planned].filter((file) => {
        if (this.started.has(file)) return false;
        const environment = environmentOf(file);
        return environment !== undefined && namesWord(said, environment);
      });
    }
    files = files.filter((file) => this.planned.has(file) && !this.started.has(file));
    if (files.length === 0) return false;
    const record = failureOf([error]);
    const cause = error?.cause?.message;
    if (typeof cause === 'string' && cause) record.message = cut(`${record.message} ${cause}`, MESSAGE_MAX);
    for (const file of files) {
      if (this.failedModules.has(file)) continue;
      this.failedModules.add(file);
      this.write({ event: 'case', file, path: [], name: file, outcome: 'failed', time: 0, ...record, type: 'file failed outside its tests' });
    }
    return true;
  }

  // Errors no test caught, each a failed case `unhandled error` in the
  // file it came from (else in `first`, a module).
  unhandled(errors, first) {
    for (const error of this.ignoreUnhandled ? [] : errors || []) {
      // Where a type error is: in another shard's typecheck test file, it
      // explains Vitest's failed exit (`elsewhere`) and is counted there; in
      // a source file, it is the same error in every shard, and under its
      // own file the merge counts it once.
      const typed = error?.name === 'TypeCheckError' ? error.stacks?.[0]?.file : undefined;
      const source = typeof typed === 'string' ? typed : undefined;
      if (source && this.isTypeTest(source)) {
        this.write({ event: 'elsewhere', file: fileOf({ moduleId: source }), path: [], name: 'unhandled error' });
        continue;
      }
      const from = typeof error?.VITEST_TEST_PATH === 'string' ? error.VITEST_TEST_PATH : source;
      if (from === undefined && this.unstartedFiles(error)) continue;
      const at = typeof from === 'string' ? { moduleId: from } : first;
      const file = at ? fileOf(at) : undefined;
      const record = { event: 'case', file, path: [], name: 'unhandled error', outcome: 'failed', time: 0, ...failureOf([error]) };
      if (typeof error?.type === 'string') record.message = `${error.type}: ${record.message}`;
      // A re-run of some tests would not run what raised it: not retried.
      record.type = 'file failed outside its tests';
      this.write(record);
    }
  }
}
