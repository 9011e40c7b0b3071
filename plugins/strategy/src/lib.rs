//! The `strategy` phase: how the training run is laid out across the
//! workers, and the ready-to-run launcher lines. It reads the facts only
//! (no other phase's section) and returns no checks.
//!
//! # The seven sections it owns
//!
//! Every section always has every key listed here (`null` where a key does
//! not apply), so the shapes are stable whatever the framework. Workers are
//! listed in the facts' order, which is also the rank order.
//!
//! * `strategy`: `{"type": "data_parallel", "framework", "launcher",
//!   "world_size", "ranks": [worker names], "load_balancing":
//!   "throughput_proportional", "gradient_weighting": "batch_share",
//!   "summary"}`.
//! * `batch_configuration`: `{"global_batch_size", "per_worker_batch_size":
//!   [{"worker", "batch_size"}], "split", "dataset_examples", "epochs",
//!   "steps_per_epoch", "total_steps", "last_batch_size"}`. The per-worker
//!   split is the one `hardware_calibration.workload_distribution` gives
//!   (same largest-remainder method, [`apportion`]); `steps_per_epoch =
//!   ceil(dataset_examples / global_batch_size)`; the last step of an epoch
//!   has `last_batch_size` examples (no example is dropped).
//! * `distributed_config`: `{"framework", "world_size", "hosts": [names],
//!   "launcher", "command", "run_on": "launch_host" | "every_worker",
//!   "mlx_hostfile": [{"ssh", "ips"}] | null, "deepspeed_hostfile": text |
//!   null, "deepspeed_command": text | null, "per_worker": [{"worker",
//!   "rank", "command"}] | null, "notes": [text]}`:
//!   * mlx: `mlx_hostfile` is mlx.launch's JSON hostfile (a list of `{"ssh":
//!     name, "ips": []}`, to be saved as `hosts.json`) and `command` is
//!     `mlx.launch --hostfile hosts.json train.py`, run once from a machine
//!     that can ssh to every worker. There is deliberately no `-n`: in
//!     mlx.launch `-n` is `--repeat-hosts` (processes per host), which a
//!     hostfile already fixes at one per listed host. `ips` is left empty
//!     since the facts hold no addresses; a note says how to fill it.
//!   * torch: `command` is `torchrun --nnodes=N --nproc-per-node=1
//!     --rdzv-backend=c10d --rdzv-endpoint=<first worker>:29400
//!     --rdzv-id=<id> train.py`, run on every worker; `<id>` is
//!     [`rendezvous_id`], stable for the same script and workers. Also a
//!     DeepSpeed hostfile (`name slots=1` per line) and `deepspeed
//!     --hostfile=hostfile train.py`.
//!   * jax: `per_worker` holds each worker's
//!     `jax.distributed.initialize(coordinator_address="<first
//!     worker>:1234", num_processes=N, process_id=i)` call; `command` is
//!     `python train.py` on every worker.
//!   * other: a DeepSpeed hostfile and command, and `per_worker` commands
//!     in the `env://` convention (`MASTER_ADDR=<first worker>
//!     MASTER_PORT=29500 WORLD_SIZE=N RANK=i python train.py`).
//!
//!   Words in command lines are shell-quoted when they hold anything but
//!   `[A-Za-z0-9_./:=,@%+-]`.
//! * `rdma_config`: `{"applicable", "backend", "transport", "requirements":
//!   [text], "setup_command", "launch_command", "fallback", "reason"}`.
//!   Applicable only for mlx with at least 2 workers, all on macOS: MLX's
//!   JACCL backend (RDMA over Thunderbolt), set up with
//!   `mlx.distributed_config --backend jaccl --over thunderbolt …`.
//! * `checkpoint_strategy`: `{"dir", "every_steps", "expected_seconds_between",
//!   "save_at_epoch_end": true, "keep_last": 3, "writer": "rank 0",
//!   "atomic", "format", "resume"}`. `every_steps = clamp(floor(1800 s ×
//!   expected_throughput / global_batch_size), 1, steps_per_epoch)`: at most
//!   about 30 minutes of expected compute is lost to a crash, and there is a
//!   checkpoint at least once per epoch.
//! * `performance_targets`: `{"expected_throughput", "expected_steps_per_second",
//!   "expected_epoch_seconds", "expected_total_seconds",
//!   "min_acceptable_throughput", "basis"}`. The expected throughput is the
//!   sum of the workers' measured throughputs (examples/s), an upper bound
//!   that ignores communication; `min_acceptable_throughput` is 80 % of it.
//! * `verification_steps`: a list of one-line instructions to run before
//!   (and right after) the launch.

pub use plan_kit::apportion;
pub use plan_kit::common;

use serde_json::{Map, Value, json};

use common::{Fact, InvalidInput, Output, parse_object};

/// The document keys this phase owns.
pub const OWNS: [&str; 7] = [
    "strategy",
    "batch_configuration",
    "distributed_config",
    "rdma_config",
    "checkpoint_strategy",
    "performance_targets",
    "verification_steps",
];

