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
//   failures `message`, `type` and `details`. A suite reports a case only
//   when it failed on its own (a hook, its body), not because a test in it
//   failed. A file that fails before any test ran reports one case named by
//   the file.
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';

const DETAILS_MAX = 64 * 1024;

function fileOf(data) {
  let file = data.file;
  if (typeof file !== 'string' || file === '') return null;
  if (file.startsWith('file://')) file = fileURLToPath(file);
  return relative(process.cwd(), file).split(sep).join('/');
}

// A file's own wrapper test, which `node --test` names by its path.
function isFileWrapper(data) {
  return data.nesting === 0 && typeof data.file === 'string' && data.name === data.file;
}

function failure(error) {
  if (!error) return {};
  const cause = error.cause ?? error;
  const message = typeof cause?.message === 'string' ? cause.message : String(cause);
  let details;
  try {
    details = inspect(cause, { depth: 4 });
  } catch {
    details = String(cause?.stack ?? cause);
  }
  if (details.length > DETAILS_MAX) details = details.slice(0, DETAILS_MAX);
  const type = error.failureType ?? cause?.name ?? undefined;
  return { message, type, details, failureType: error.failureType };
}

export default async function* pitcrewReporter(source) {
  // Per file: the names of the tests being declared (test:start, in
  // definition order) and being executed (test:dequeue, execution order),
  // by nesting level.
  const declared = new Map();
  const running = new Map();
  const stack = (map, file) => {
    if (!map.has(file)) map.set(file, []);
    return map.get(file);
  };
  const line = (record) => JSON.stringify(record) + '\n';

  for await (const { type, data } of source) {
    if (!data || typeof data !== 'object') continue;
    const file = fileOf(data);
    const nesting = Number.isInteger(data.nesting) ? data.nesting : 0;
    const name = String(data.name ?? '');
    switch (type) {
      case 'test:enqueue': {
        if (isFileWrapper(data)) break;
        const path = stack(running, file).slice(0, nesting);
        yield line({ event: 'planned', file, path, name });
        break;
      }
      case 'test:dequeue': {
        if (isFileWrapper(data)) break;
        const live = stack(running, file);
        live.length = nesting;
        const path = live.slice();
        live.push(name);
        yield line({ event: 'start', file, path, name });
        break;
      }
      case 'test:complete': {
        if (isFileWrapper(data)) break;
        const path = stack(running, file).slice(0, nesting);
        yield line({ event: 'end', file, path, name });
        break;
      }
      case 'test:start': {
        if (isFileWrapper(data)) break;
        const names = stack(declared, file);
        names.length = nesting;
        names.push(name);
        break;
      }
      case 'test:pass':
      case 'test:fail': {
        const details = data.details ?? {};
        const time = Number(details.duration_ms ?? 0) / 1000;
        if (isFileWrapper(data)) {
          if (type === 'test:fail') {
            const record = { event: 'case', file, path: [], name: file, outcome: 'failed', time, line: data.line, ...failure(details.error) };
            delete record.failureType;
            yield line(record);
          }
          break;
        }
        const path = stack(declared, file).slice(0, nesting);
        const error = failure(details.error);
        if (details.type === 'suite' && (type === 'test:pass' || error.failureType === 'subtestsFailed')) break;
        let outcome = type === 'test:pass' ? 'passed' : 'failed';
        // Node counts neither a skipped test nor a failing todo as failed.
        if (data.skip !== undefined || data.todo !== undefined) outcome = 'skipped';
        const record = { event: 'case', file, path, name, outcome, time, line: data.line };
        if (type === 'test:fail') Object.assign(record, error);
        else if (typeof data.skip === 'string') record.message = data.skip;
        delete record.failureType;
        yield line(record);
        break;
      }
      default:
        break;
    }
  }
}
