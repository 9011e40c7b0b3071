// pitcrew's reporter for `node --test`: one JSON object per line, written
// as events arrive, so that what finished before a timeout is kept and the
// test that was running can be named.
//
// Why not node's JUnit reporter: it writes classname="test" and no file,
// drops the describe path (two `it('returns 200')` in two `describe` blocks
// look like one test run twice) and writes tabs and newlines raw into
// attributes, where XML turns them into spaces.
//
// Records (`event`):
// - `planned`: a test was enqueued (top-level tests when their file loads,
//   nested ones when their suite runs);
// - `start` / `end`: a test (or suite) began / finished executing, in
//   execution order;
// - `case`: a test's result, with `path` (its describe blocks, outermost
//   first), `outcome` (passed, failed, skipped), `time` in seconds, and for
//   failures `message`, `type` and `details`. A suite reports a case
//   only when it failed on its own (a hook), not because a test in it
//   failed; a test with subtests is a case like any test, as node's
//   summary counts it. A file that fails before any test ran reports one
//   case named by the file;
// - `verdict`: node failed the run outside its tests (node >= 22's error
//   diagnostics: a coverage threshold not met);
// - `finished`: node reached the end of the run (its `test:summary` of the
//   whole run, Node >= 22).
//
// Which file a test belongs to: the test file that ran it (Node 24 says
// so: `entryFile`), not node's
// `data.file`, which is where the test was declared and can be a helper
// module the test file calls (fast-json-stringify's util.js declares the
// tests of draft4.test.js and draft6.test.js). `node --test` runs each file
// in a child process and reports the children's events file by file, in
// the order the files were enqueued (a file's events are buffered until
// the files before it have reported), so the events of one file form one
// block and the blocks come in file order. A block ends at its file's
// `test:complete` when its events were reported live, at the file's own
// `test:pass`/`test:fail` when it reported no tests, and otherwise (its
// child had exited, its complete came first, its events come from node's
// buffer) where a top-level test's `test:complete` carries testNumber 1
// (node numbers each file's top-level tests from 1 there) after the file
// already had one: that test, held until then, begins the next block.
// Limit: such a held test is written only at its complete, so a later file
// whose first top-level test hangs right after an earlier, already
// finished file is reported is not named as running.
//
// How long test files ran: a last record `files` with `time`, the seconds
// from the first file's start to the last one's end. Each file runs in a
// child process of its own, whose start-up is the file's cost whatever the
// shard; the rest of the runner's wall time (node's own start, this
// reporter, the exit) is what one more `node --test` process costs.
//
// A test file that declares no tests (a helper under test/ that node runs
// too): node counts it as one passing test (its JUnit has a testcase named
// by the file), so this reporter writes one passed case named by the file,
// and pitcrew counts what node counts.
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
// Written beside this reporter from `node_tree.cjs`, CommonJS for the
// trace's sake (`node_trace.cjs`).
import tree from './pitcrew-node-tree.cjs';

const { Tree } = tree;

const DETAILS_MAX = 64 * 1024;
// As pitcrew keeps a message (a longer record line would be skipped).
const MESSAGE_MAX = 16 * 1024;
const LATE_ACTIVITY = /^Error: .*generated asynchronous activity after the test ended/s;

// `text` cut to at most `max` UTF-16 units, never between the halves of
// a surrogate pair: a lone half is written as `\ud83d`, which no strict
// JSON reader (pitcrew's included) takes, and the record would be lost.
function cut(text, max) {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

function fileOf(data) {
  let file = data.file;
  if (typeof file !== 'string' || file === '') return null;
  if (file.startsWith('file://')) file = fileURLToPath(file);
  return relative(process.cwd(), file).split(sep).join('/');
}

// The last `max` UTF-16 units of `text`, never from the second half of a
// surrogate pair (see `cut`).
function tail(text, max) {
  if (text.length <= max) return text;
  const first = text.charCodeAt(text.length - max);
  return text.slice(first >= 0xdc00 && first <= 0xdfff ? text.length - max + 1 : text.length - max);
}

// The error a process's stderr says it died of: node prints an uncaught
// error last, after whatever the file logged, so its last line naming an
// error (`Error: Cannot find module './nope'`, `TypeError [ERR_X]: …`);
// else the value thrown, the line above node's hint to trace it (`throw
// 'str'`); else its last line but node's version.
function errorLine(text) {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^Node\.js v\d/.test(line));
  const named = lines.findLast((line) => /^[A-Za-z]*Error( \[[A-Z0-9_]+\])?: /.test(line));
  if (named !== undefined) return named;
  const hint = lines.findIndex((line) => line.startsWith('(Use `node --trace-uncaught'));
  return (hint > 0 ? lines[hint - 1] : lines.at(-1)) ?? '';
}

