'use strict';

// Where each test of one `node --test` file runs in its tree, from node's
// execution events (test:enqueue, test:dequeue, test:complete), for
// pitcrew's reporter (`node_reporter.mjs`) and its trace
// (`node_trace.cjs`), which both load it from beside them
// (`pitcrew-node-tree.cjs`). CommonJS, as the trace must be (see there).
//
// Node names a test and its nesting, not its parent. Tests run one after
// another name it by the last test dequeued one level up. Tests of a
// `{ concurrency: true }` block run side by side: a subtest queued after
// an `await` in one parent is queued while another ran last, so among the
// parents running side by side its parent is the one declared last before
// it in its file (`slow parent` at line 5 holds the `s1` of line 6, though
// `fast parent` of line 9 started after it); two declared alike (one line,
// a loop) leave the last dequeued. And a test ends under the path it
// started under, whatever ran last (else it never ended, and a green run
// failed with "did not finish").

// A dequeued test, as its completion names it.
const key = (data, name, nesting) => [nesting, name, data.line, data.column].join('\u0000');

class Tree {
  // Names by nesting of the last tests dequeued.
  #live = [];
  // The tests dequeued and not yet complete, each with its path.
  #started = [];
  // Completions seen: node reports some twice (a subtest of a later
  // concurrent parent, on Node 20, 22 and 24), and the second would end a
  // same-named test declared by the same line that is still running (a
  // hung one).
  #completed = new Set();

  // The path of a test queued at `nesting`.
  queued(data, nesting) {
    const live = this.#live.slice(0, nesting);
    if (nesting === 0) return live;
    const up = this.#started.filter((t) => t.nesting === nesting - 1);
    if (up.length < 2) return live;
    const order = (a, b) => a.line - b.line || a.column - b.column;
    const before = up.filter((t) => t.declared === data.file && order(t, data) < 0);
    const last = before.reduce((a, t) => (a === undefined || order(t, a) > 0 ? t : a), undefined);
    const alike = before.filter((t) => t.line === last?.line && t.column === last?.column).length;
    return last !== undefined && alike === 1 ? [...last.path, last.name] : live;
  }

  // The path of a test that starts running.
  dequeued(data, name, nesting) {
    const path = this.queued(data, nesting);
    this.#live = [...path, name];
    this.#started.push({ key: key(data, name, nesting), path, name, nesting, line: data.line, column: data.column, declared: data.file });
    return path;
  }

  // The path a test that completed started under; undefined for a
  // completion node already reported.
  completed(data, name, nesting) {
    const once = [key(data, name, nesting), data.testNumber, data.details?.duration_ms].join('\u0000');
    if (this.#completed.has(once)) return undefined;
    this.#completed.add(once);
    const at = this.#started.findLastIndex((t) => t.key === key(data, name, nesting));
    return at >= 0 ? this.#started.splice(at, 1)[0].path : this.#live.slice(0, nesting);
  }
}

module.exports = { Tree };