/// The phases this one runs after.
pub const AFTER: [&str; 0] = [];

/// At most this much expected compute (seconds) between two checkpoints.
pub const CHECKPOINT_INTERVAL_S: f64 = 1800.0;
/// How many checkpoints to keep.
pub const KEEP_LAST_CHECKPOINTS: u64 = 3;
/// The share of the expected throughput below which a run is worth
/// investigating (a straggler, or communication-bound).
pub const MIN_THROUGHPUT_RATIO: f64 = 0.8;
/// torchrun's c10d rendezvous port (the port torchrun's docs use).
pub const TORCH_RDZV_PORT: u16 = 29400;
/// The coordinator port for `jax.distributed.initialize`.
pub const JAX_COORDINATOR_PORT: u16 = 1234;
/// `MASTER_PORT` in the `env://` convention.
pub const ENV_MASTER_PORT: u16 = 29500;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framework {
    Mlx,
    Torch,
    Jax,
    Other,
}

impl Framework {
    pub fn parse(fact: &Fact<'_>) -> Result<Self, InvalidInput> {
        match fact.str()? {
            "mlx" => Ok(Framework::Mlx),
            "torch" => Ok(Framework::Torch),
            "jax" => Ok(Framework::Jax),
            "other" => Ok(Framework::Other),
            found => Err(InvalidInput(common::one_line(&format!(
                "fact `{}` must be one of mlx, torch, jax, other, found {found:?}",
                fact.path()
            )))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Framework::Mlx => "mlx",
            Framework::Torch => "torch",
            Framework::Jax => "jax",
            Framework::Other => "other",
        }
    }

    fn launcher(self) -> &'static str {
        match self {
            Framework::Mlx => "mlx.launch",
            Framework::Torch => "torchrun",
            Framework::Jax => "jax.distributed",
            Framework::Other => "env",
        }
    }
}

/// The job, as this phase reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub script: String,
    pub extra_files: Vec<String>,
    pub dataset_examples: u64,
    pub batch_size: u64,
    pub epochs: u64,
    pub checkpoint_dir: String,
    pub framework: Framework,
}

/// One worker, as this phase reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Worker {
    pub name: String,
    pub throughput: f64,
    pub os: Option<String>,
}

/// Everything the strategy is computed from.
#[derive(Clone, Debug, PartialEq)]
pub struct Inputs {
    pub job: Job,
    pub workers: Vec<Worker>,
}

impl Inputs {
    pub fn from_facts(facts: &Value) -> Result<Self, InvalidInput> {
        let root = Fact::root(facts);
        let job = root.get("job");
        job.object()?;
        let extra_files = job
            .get("extra_files")
            .opt_array()?
            .iter()
            .map(|f| f.str().map(str::to_string))
            .collect::<Result<_, _>>()?;
        let job = Job {
            script: job.get("script").str()?.to_string(),
            extra_files,
            dataset_examples: job.get("dataset_examples").positive_u64()?,
            batch_size: job.get("batch_size").positive_u64()?,
            epochs: job.get("epochs").positive_u64()?,
            checkpoint_dir: job.get("checkpoint_dir").str()?.to_string(),
            framework: Framework::parse(&job.get("framework"))?,
        };
        let workers_fact = root.get("workers");
        let workers = workers_fact
            .array()?
            .iter()
            .map(|w| {
                Ok(Worker {
                    name: w.get("name").str()?.to_string(),
                    throughput: w.get("throughput").positive_f64()?,
                    os: w.get("os").opt_str()?.map(str::to_string),
                })
            })
            .collect::<Result<Vec<_>, InvalidInput>>()?;
        if workers.is_empty() {
            return Err(InvalidInput(
                "fact `workers` must list at least one worker, found []".into(),
            ));
        }
        Ok(Inputs { job, workers })
    }

    fn names(&self) -> Vec<&str> {
        self.workers.iter().map(|w| w.name.as_str()).collect()
    }

    fn expected_throughput(&self) -> f64 {
        self.workers.iter().map(|w| w.throughput).sum()
    }

    fn steps_per_epoch(&self) -> u64 {
        self.job.dataset_examples.div_ceil(self.job.batch_size)
    }
}

/// Runs the phase over the facts (JSON text). The document is not read.
pub fn run(facts: &str, _document: &str) -> Result<Output, InvalidInput> {
    let facts = parse_object(facts, "facts")?;
    let inputs = Inputs::from_facts(&facts)?;
    Ok(Output {
        keys: sections(&inputs),
        checks: Vec::new(),
    })
}