// The test file a top-level entry with no file is named by, if it is one.
function fileNamed(data, nesting) {
  if (nesting !== 0 || typeof data.name !== 'string' || data.name === '') return null;
  return existsSync(resolve(data.name)) ? fileOf({ file: data.name }) : null;
}

// A file's own wrapper test, which `node --test` names by its path:
// absolute on Node 20, relative to the working directory since Node 22.
// Node places it at the file's first line and column (Node 20 to 24): a
// test named like its file, declared anywhere else, is a test (one that
// failed was taken for the file failing outside its tests, never retried;
// round 33).
function isFileWrapper(data) {
  if (data.nesting !== 0 || typeof data.file !== 'string' || typeof data.name !== 'string') return false;
  if (Number.isInteger(data.line) && Number.isInteger(data.column) && (data.line !== 1 || data.column !== 1)) return false;
  if (data.name === data.file) return true;
  try {
    const file = data.file.startsWith('file://') ? fileURLToPath(data.file) : data.file;
    return resolve(data.name) === resolve(file);
  } catch {
    return false;
  }
}

function failure(error) {
  if (!error) return {};
  const cause = error.cause ?? error;
  const message = cut(typeof cause?.message === 'string' ? cause.message : String(cause), MESSAGE_MAX);
  let details;
  try {
    details = inspect(cause, { depth: 4 });
  } catch {
    details = String(cause?.stack ?? cause);
  }
  details = cut(details, DETAILS_MAX);
  const type = error.failureType ?? cause?.name ?? undefined;
  return { message, type, details, failureType: error.failureType };
}

const oneProcess = process.env.PITCREW_NODE_ONE_PROCESS === '1';

