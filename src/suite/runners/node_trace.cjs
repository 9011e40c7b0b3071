// pitcrew's trace of `node --test`, loaded (`--require`) into each test
// file's child process: the child's own test events, in pitcrew's events
// format (see node_reporter.mjs), written synchronously as they happen.
//
// Why, beside the reporter: the reporter runs in node's main process and
// learns of a child's tests only through the child's standard output,
// which the child writes asynchronously, and node holds a file's events
// until the files before it have reported. A test that blocks its process
// (`while (true) {}`) stops the child before those writes happen, so at a
// timeout the reporter knows neither the tests that finished in that child,
// nor the ones queued behind, nor which one hung. This trace does: each
// record is on disk before the next test's code runs. pitcrew reads it only
// when it killed the runner at a timeout, to fill in what the reporter lost.
//
// How: node's test runner hands every event to a stream of its own (a
// Readable of `{type, data}` objects) as it happens. Wrapping
// `Readable.prototype.push` finds that stream at its first event and sees
// each event as it is pushed. Nothing else changes: no hook is added to
// the tests (a root-level `beforeEach`, however empty, makes node cancel a
// subtest its parent does not await), and every push goes on as it came.
// Should node stop pushing such objects, the trace stays empty and pitcrew
// knows what it knew without it.
//
// Records (`file` is the test file the child runs, as the reporter names
// it): `planned` (test:enqueue), `start` (test:dequeue), `end`
// (test:complete), and `case` (test:pass, test:fail) for a test (a suite
// only when it failed on its own), as the reporter writes it; and the file's
// own `start` and `end` (`path` [], `name` the file) around its top-level
// code.
//
// A `start` record says `kind: "suite"` or `"test"` where that is known:
// a test queued behind a hang is run again by its name, and its ancestors'
// names select it too only if they are tests (a subtest runs only when its
// parent test runs), never if they are suites (node runs every test of a
// suite whose name matches, the hung one included). The call at the
// test's position in its source says which (`describe(`, `suite(`,
// `describe.skip(` → suite; `test(`, `it(`, `t.test(` → test); where it
// does not (a renamed import, compiled source whose positions are not the
// file's), Node 22's own `type` does, as far as it holds (see `kindAt`);
// anything else is left unsaid.
//
// And how the file's process ended, a last record `exited` (`path` [],
// `name` the file), with a `message` where the file failed outside its
// tests: its code called `process.exit` with a code other than 0, or set
// `process.exitCode` to one (seen at each test event and when the event
// loop first empties; `process.exit(0)` is no failure, as under node,
// whose own count then leaves out the tests it cut). Node fails such a
// file every run, but says so only when none of its tests failed: after a
// failed test, the file's own failure is folded into it, and a retry of
// that test by name (flaky, say) would leave the exit unrun and the run
// green. A file that started and wrote no `exited` was killed (a signal,
// `process.abort()`). Node 20 sets `process.exitCode` itself at a test's
// failure: there, an exit code of 1 set after a failed test is node's.
//
// CommonJS, loaded with `--require`, not an ES module with `--import`: an
// `--import` starts node's ES module loader in every test file's process,
// which cost find-my-way's 70 files about 0.4 s of CPU more than this
// module's work (stop 58: 6.53 s user plain, 7.20 s with `--import`,
// 6.77 s with `--require`, medians of 4 alternating runs). A preload also
// runs in node's main test process, which node does not give `--import`:
// there it does nothing (see `script`).
'use strict';

const { closeSync, openSync, readFileSync, statSync, writeSync } = require('node:fs');
const { relative, resolve, sep } = require('node:path');
const { fileURLToPath } = require('node:url');
const { Readable } = require('node:stream');
// Written beside this module from `node_tree.cjs`.
const { Tree } = require('./pitcrew-node-tree.cjs');