/// The seven sections.
pub fn sections(inputs: &Inputs) -> Map<String, Value> {
    let mut keys = Map::new();
    keys.insert("strategy".into(), strategy(inputs));
    keys.insert("batch_configuration".into(), batch_configuration(inputs));
    keys.insert("distributed_config".into(), distributed_config(inputs));
    keys.insert("rdma_config".into(), rdma_config(inputs));
    keys.insert("checkpoint_strategy".into(), checkpoint_strategy(inputs));
    keys.insert("performance_targets".into(), performance_targets(inputs));
    keys.insert("verification_steps".into(), verification_steps(inputs));
    keys
}

fn strategy(inputs: &Inputs) -> Value {
    let framework = inputs.job.framework;
    let n = inputs.workers.len();
    let b = inputs.job.batch_size;
    json!({
        "type": "data_parallel",
        "framework": framework.as_str(),
        "launcher": framework.launcher(),
        "world_size": n,
        "ranks": inputs.names(),
        "load_balancing": "throughput_proportional",
        "gradient_weighting": "batch_share",
        "summary": format!(
            "data parallel over {n} worker(s) with {}: each worker takes a share of every \
             global batch of {b} in proportion to its measured throughput, and gradients \
             are combined with weights batch_share / {b}",
            framework.launcher()
        ),
    })
}

fn batch_configuration(inputs: &Inputs) -> Value {
    let job = &inputs.job;
    let weights: Vec<f64> = inputs.workers.iter().map(|w| w.throughput).collect();
    let shares = apportion::apportion(job.batch_size, &weights);
    let per_worker: Vec<Value> = inputs
        .workers
        .iter()
        .zip(&shares)
        .map(|(w, share)| json!({"worker": w.name, "batch_size": share}))
        .collect();
    let steps = inputs.steps_per_epoch();
    json!({
        "global_batch_size": job.batch_size,
        "per_worker_batch_size": per_worker,
        "split": "throughput_proportional_largest_remainder",
        "dataset_examples": job.dataset_examples,
        "epochs": job.epochs,
        "steps_per_epoch": steps,
        "total_steps": steps.saturating_mul(job.epochs),
        "last_batch_size": job.dataset_examples - (steps - 1) * job.batch_size,
    })
}

/// A shell word: as is when it holds only `[A-Za-z0-9_./:=,@%+-]`, else
/// single-quoted.
pub fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:=,@%+".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// torchrun's `--rdzv-id`: `pitcrew-` and the 64-bit FNV-1a hash (16 hex
/// digits) of the script name and the worker names, each followed by a NUL
/// byte. The same job on the same workers always gets the same id; another
/// job or another set of workers almost surely gets another one.
pub fn rendezvous_id(script: &str, workers: &[&str]) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for part in std::iter::once(script).chain(workers.iter().copied()) {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("pitcrew-{hash:016x}")
}

fn deepspeed_hostfile(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("{name} slots=1\n"))
        .collect()
}

