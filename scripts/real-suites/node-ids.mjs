// A `node --test` reporter that writes one JSON line per test that ran:
// {"file", "path", "name", "outcome", "seconds"}. `path` is the names of the
// enclosing describe blocks and parent tests, outermost first, as node
// itself nests them; every test is written, a test with subtests too, and
// no describe block: what node's own summary counts (`# tests N`).
//
// Why not node's junit reporter: it names no file and (in Node 20) puts
// every test under classname="test", so it cannot be the reference.
//
// Node reports in tree order: test:start of a test, then its subtests'
// events, then its own test:pass or test:fail (node's junit and spec
// reporters rely on the same order). `file` is the file of the outermost
// test: a subtest's own `data.file` is where it was declared, which can be
// a helper module (fast-json-stringify's test/json-schema-test-suite/util.js).
export default async function* nodeIds(source) {
  const stack = []; // {name, file}, one per open nesting level
  for await (const event of source) {
    const data = event.data;
    if (event.type === 'test:start') {
      stack.length = data.nesting;
      stack.push({ name: data.name, file: data.file ?? '' });
      continue;
    }
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (data.details?.type === 'suite') continue; // a describe block
    const open = stack[data.nesting];
    let outcome = event.type === 'test:pass' ? 'passed' : 'failed';
    if (data.skip !== undefined || data.todo !== undefined) outcome = 'skipped';
    const ancestors = stack.slice(0, data.nesting);
    // A test that reported without a test:start of its own (a file that
    // failed to load) still counts, under the names node gave it.
    const own = open?.name === data.name ? open : undefined;
    const file = (ancestors[0] ?? own)?.file ?? data.file ?? '';
    yield JSON.stringify({
      file,
      path: ancestors.map((a) => a.name),
      name: data.name,
      outcome,
      seconds: (data.details?.duration_ms ?? 0) / 1000,
    }) + '\n';
  }
}
