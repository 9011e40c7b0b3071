// {{name}}: a pitcrew classifier. It labels failures whose message says
// they timed out as `timeout`, everything else `unknown`.
import { log } from 'pitcrew:plugin/log@{{contract}}';

export function describe() {
  return { name: '{{name}}', version: '0.1.0', description: 'labels timeouts' };
}

// Returning a value is `ok`; throwing `{ kind, message }` is a plugin-error.
// `config` is this classifier's configuration as JSON ('{}': it declares no
// settings).
export function classify(batch, config) {
  log('debug', `classifying ${batch.length} failures`);
  return batch.map((failure) => {
    if (!failure.testName) {
      throw { kind: 'invalid-input', message: `failure ${failure.id}: no test name` };
    }
    const message = failure.message.toLowerCase();
    const timedOut = message.includes('timed out') || message.includes('timeout');
    return {
      id: failure.id,
      category: timedOut ? 'timeout' : 'unknown',
      language: 'other',
      specialty: timedOut ? 'test' : 'general',
      confidence: timedOut ? 0.9 : 0.1,
      evidence: timedOut ? 'timed out' : '',
    };
  });
}