fn distributed_config(inputs: &Inputs) -> Value {
    let framework = inputs.job.framework;
    let names = inputs.names();
    let n = names.len();
    let first = names[0];
    let script = shell_word(&inputs.job.script);
    let deepspeed_command = format!("deepspeed --hostfile=hostfile {script}");
    let mut config = json!({
        "framework": framework.as_str(),
        "world_size": n,
        "hosts": names,
        "launcher": framework.launcher(),
        "command": Value::Null,
        "run_on": Value::Null,
        "mlx_hostfile": Value::Null,
        "deepspeed_hostfile": Value::Null,
        "deepspeed_command": Value::Null,
        "per_worker": Value::Null,
        "notes": [],
    });
    let (command, run_on, notes): (String, &str, Vec<String>) = match framework {
        Framework::Mlx => {
            let hostfile: Vec<Value> = names
                .iter()
                .map(|name| json!({"ssh": name, "ips": []}))
                .collect();
            config["mlx_hostfile"] = Value::Array(hostfile);
            let hosts = shell_word(&names.join(","));
            (
                format!("mlx.launch --hostfile hosts.json {script}"),
                "launch_host",
                vec![
                    "save mlx_hostfile as hosts.json; run the command once, from a machine \
                     that can ssh to every worker without a password"
                        .to_string(),
                    format!(
                        "hosts.json lists no IPs (the facts hold none): the ring backend needs \
                         them; fill in each host's \"ips\", or write the file with \
                         `mlx.distributed_config --over ethernet --hosts {hosts} \
                         --output-hostfile hosts.json`"
                    ),
                    "no -n: for mlx.launch -n is --repeat-hosts (processes per host), and the \
                     hostfile already runs one process per listed host"
                        .to_string(),
                ],
            )
        }
        Framework::Torch => {
            let id = rendezvous_id(&inputs.job.script, &names);
            config["deepspeed_hostfile"] = Value::String(deepspeed_hostfile(&names));
            config["deepspeed_command"] = Value::String(deepspeed_command);
            (
                format!(
                    "torchrun --nnodes={n} --nproc-per-node=1 --rdzv-backend=c10d {} --rdzv-id={id} {script}",
                    shell_word(&format!("--rdzv-endpoint={first}:{TORCH_RDZV_PORT}"))
                ),
                "every_worker",
                vec![
                    format!(
                        "run the torchrun line on every worker; {first} hosts the rendezvous on \
                         TCP port {TORCH_RDZV_PORT}, which every worker must reach"
                    ),
                    "or, with DeepSpeed: save deepspeed_hostfile as hostfile and run \
                     deepspeed_command once, from a machine that can ssh to every worker"
                        .to_string(),
                ],
            )
        }
        Framework::Jax => {
            let coordinator = format!("{first}:{JAX_COORDINATOR_PORT}");
            let per_worker: Vec<Value> = names
                .iter()
                .enumerate()
                .map(|(rank, name)| {
                    json!({
                        "worker": name,
                        "rank": rank,
                        "command": format!(
                            "jax.distributed.initialize(coordinator_address={}, num_processes={n}, process_id={rank})",
                            Value::String(coordinator.clone())
                        ),
                    })
                })
                .collect();
            config["per_worker"] = Value::Array(per_worker);
            (
                format!("python {script}"),
                "every_worker",
                vec![format!(
                    "call the worker's jax.distributed.initialize(...) line at the start of \
                     the script, before any other JAX call; {first} is the coordinator on TCP \
                     port {JAX_COORDINATOR_PORT}"
                )],
            )
        }
        Framework::Other => {
            config["deepspeed_hostfile"] = Value::String(deepspeed_hostfile(&names));
            config["deepspeed_command"] = Value::String(deepspeed_command);
            let per_worker: Vec<Value> = names
                .iter()
                .enumerate()
                .map(|(rank, name)| {
                    json!({
                        "worker": name,
                        "rank": rank,
                        "command": format!(
                            "MASTER_ADDR={} MASTER_PORT={ENV_MASTER_PORT} WORLD_SIZE={n} RANK={rank} python {script}",
                            shell_word(first)
                        ),
                    })
                })
                .collect();
            config["per_worker"] = Value::Array(per_worker);
            (
                format!("python {script}"),
                "every_worker",
                vec![
                    "run each worker's per_worker command on that worker (the env:// \
                     convention: MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK)"
                        .to_string(),
                    "or, with DeepSpeed: save deepspeed_hostfile as hostfile and run \
                     deepspeed_command once, from a machine that can ssh to every worker"
                        .to_string(),
                ],
            )
        }
    };
    config["command"] = Value::String(command);
    config["run_on"] = Value::String(run_on.to_string());
    config["notes"] = json!(notes);
    config
}

fn is_macos(os: Option<&str>) -> bool {
    matches!(
        os.map(str::to_ascii_lowercase).as_deref(),
        Some("macos" | "darwin")
    )
}

fn rdma_config(inputs: &Inputs) -> Value {
    let names = inputs.names();
    let n = names.len();
    let not_applicable = |reason: String| {
        json!({
            "applicable": false,
            "backend": Value::Null,
            "transport": Value::Null,
            "requirements": [],
            "setup_command": Value::Null,
            "launch_command": Value::Null,
            "fallback": Value::Null,
            "reason": reason,
        })
    };
    match inputs.job.framework {
        Framework::Mlx => {}
        Framework::Torch => {
            return not_applicable(
                "torch: NCCL uses InfiniBand or RoCE by itself when the workers have it; \
                 NCCL_DEBUG=INFO shows the transport it picked"
                    .to_string(),
            );
        }
        other => {
            return not_applicable(format!(
                "{}: the plan sets up RDMA only for mlx",
                other.as_str()
            ));
        }
    }
    if n < 2 {
        return not_applicable("a single worker has no peer to reach over RDMA".to_string());
    }
    let not_mac: Vec<String> = inputs
        .workers
        .iter()
        .filter(|w| !is_macos(w.os.as_deref()))
        .map(|w| format!("{} ({})", w.name, w.os.as_deref().unwrap_or("os unknown")))
        .collect();
    if !not_mac.is_empty() {
        return not_applicable(format!(
            "JACCL (RDMA over Thunderbolt) needs macOS on every worker; not macOS: {}",
            common::listed(&not_mac)
        ));
    }
    let hosts = shell_word(&names.join(","));
    let script = shell_word(&inputs.job.script);
    let cables = n * (n - 1) / 2;
    json!({
        "applicable": true,
        "backend": "jaccl",
        "transport": "RDMA over Thunderbolt",
        "requirements": [
            "RDMA over Thunderbolt enabled on every worker (once per machine, from macOS Recovery: `rdma_ctl enable`)",
            format!("a Thunderbolt cable between every pair of workers: a full mesh of {cables} cable(s) for {n} workers"),
            "`ibv_devices` lists rdma_en* devices on every worker",
        ],
        "setup_command": format!(
            "mlx.distributed_config --backend jaccl --over thunderbolt --hosts {hosts} --auto-setup --output-hostfile hosts-jaccl.json"
        ),
        "launch_command": format!("mlx.launch --hostfile hosts-jaccl.json {script}"),
        "fallback": "the ring backend: distributed_config.command with hosts.json",
        "reason": format!(
            "mlx on {n} macOS workers: JACCL, MLX's RDMA backend over Thunderbolt, has the lowest latency between Macs"
        ),
    })
}