const MESSAGE_MAX = 16 * 1024;
const trace = process.env.PITCREW_NODE_TRACE;
// Only in a test file's child (node sets NODE_TEST_CONTEXT there), not in
// the main process, whose stream carries every child's events.
const script = process.env.NODE_TEST_CONTEXT && trace ? process.argv[1] : undefined;
// Processes the tests start do not write to the trace; the main process
// hands it on to the test files' processes.
if (script) delete process.env.PITCREW_NODE_TRACE;

function open(path) {
  try {
    return openSync(path, 'a');
  } catch {
    return undefined;
  }
}

const fd = script ? open(trace) : undefined;

// Source files read, by absolute path, as lines (or null: unreadable).
const sources = new Map();
const SOURCE_MAX = 4 * 1024 * 1024;

function sourceLines(path) {
  if (!sources.has(path)) {
    let lines = null;
    try {
      if (statSync(path).size <= SOURCE_MAX) lines = readFileSync(path, 'utf8').split('\n');
    } catch {
      // Unread, the kind stays unsaid.
    }
    sources.set(path, lines);
  }
  return sources.get(path);
}

// `suite` or `test` from the call that declared the test at `line`:
// `column` (1-based, UTF-16 units as JavaScript strings count them), which
// V8 puts at the called name (`describe` in `describe.skip(`, `test` in
// `t.test(`).
//
// The source decides where it can: Node 22 also says `type`, but says
// `test` for a top-level `describe` when it starts. Its `suite` holds, and
// its `test` below the top level.
function kindAt(data) {
  const said = kindInSource(data);
  if (said !== undefined) return said;
  if (data.type === 'suite') return 'suite';
  if (data.type === 'test' && Number.isInteger(data.nesting) && data.nesting > 0) return 'test';
  return undefined;
}

