// A `node --test` reporter that writes one JSON line per test that ran:
// {"file", "path", "name", "outcome", "seconds"}. `path` is the names of the
// enclosing describe blocks and parent tests, outermost first, as node
// itself nests them; only leaves (tests with no subtests) are written,
// which is what node's own junit reporter writes as <testcase>.
//
// Why not node's junit reporter: it names no file and (in Node 20) puts
// every test under classname="test", so it cannot be the reference.
//
// Events of a file arrive in completion order: a parent's test:pass or
// test:fail comes after its children's, so the children waiting one level
// deeper belong to it.
export default async function* nodeIds(source) {
  const pending = new Map(); // file -> Map(nesting -> [node])
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const data = event.data;
    const file = data.file ?? '';
    let levels = pending.get(file);
    if (!levels) pending.set(file, (levels = new Map()));
    const children = levels.get(data.nesting + 1) ?? [];
    levels.delete(data.nesting + 1);
    const details = data.details ?? {};
    let outcome = event.type === 'test:pass' ? 'passed' : 'failed';
    if (data.skip !== undefined || data.todo !== undefined) outcome = 'skipped';
    const node = {
      name: data.name,
      outcome,
      seconds: (details.duration_ms ?? 0) / 1000,
      children,
    };
    if (data.nesting === 0) {
      yield* lines(file, [], node);
    } else {
      if (!levels.has(data.nesting)) levels.set(data.nesting, []);
      levels.get(data.nesting).push(node);
    }
  }
  // Children whose parent never reported (a crash): still tests that ran.
  for (const [file, levels] of pending) {
    for (const nodes of levels.values()) {
      for (const node of nodes) yield* lines(file, ['<orphan>'], node);
    }
  }
}

function* lines(file, path, node) {
  if (node.children.length === 0) {
    yield JSON.stringify({ file, path, name: node.name, outcome: node.outcome, seconds: node.seconds }) + '\n';
    return;
  }
  for (const child of node.children) yield* lines(file, [...path, node.name], child);
}