/// `clamp(floor(1800 × throughput / batch), 1, steps_per_epoch)`.
pub fn checkpoint_every_steps(throughput: f64, batch_size: u64, steps_per_epoch: u64) -> u64 {
    let steps = (CHECKPOINT_INTERVAL_S * throughput / batch_size as f64).floor();
    // `as` saturates: a huge value becomes u64::MAX, then the clamp applies.
    (steps as u64).clamp(1, steps_per_epoch.max(1))
}

fn checkpoint_strategy(inputs: &Inputs) -> Value {
    let throughput = inputs.expected_throughput();
    let b = inputs.job.batch_size;
    let every = checkpoint_every_steps(throughput, b, inputs.steps_per_epoch());
    let format = match inputs.job.framework {
        Framework::Mlx => "safetensors (model.save_weights)",
        Framework::Torch => "torch.save of the model and optimizer state_dict",
        Framework::Jax => "orbax.checkpoint",
        Framework::Other => "the framework's own",
    };
    json!({
        "dir": inputs.job.checkpoint_dir,
        "every_steps": every,
        "expected_seconds_between": every as f64 * b as f64 / throughput,
        "save_at_epoch_end": true,
        "keep_last": KEEP_LAST_CHECKPOINTS,
        "writer": "rank 0",
        "atomic": "write to a temporary name in the same directory, then rename",
        "format": format,
        "resume": "from the newest complete checkpoint in dir",
    })
}

fn performance_targets(inputs: &Inputs) -> Value {
    let throughput = inputs.expected_throughput();
    let epoch = inputs.job.dataset_examples as f64 / throughput;
    json!({
        "expected_throughput": throughput,
        "expected_steps_per_second": throughput / inputs.job.batch_size as f64,
        "expected_epoch_seconds": epoch,
        "expected_total_seconds": epoch * inputs.job.epochs as f64,
        "min_acceptable_throughput": MIN_THROUGHPUT_RATIO * throughput,
        "basis": "sum of the workers' measured throughputs (examples/s); communication is not included, so this is an upper bound",
    })
}

fn verification_steps(inputs: &Inputs) -> Value {
    let names = inputs.names();
    let n = names.len();
    let first = names[0];
    let job = &inputs.job;
    let files: Vec<&str> = std::iter::once(job.script.as_str())
        .chain(job.extra_files.iter().map(String::as_str))
        .collect();
    let mut steps = vec![format!(
        "Re-run `pitcrew plan` after every code change: {} must have the same SHA-256 on all {n} worker(s)",
        files.join(", ")
    )];
    steps.push(match job.framework {
        Framework::Mlx => format!(
            "ssh from the launching machine to each of {} works without a password prompt",
            names.join(", ")
        ),
        Framework::Torch => format!(
            "Every worker reaches {first}:{TORCH_RDZV_PORT} (the torchrun rendezvous) over TCP"
        ),
        Framework::Jax => format!(
            "Every worker reaches {first}:{JAX_COORDINATOR_PORT} (the JAX coordinator) over TCP"
        ),
        Framework::Other => format!(
            "Every worker reaches {first}:{ENV_MASTER_PORT} (MASTER_ADDR:MASTER_PORT) over TCP"
        ),
    });
    steps.push(match job.framework {
        Framework::Mlx => format!(
            "Smoke test: `mlx.launch --hostfile hosts.json -- python -c \"import mlx.core as mx; g = mx.distributed.init(); print(g.rank(), g.size())\"` prints ranks 0 to {} with size {n}",
            n - 1
        ),
        Framework::Torch => format!(
            "Smoke test: the torchrun line with a script that calls torch.distributed.init_process_group() and prints get_rank() and get_world_size() shows ranks 0 to {} with world size {n}",
            n - 1
        ),
        Framework::Jax => format!(
            "Smoke test: after jax.distributed.initialize(...), jax.process_count() is {n} and jax.process_index() runs 0 to {} across the workers",
            n - 1
        ),
        Framework::Other => format!(
            "Smoke test: every worker starts with its RANK (0 to {}) and WORLD_SIZE={n}, and the first collective completes",
            n - 1
        ),
    });
    let every = checkpoint_every_steps(
        inputs.expected_throughput(),
        job.batch_size,
        inputs.steps_per_epoch(),
    );
    steps.push(format!(
        "After {every} step(s), rank 0 has written a checkpoint under {}; resuming from it continues at the same step",
        job.checkpoint_dir
    ));
    let throughput = inputs.expected_throughput();
    steps.push(format!(
        "Over the first minutes the cluster processes at least {:.3} examples/s (80 % of the measured {:.3})",
        MIN_THROUGHPUT_RATIO * throughput,
        throughput
    ));
    steps.push(format!(
        "Every worker takes its batch share of {} per step (batch_configuration.per_worker_batch_size) and weights its gradient by share / {}",
        job.batch_size, job.batch_size
    ));
    json!(steps)
}