function kindInSource(data) {
  if (typeof data.file !== 'string' || !Number.isInteger(data.line) || !Number.isInteger(data.column)) {
    return undefined;
  }
  let path;
  try {
    path = data.file.startsWith('file:') ? fileURLToPath(data.file) : resolve(data.file);
  } catch {
    return undefined;
  }
  const text = sourceLines(path)?.[data.line - 1];
  if (typeof text !== 'string' || data.column < 1 || data.column > text.length) return undefined;
  const before = /[\w$.]*$/.exec(text.slice(0, data.column - 1))[0];
  const after = /^[\w$.]*\s*\(/.exec(text.slice(data.column - 1));
  if (after === null) return undefined;
  const callee = (before + after[0]).replace(/\s*\($/, '').split('.');
  if (callee.some((word) => word === 'describe' || word === 'suite')) return 'suite';
  const last = callee.at(-1);
  if (callee.some((word) => word === 'test' || word === 'it') && ['test', 'it', 'skip', 'only', 'todo'].includes(last)) {
    return 'test';
  }
  return undefined;
}

// Where the code that called `fn` is, as `file:line:column` relative to
// the working directory, or the node module that called it for the code
// (`process.exit` handed to `setTimeout` as a callback: `node:internal/timers`);
// undefined when node's test runner did (it ends a run with
// `--test-force-exit` by `process.exit`). V8's call sites, asked for
// directly: a project's own `Error.prepareStackTrace` (source-map-support)
// formats stacks its way.
function callerOf(fn) {
  const [limit, prepare] = [Error.stackTraceLimit, Error.prepareStackTrace];
  const holder = {};
  try {
    Error.stackTraceLimit = 32;
    Error.prepareStackTrace = (_, sites) => sites;
    Error.captureStackTrace(holder, fn);
    const sites = Array.isArray(holder.stack) ? holder.stack : [];
    const names = sites.map((site) => {
      const name = site?.getFileName?.() ?? site?.getScriptNameOrSourceURL?.();
      return typeof name === 'string' ? name : '';
    });
    // The nearest caller that is the project's code or node's test runner
    // decides (a test's code has the runner's frames below it); between
    // them, node's timers and events only hand the call on.
    const runner = (name) => name.startsWith('node:internal/test_runner/');
    const at = names.findIndex((name) => runner(name) || (name !== '' && !name.startsWith('node:')));
    if (at >= 0 && runner(names[at])) return undefined;
    if (at < 0) return names.find((name) => name !== '') ?? 'an unknown place';
    let path = names[at];
    try {
      path = relative(process.cwd(), path.startsWith('file:') ? fileURLToPath(path) : path).split(sep).join('/');
    } catch {
      // Not a file: named as V8 names it.
    }
    return `${path}:${sites[at].getLineNumber()}:${sites[at].getColumnNumber()}`;
  } catch {
    return 'an unknown place';
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  }
}

// A process exit code as the process ends with it (a number, or a string
// of one; the system keeps its low 8 bits: 256 is 0).
function exitCodeOf(value) {
  if (value === undefined || value === null) return 0;
  const code = Number(value);
  return Number.isInteger(code) ? ((code % 256) + 256) % 256 : 0;
}

if (fd !== undefined) {
  const file = relative(process.cwd(), script).split(sep).join('/');
  const write = (record) => {
    try {
      writeSync(fd, JSON.stringify({ event: record.event, file, ...record }) + '\n');
    } catch {
      // A trace that cannot be written only loses what it adds at a timeout.
    }
  };
  // The file itself runs from now until its first test starts (node runs
  // tests once the file's own code is done) or the process ends: a file
  // whose top-level code hangs (`while (true) {}` outside any test) is the
  // one running at a timeout, and the files queued behind it run again.
  // `skips`: whether this node can leave single tests out by name, which
  // pitcrew uses to run again what a hang held up without the hung test.
  const skips = process.allowedNodeEnvironmentFlags.has('--test-skip-pattern');
  write({ event: 'start', path: [], name: file, skips });
  let loaded = false;
  const load = () => {
    if (loaded) return;
    loaded = true;
    write({ event: 'end', path: [], name: file });
  };
  // The tests running now, by nesting (the innermost last), and whether
  // one failed yet.
  const running = [];
  const during = () => (running.length > 0 ? running.join(' > ') : undefined);
  let aTestFailed = false;
  // Node 20 sets `process.exitCode = 1` itself when a test fails; later
  // nodes set it after the last `beforeExit` listener registered before
  // theirs (this one's) has run.
  const eager = Number(process.versions.node.split('.')[0]) < 22;
  // Whether the event loop emptied once already: node may have set its
  // own exit code since (a `beforeExit` listener that starts more work
  // makes the loop empty again).
  let drained = false;
  // How the file's own code ended the process, if it did; and the exit
  // code it set last, if not 0, with when that was seen (looked at at
  // every test event and when the event loop empties).
  let ended;
  let codeSet;
  // An error no test caught: node reports it (`unhandled error`, or the
  // test it blames) and sets an exit code of 1 for it, which is then
  // node's, not the file's own failure. A monitor changes nothing of how
  // the error is handled.
  let uncaught = false;
  process.on('uncaughtExceptionMonitor', () => {
    uncaught = true;
  });
  const see = (when) => {
    const code = exitCodeOf(process.exitCode);
    if (code === 0) codeSet = undefined;
    else if (code === 1 && (uncaught || ((eager || drained) && aTestFailed))) return;
    else if (codeSet?.code !== code) codeSet = { code, when };
  };
  const failure = (finalCode) => {
    if (ended !== undefined && ended.code !== 0) {
      const when = ended.test === undefined ? 'after its tests' : `while \`${ended.test}\` ran`;
      return `the test file's process was ended by process.exit(${ended.code}) at ${ended.at} ${when}`;
    }
    if (ended !== undefined || finalCode === 0 || codeSet === undefined) return undefined;
    return `process.exitCode = ${codeSet.code}, set ${codeSet.when}, failed the test file's process`;
  };
  const exited = (code) => {
    write({ event: 'exited', path: [], name: file, code, message: failure(code) });
  };
  const exit = process.exit;
  process.exit = function exitTraced(code) {
    const before = ended;
    if (ended === undefined) {
      const at = callerOf(exitTraced);
      if (at !== undefined) ended = { code: exitCodeOf(code ?? process.exitCode), at, test: during() };
    }
    try {
      return Reflect.apply(exit, this, arguments);
    } catch (error) {
      // Refused (`process.exit('x')`): the process goes on.
      ended = before;
      throw error;
    }
  };
  // Written when the event loop empties, as the process will end unless
  // something runs again, and written again at its `exit` (the last
  // record of a file is the one read): a test that removes every `exit`
  // listener leaves this one, not a file that seems killed. An exit code
  // set by an `exit` listener is not seen.
  process.on('beforeExit', () => {
    see('after its tests');
    drained = true;
    exited(exitCodeOf(process.exitCode));
  });
  process.once('exit', (code) => {
    load();
    exited(exitCodeOf(process.exitCode ?? code));
    closeSync(fd);
  });
  // Where the tests being executed run (execution order), and the names
  // by nesting of the tests being reported, each with its subtests' time
  // and first failure (as `node_reporter.mjs` reports a test with subtests).
  const tree = new Tree();
  const declared = [];
  const handle = (type, data) => {
    const nesting = Number.isInteger(data.nesting) ? data.nesting : 0;
    const name = String(data.name ?? '');
    switch (type) {
      case 'test:enqueue':
        write({ event: 'planned', path: tree.queued(data, nesting), name });
        break;
      case 'test:dequeue':
        load();
        running.length = nesting;
        see(`before \`${running.concat(name).join(' > ')}\` ran`);
        running.push(name);
        write({ event: 'start', path: tree.dequeued(data, name, nesting), name, kind: kindAt(data) });
        break;
      case 'test:complete': {
        running.length = Math.min(running.length, nesting);
        const path = tree.completed(data, name, nesting);
        if (path !== undefined) write({ event: 'end', path, name });
        break;
      }
      case 'test:start':
        declared.length = nesting;
        declared.push({ name, childTime: 0, childFailure: undefined });
        break;
      case 'test:pass':
      case 'test:fail': {
        const details = data.details ?? {};
        const error = details.error;
        const failureType = error?.failureType;
        const own = declared[nesting]?.name === name ? declared[nesting] : undefined;
        const around = nesting > 0 ? declared[nesting - 1] : undefined;
        const time = Number(details.duration_ms ?? 0) / 1000;
        if (around) around.childTime += time;
        const forItsTests = failureType === 'subtestsFailed' || failureType === 'cancelledByParent';
        if (details.type === 'suite' && (type === 'test:pass' || forItsTests)) {
          if (around && own?.childFailure && !around.childFailure) around.childFailure = own.childFailure;
          see(`while \`${declared.slice(0, nesting + 1).map((t) => t.name).join(' > ')}\` ran`);
          break;
        }
        const skipped = data.skip !== undefined || data.todo !== undefined;
        const outcome = skipped ? 'skipped' : type === 'test:pass' ? 'passed' : 'failed';
        const path = declared.slice(0, nesting).map((t) => t.name);
        const record = { event: 'case', path, name, outcome, time: Math.max(0, time - (own?.childTime ?? 0)) };
        if (type === 'test:fail' && error) {
          const cause = error.cause ?? error;
          record.message = String(cause?.message ?? cause).slice(0, MESSAGE_MAX);
          record.type = failureType ?? cause?.name;
          if (failureType === 'subtestsFailed' && own?.childFailure) record.message = own.childFailure;
        }
        if (around && outcome === 'failed' && !around.childFailure) around.childFailure = record.message;
        write(record);
        aTestFailed ||= outcome === 'failed';
        see(`while \`${path.concat(name).join(' > ')}\` ran`);
        break;
      }
      default:
        break;
    }
  };
  const push = Readable.prototype.push;
  let events;
  Readable.prototype.push = function (chunk, encoding) {
    if (events === undefined && typeof chunk?.type === 'string' && chunk.type.startsWith('test:')) {
      events = this;
    }
    if (this === events && chunk?.data) {
      try {
        handle(chunk.type, chunk.data);
      } catch {
        // As above: the trace is an extra, never a reason to fail.
      }
    }
    return push.call(this, chunk, encoding);
  };
}