export default async function* pitcrewReporter(source) {
  // Per file: the tests being declared (test:start, in definition order)
  // by nesting level, and where the tests being executed run (test:dequeue,
  // execution order).
  const declared = new Map();
  const trees = new Map();
  const stack = (map, file) => {
    if (!map.has(file)) map.set(file, []);
    return map.get(file);
  };
  const tree = (file) => {
    if (!trees.has(file)) trees.set(file, new Tree());
    return trees.get(file);
  };
  const line = (record) => JSON.stringify(record) + '\n';

  // The test files in the order node enqueued them, and the one whose
  // block of events is being reported (see the header).
  const files = [];
  const index = new Map(); // file -> position in `files`
  const state = []; // per file: { seen, completed, done, top-level tests }
  let head = 0;
  const advance = () => {
    while (head < files.length && state[head].done) head += 1;
  };
  const finish = (at) => {
    if (at === undefined) return;
    state[at].done = true;
    advance();
  };
  // The test file a test reported by a child process belongs to.
  const owner = (declaredIn) => {
    if (head >= files.length) return declaredIn;
    state[head].seen = true;
    return files[head];
  };
  // Events of a top-level test reported from a buffer (its file's child
  // process had exited): held until its own test:complete says whether it
  // is the first top-level test of its file (see the header).
  let held = null;
  // When the first file started and the last one ended (ms, this clock).
  let firstFileAt = null;
  let lastFileAt = null;
  // Node's own errors about a file's tests (`Error: Test "x" at f:7:1
  // generated asynchronous activity after the test ended …`): node fails
  // the run for them though every test passed, and says so only in such a
  // diagnostic (and, where no test failed, by failing the file). Each is
  // one failed case `unhandled error` in the file it names; the file's own
  // failure that follows is then no second one.
  let unhandled = 0;
  // The end of what each test file's process wrote to stderr: a file that
  // fails to load (a `require` of a module that is not there, an error at
  // import) says why only there, and node fails the file as "test failed".
  const stderrOf = new Map();
  const RELEVANT = ['test:enqueue', 'test:dequeue', 'test:complete', 'test:start', 'test:pass', 'test:fail'];

  // One event of a test a child process reported, in `file`.
  function* handle(type, data, file) {
    const nesting = Number.isInteger(data.nesting) ? data.nesting : 0;
    let name = String(data.name ?? '');
    // Node names a file's own failure (a root `after` hook's) by the
    // file's absolute path: it is the file's name, as pitcrew names a
    // file's failure, whatever the machine's paths.
    if (nesting === 0 && name !== file && (isAbsolute(name) || name.startsWith('file://')) && fileOf({ file: name }) === file) {
      name = file;
    }
    switch (type) {
      case 'test:enqueue': {
        const path = tree(file).queued(data, nesting);
        yield line({ event: 'planned', file, path, name });
        break;
      }
      case 'test:dequeue': {
        const path = tree(file).dequeued(data, name, nesting);
        yield line({ event: 'start', file, path, name });
        break;
      }
      case 'test:complete': {
        const path = tree(file).completed(data, name, nesting);
        if (path !== undefined) yield line({ event: 'end', file, path, name });
        break;
      }
      case 'test:start': {
        const open = stack(declared, file);
        open.length = nesting;
        open.push({ name, childTime: 0, childFailure: undefined });
        break;
      }
      case 'test:pass':
      case 'test:fail': {
        const details = data.details ?? {};
        const time = Number(details.duration_ms ?? 0) / 1000;
        const open = stack(declared, file);
        const path = open.slice(0, nesting).map((t) => t.name);
        const error = failure(details.error);
        // A suite (`describe`) is not a case of its own unless it failed
        // itself (a hook): not when a test in it failed, nor when node
        // cancelled it with its tests (a promise that never settles ends
        // the event loop, and node cancels every test still to finish,
        // each reported). A test with subtests is a test, as node counts
        // it (`tests 5` for two parents of three subtests), passed or
        // failed, so that a retry that passes it is seen.
        const forItsTests = ['subtestsFailed', 'cancelledByParent'].includes(error.failureType);
        const own = open[nesting]?.name === name ? open[nesting] : undefined;
        const around = nesting > 0 ? open[nesting - 1] : undefined;
        if (around) around.childTime += time;
        // A skipped suite (`describe.skip`) runs none of its tests, and
        // node reports none of them: as node's JUnit does, it is one
        // skipped case (a file of only such suites has tests, skipped).
        const skippedSuite = type === 'test:pass' && data.skip !== undefined;
        if (details.type === 'suite' && !skippedSuite && (type === 'test:pass' || forItsTests)) {
          if (around && own?.childFailure && !around.childFailure) around.childFailure = own.childFailure;
          break;
        }
        let outcome = type === 'test:pass' ? 'passed' : 'failed';
        // Node counts neither a skipped test nor a failing todo as failed.
        if (data.skip !== undefined || data.todo !== undefined) outcome = 'skipped';
        // A parent's time holds its subtests': its own is the rest, so a
        // file's tests add up to what it took (run one after another; side
        // by side they overlap, and a parent's own time is at least 0).
        const record = { event: 'case', file, path, name, outcome, time: Math.max(0, time - (own?.childTime ?? 0)), line: data.line };
        if (type === 'test:fail') Object.assign(record, error);
        else if (typeof data.skip === 'string') record.message = data.skip;
        // A parent failed for its subtests says what its first failed one
        // said (node: `1 subtest failed`), so triage groups it with that
        // failure instead of calling it a root cause of its own.
        if (error.failureType === 'subtestsFailed' && own?.childFailure) Object.assign(record, own.childFailure);
        if (around && outcome === 'failed' && !around.childFailure) {
          around.childFailure = { message: record.message, details: record.details };
        }
        delete record.failureType;
        yield line(record);
        break;
      }
      default:
        break;
    }
  }

  for await (const { type, data } of source) {
    if (!data || typeof data !== 'object') continue;
    if (type === 'test:stderr') {
      const file = fileOf(data);
      if (file !== null && typeof data.message === 'string') {
        // Joined as it comes (cheap), cut back only past twice the bound:
        // cutting at every line copied the whole kept tail each time.
        const said = (stderrOf.get(file) ?? '') + data.message;
        stderrOf.set(file, said.length > 2 * DETAILS_MAX ? tail(said, DETAILS_MAX) : said);
      }
      continue;
    }
    // Node's own words for activity after a test ended, which fail the
    // run (a test's own `t.diagnostic('Error: …')` fails nothing).
    if (type === 'test:diagnostic' && typeof data.message === 'string' && LATE_ACTIVITY.test(data.message)) {
      const named = /^Error: Test .* at (.+?):\d+:\d+ generated asynchronous activity/s.exec(data.message);
      const file = named ? fileOf({ file: named[1] }) : files[Math.min(head, files.length - 1)];
      if (file) {
        unhandled += 1;
        const record = { event: 'case', file, path: [], name: 'unhandled error', outcome: 'failed', time: 0 };
        Object.assign(record, { message: cut(data.message.split('\n')[0], MESSAGE_MAX), type: 'file failed outside its tests', details: cut(data.message, DETAILS_MAX) });
        yield line(record);
      }
      continue;
    }
    // Node >= 22's own errors about the run (a coverage threshold not
    // met, with `--test-coverage-lines`): the run fails beside any test
    // that failed, and a retry of that test would not see it again.
    if (type === 'test:diagnostic' && data.level === 'error' && typeof data.message === 'string') {
      yield line({ event: 'verdict', message: cut(data.message.split('\n')[0], MESSAGE_MAX) });
      continue;
    }
    // Node's summary of the whole run (a file's own names the file): the
    // run reached its end, so every file given loaded and ran, and one
    // that reported nothing declared no test or selected none (test
    // isolation off reports no file of its own, and `test.only` there
    // leaves the other files' tests out unreported). A file that ended the
    // process (`process.exit`) ends it before this summary.
    if (type === 'test:summary' && data.file === undefined) {
      yield line({ event: 'finished' });
      continue;
    }
    const nesting = Number.isInteger(data.nesting) ? data.nesting : 0;
    const name = String(data.name ?? '');
    if (isFileWrapper(data)) {
      const file = fileOf(data);
      const at = index.get(file);
      const now = performance.now();
      if (type === 'test:enqueue' || type === 'test:dequeue') firstFileAt ??= now;
      if (type === 'test:complete' || type === 'test:pass' || type === 'test:fail') lastFileAt = now;
      switch (type) {
        case 'test:enqueue':
          if (at === undefined) {
            index.set(file, files.length);
            files.push(file);
            state.push({ seen: false, completed: false, done: false, tops: 0 });
          }
          break;
        case 'test:complete':
          if (at !== undefined) {
            state[at].completed = true;
            // Its events were reported live: its block is over.
            if (at === head && state[at].seen) finish(at);
          }
          break;
        case 'test:pass':
        case 'test:fail': {
          // Node reports a file as a test of its own only when it reported
          // no tests: failed to load, or declares none (counted as passed).
          const details = data.details ?? {};
          const time = Number(details.duration_ms ?? 0) / 1000;
          const record = { event: 'case', file, path: [], name: file, outcome: 'passed', time, line: data.line };
          if (type === 'test:fail') {
            Object.assign(record, { outcome: 'failed' }, failure(details.error));
            delete record.failureType;
            const said = tail(stderrOf.get(file) ?? '', DETAILS_MAX);
            // How its process ended, where node says (a child killed, or
            // ended by `process.exit(1)` in a test, writes no error line).
            const { signal, exitCode } = details.error ?? {};
            if (typeof signal === 'string' && signal !== '') {
              record.message = cut(`the test file's process was killed by ${signal}`, MESSAGE_MAX);
              if (said) record.details = said;
            } else if (record.message === 'test failed' && said) {
              record.message = cut(errorLine(said), MESSAGE_MAX);
              record.details = said;
            } else if (record.message === 'test failed' && Number.isInteger(exitCode) && exitCode !== 0) {
              record.message = `test failed: the test file's process exited with code ${exitCode}`;
            }
            // Failed outside its tests (it did not load, or did something
            // after a test ended): a re-run of some of its tests would not
            // do it again, so it is not retried.
            record.type = 'file failed outside its tests';
          }
          const explained = type === 'test:fail' && unhandled > 0;
          unhandled = 0;
          if (!explained) yield line(record);
          finish(at);
          break;
        }
        default:
          break;
      }
      continue;
    }
    if (!RELEVANT.includes(type)) continue;
    // Node 24 names the test file that ran a test (`entryFile`), and runs
    // the files of its pool with their events interleaved, where the
    // blocks below would misplace them: where it says, that is the file.
    const ranIn = typeof data.entryFile === 'string' ? fileOf({ file: data.entryFile }) : null;
    if (ranIn !== null) {
      const at = index.get(ranIn);
      if (at !== undefined) state[at].seen = true;
      yield* handle(type, data, ranIn);
      continue;
    }
    // Test isolation off (PITCREW_NODE_ONE_PROCESS): one process loads
    // every file and runs their tests in one stream, with no block of
    // events per file and no test file of its own but those that declare
    // none: each test is in the file that declared it.
    // (Node 22 names no file for a file that declares none: its name is
    // its path.)
    const declaredIn = oneProcess ? fileOf(data) ?? fileNamed(data, nesting) : null;
    if (declaredIn !== null) {
      yield* handle(type, data, declaredIn);
      continue;
    }
    if (held === null && type === 'test:enqueue' && nesting === 0 && head < files.length && state[head].completed) {
      held = [];
    }
    if (held !== null) {
      held.push({ type, data });
      if (type !== 'test:complete' || nesting !== 0) continue;
      // node numbers a file's top-level tests from 1 in test:complete: a
      // first test after the head's own tests begins the next file's block.
      if (data.testNumber === 1 && state[head].tops > 0) finish(head);
      const file = owner(fileOf(data));
      for (const event of held) yield* handle(event.type, event.data, file);
      held = null;
      if (head < files.length) state[head].tops += 1;
      continue;
    }
    const file = owner(fileOf(data));
    if (type === 'test:complete' && nesting === 0 && head < files.length) state[head].tops += 1;
    yield* handle(type, data, file);
  }
  if (held !== null) {
    const file = owner(fileOf(held[0].data));
    for (const event of held) yield* handle(event.type, event.data, file);
  }
  if (firstFileAt !== null && lastFileAt !== null && lastFileAt >= firstFileAt) {
    yield line({ event: 'files', time: (lastFileAt - firstFileAt) / 1000 });
  }
}