plan_kit::phase_component!(Strategy);

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(framework: &str) -> Value {
        json!({
            "job": {"script": "train.py", "extra_files": ["model.py"], "dataset_examples": 120000,
                    "batch_size": 64, "epochs": 3, "checkpoint_dir": "checkpoints",
                    "framework": framework, "memory_per_example_bytes": 2000000},
            "consistency": {"threshold": 0.95, "tolerate_byzantine": 0},
            "sync": null,
            "workers": [
                {"name": "studio-1", "throughput": 1.2, "memory_bytes": 137438953472u64,
                 "free_disk_bytes": 500000000000u64, "os": "macos"},
                {"name": "studio-2", "throughput": 0.85, "memory_bytes": 68719476736u64,
                 "free_disk_bytes": 500000000000u64, "os": "macos"},
                {"name": "studio-3", "throughput": 1.0, "memory_bytes": 68719476736u64,
                 "free_disk_bytes": 500000000000u64, "os": "macos"}
            ],
            "world_size": 3,
            "max_report_age_s": 86400
        })
    }

    fn run_on(facts: &Value) -> Result<Output, InvalidInput> {
        run(&facts.to_string(), "{}")
    }

    fn close(a: &Value, expected: f64) {
        let a = a.as_f64().expect("a number");
        assert!((a - expected).abs() < 1e-9, "{a} vs {expected}");
    }

    #[test]
    fn owns_exactly_its_seven_keys_and_no_checks() {
        let out = run_on(&facts("mlx")).expect("valid facts");
        let keys: Vec<&str> = out.keys.keys().map(String::as_str).collect();
        let mut owned = OWNS.to_vec();
        owned.sort_unstable();
        let mut keys_sorted = keys.clone();
        keys_sorted.sort_unstable();
        assert_eq!(keys_sorted, owned);
        assert!(out.checks.is_empty());
    }

    #[test]
    fn batch_configuration_by_hand() {
        let out = run_on(&facts("mlx")).expect("valid facts");
        let batch = &out.keys["batch_configuration"];
        // ceil(120000 / 64) = 1875 (64 × 1875 = 120000 exactly).
        assert_eq!(batch["steps_per_epoch"], 1875);
        assert_eq!(batch["total_steps"], 5625);
        assert_eq!(batch["last_batch_size"], 64);
        assert_eq!(batch["global_batch_size"], 64);
        // Quotas 25.18, 17.84, 20.98 → floors 25, 17, 20, the 2 left go to
        // the largest fractions (.98, .84).
        assert_eq!(
            batch["per_worker_batch_size"],
            json!([{"worker": "studio-1", "batch_size": 25},
                   {"worker": "studio-2", "batch_size": 18},
                   {"worker": "studio-3", "batch_size": 21}])
        );
    }

    #[test]
    fn a_partial_last_step() {
        let mut f = facts("torch");
        f["job"]["dataset_examples"] = json!(1000);
        f["job"]["batch_size"] = json!(64);
        let out = run_on(&f).expect("valid facts");
        // ceil(1000 / 64) = 16; 15 × 64 = 960, so the last step has 40.
        assert_eq!(out.keys["batch_configuration"]["steps_per_epoch"], 16);
        assert_eq!(out.keys["batch_configuration"]["last_batch_size"], 40);
        assert_eq!(out.keys["batch_configuration"]["total_steps"], 48);
    }

    #[test]
    fn mlx_launch_hostfile_and_command() {
        let out = run_on(&facts("mlx")).expect("valid facts");
        let config = &out.keys["distributed_config"];
        assert_eq!(
            config["mlx_hostfile"],
            json!([{"ssh": "studio-1", "ips": []}, {"ssh": "studio-2", "ips": []},
                   {"ssh": "studio-3", "ips": []}])
        );
        assert_eq!(
            config["command"],
            "mlx.launch --hostfile hosts.json train.py"
        );
        assert_eq!(config["launcher"], "mlx.launch");
        assert_eq!(config["run_on"], "launch_host");
        assert_eq!(config["world_size"], 3);
        assert_eq!(config["deepspeed_hostfile"], Value::Null);
        assert_eq!(config["per_worker"], Value::Null);
        let notes = config["notes"].as_array().expect("notes");
        assert!(notes.iter().any(|n| n.as_str().is_some_and(|n| n.contains(
            "mlx.distributed_config --over ethernet --hosts studio-1,studio-2,studio-3 --output-hostfile hosts.json"
        ))));
    }

    #[test]
    fn torchrun_line_and_deepspeed_hostfile() {
        let out = run_on(&facts("torch")).expect("valid facts");
        let config = &out.keys["distributed_config"];
        let id = rendezvous_id("train.py", &["studio-1", "studio-2", "studio-3"]);
        assert_eq!(
            config["command"],
            format!(
                "torchrun --nnodes=3 --nproc-per-node=1 --rdzv-backend=c10d \
                 --rdzv-endpoint=studio-1:29400 --rdzv-id={id} train.py"
            )
        );
        assert_eq!(config["run_on"], "every_worker");
        assert_eq!(
            config["deepspeed_hostfile"],
            "studio-1 slots=1\nstudio-2 slots=1\nstudio-3 slots=1\n"
        );
        assert_eq!(
            config["deepspeed_command"],
            "deepspeed --hostfile=hostfile train.py"
        );
        assert_eq!(config["mlx_hostfile"], Value::Null);
    }

    #[test]
    fn rendezvous_id_is_stable_and_depends_on_script_and_workers() {
        // FNV-1a 64 of the single NUL byte that ends an empty script name:
        // (0xcbf29ce484222325 ^ 0) × 0x100000001b3 mod 2^64.
        assert_eq!(rendezvous_id("", &[]), "pitcrew-af63bd4c8601b7df");
        // Of b"train.py\0studio-1\0studio-2\0studio-3\0", computed apart.
        assert_eq!(
            rendezvous_id("train.py", &["studio-1", "studio-2", "studio-3"]),
            "pitcrew-03d32be5fb0e8b31"
        );
        let a = rendezvous_id("train.py", &["a", "b"]);
        assert_eq!(a, rendezvous_id("train.py", &["a", "b"]));
        assert_ne!(a, rendezvous_id("train.py", &["b", "a"]));
        assert_ne!(a, rendezvous_id("train.py", &["ab"]));
        assert_ne!(a, rendezvous_id("other.py", &["a", "b"]));
        assert_eq!(a.len(), "pitcrew-".len() + 16);
    }

    #[test]
    fn jax_initialize_lines_per_worker() {
        let out = run_on(&facts("jax")).expect("valid facts");
        let config = &out.keys["distributed_config"];
        assert_eq!(config["command"], "python train.py");
        assert_eq!(
            config["per_worker"][2],
            json!({"worker": "studio-3", "rank": 2, "command":
                "jax.distributed.initialize(coordinator_address=\"studio-1:1234\", num_processes=3, process_id=2)"})
        );
        assert_eq!(config["deepspeed_hostfile"], Value::Null);
    }

    #[test]
    fn other_gets_env_commands_and_a_deepspeed_hostfile() {
        let out = run_on(&facts("other")).expect("valid facts");
        let config = &out.keys["distributed_config"];
        assert_eq!(
            config["per_worker"][1]["command"],
            "MASTER_ADDR=studio-1 MASTER_PORT=29500 WORLD_SIZE=3 RANK=1 python train.py"
        );
        assert_eq!(
            config["deepspeed_hostfile"],
            "studio-1 slots=1\nstudio-2 slots=1\nstudio-3 slots=1\n"
        );
    }

    #[test]
    fn every_framework_has_the_same_distributed_config_keys() {
        let keys = |framework: &str| -> Vec<String> {
            let out = run_on(&facts(framework)).expect("valid facts");
            let mut keys: Vec<String> = out.keys["distributed_config"]
                .as_object()
                .expect("an object")
                .keys()
                .cloned()
                .collect();
            keys.sort();
            keys
        };
        for section in ["rdma_config", "checkpoint_strategy", "strategy"] {
            let shape = |framework: &str| {
                let out = run_on(&facts(framework)).expect("valid facts");
                let mut keys: Vec<String> = out.keys[section]
                    .as_object()
                    .expect("an object")
                    .keys()
                    .cloned()
                    .collect();
                keys.sort();
                keys
            };
            assert_eq!(shape("mlx"), shape("torch"), "{section}");
            assert_eq!(shape("mlx"), shape("jax"), "{section}");
        }
        assert_eq!(keys("mlx"), keys("torch"));
        assert_eq!(keys("mlx"), keys("jax"));
        assert_eq!(keys("mlx"), keys("other"));
    }

    #[test]
    fn odd_names_are_shell_quoted() {
        assert_eq!(shell_word("studio-1"), "studio-1");
        assert_eq!(shell_word("my train.py"), "'my train.py'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(shell_word(""), "''");
        let mut f = facts("torch");
        f["job"]["script"] = json!("my train.py");
        f["workers"][0]["name"] = json!("gpu box");
        let out = run_on(&f).expect("valid facts");
        let command = out.keys["distributed_config"]["command"]
            .as_str()
            .expect("text");
        assert!(
            command.contains("'--rdzv-endpoint=gpu box:29400'"),
            "{command}"
        );
        assert!(command.ends_with(" 'my train.py'"), "{command}");
    }

    #[test]
    fn rdma_jaccl_for_mlx_on_macs_only() {
        let out = run_on(&facts("mlx")).expect("valid facts");
        let rdma = &out.keys["rdma_config"];
        assert_eq!(rdma["applicable"], true);
        assert_eq!(rdma["backend"], "jaccl");
        assert_eq!(
            rdma["setup_command"],
            "mlx.distributed_config --backend jaccl --over thunderbolt --hosts studio-1,studio-2,studio-3 --auto-setup --output-hostfile hosts-jaccl.json"
        );
        assert!(
            rdma["requirements"][1]
                .as_str()
                .expect("text")
                .contains("3 cable(s)")
        );

        let mut linux = facts("mlx");
        linux["workers"][1]["os"] = json!("linux");
        let rdma = &run_on(&linux).expect("valid facts").keys["rdma_config"];
        assert_eq!(rdma["applicable"], false);
        assert!(
            rdma["reason"]
                .as_str()
                .expect("text")
                .contains("studio-2 (linux)")
        );

        let mut single = facts("mlx");
        single["workers"] = json!([single["workers"][0].clone()]);
        let rdma = &run_on(&single).expect("valid facts").keys["rdma_config"];
        assert_eq!(rdma["applicable"], false);

        let rdma = &run_on(&facts("torch")).expect("valid facts").keys["rdma_config"];
        assert_eq!(rdma["applicable"], false);
        assert_eq!(rdma["setup_command"], Value::Null);
    }

    #[test]
    fn checkpoint_every_30_minutes_of_expected_work() {
        // 1800 s × 3.05 examples/s / 64 = 85.78 → every 85 steps.
        let out = run_on(&facts("mlx")).expect("valid facts");
        let ckpt = &out.keys["checkpoint_strategy"];
        assert_eq!(ckpt["every_steps"], 85);
        close(&ckpt["expected_seconds_between"], 85.0 * 64.0 / 3.05);
        assert_eq!(ckpt["dir"], "checkpoints");
        assert_eq!(ckpt["keep_last"], 3);
        // Slow cluster: 1800 × 0.01 / 64 = 0.28 → at least every step.
        assert_eq!(checkpoint_every_steps(0.01, 64, 1875), 1);
        // Fast cluster: 1800 × 1e6 / 64 far exceeds an epoch → once per epoch.
        assert_eq!(checkpoint_every_steps(1e6, 64, 1875), 1875);
        assert_eq!(checkpoint_every_steps(f64::MAX, 1, 10), 10);
    }

    #[test]
    fn performance_targets_by_hand() {
        let out = run_on(&facts("mlx")).expect("valid facts");
        let targets = &out.keys["performance_targets"];
        close(&targets["expected_throughput"], 3.05);
        close(&targets["expected_steps_per_second"], 3.05 / 64.0);
        close(&targets["expected_epoch_seconds"], 120000.0 / 3.05);
        close(&targets["expected_total_seconds"], 3.0 * 120000.0 / 3.05);
        close(&targets["min_acceptable_throughput"], 0.8 * 3.05);
    }

    #[test]
    fn verification_steps_are_one_line_strings() {
        let out = run_on(&facts("mlx")).expect("valid facts");
        let steps = out.keys["verification_steps"].as_array().expect("a list");
        assert!(steps.len() >= 5);
        for step in steps {
            let step = step.as_str().expect("a string");
            assert!(!step.contains('\n'), "{step}");
        }
        assert!(
            steps[0]
                .as_str()
                .expect("text")
                .contains("train.py, model.py")
        );
        assert!(
            steps
                .iter()
                .any(|s| s.as_str().expect("text").contains("After 85 step(s)"))
        );
    }

    #[test]
    fn invalid_facts_name_the_fact() {
        let cases: [(&str, Value, &str); 7] = [
            (
                "/job/batch_size",
                json!(0),
                "fact `job.batch_size` must be at least 1, found 0",
            ),
            ("/job/epochs", Value::Null, "missing fact `job.epochs`"),
            (
                "/job/framework",
                json!("tensorflow"),
                "fact `job.framework` must be one of mlx, torch, jax, other, found \"tensorflow\"",
            ),
            (
                "/workers/1/throughput",
                json!(0.0),
                "fact `workers[1].throughput` must be a positive finite number, found 0.0",
            ),
            (
                "/workers",
                json!([]),
                "fact `workers` must list at least one worker, found []",
            ),
            (
                "/workers/0/name",
                json!(7),
                "fact `workers[0].name` must be a string, found 7",
            ),
            (
                "/job",
                json!("x"),
                "fact `job` must be an object, found \"x\"",
            ),
        ];
        for (pointer, value, message) in cases {
            let mut f = facts("mlx");
            *f.pointer_mut(pointer).expect("pointer exists") = value;
            assert_eq!(run_on(&f), Err(InvalidInput(message.into())), "{pointer}");
        }
        assert!(run("not json", "{}").is_err());
        assert_eq!(
            run("[]", "{}"),
            Err(InvalidInput(
                "facts: expected a JSON object, found an array".into()
            ))
        );
    }
}
