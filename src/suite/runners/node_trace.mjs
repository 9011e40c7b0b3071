// pitcrew's trace of `node --test`, loaded (`--import`) into each test
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
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
// Written beside this module from `node_tree.mjs`.
import { Tree } from './pitcrew-node-tree.mjs';

const MESSAGE_MAX = 16 * 1024;
const trace = process.env.PITCREW_NODE_TRACE;
// Only in a test file's child (node sets NODE_TEST_CONTEXT there), not in
// the main process, whose stream carries every child's events.
const script = process.env.NODE_TEST_CONTEXT && trace ? process.argv[1] : undefined;
// Processes the tests start do not write to the trace.
delete process.env.PITCREW_NODE_TRACE;

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
  process.once('exit', () => {
    load();
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
        write({ event: 'start', path: tree.dequeued(data, name, nesting), name, kind: kindAt(data) });
        break;
      case 'test:complete': {
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
